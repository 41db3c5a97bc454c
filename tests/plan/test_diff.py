"""The pure diff over hand-built portals: every case from engine.md, no server."""

from __future__ import annotations

import unicodedata
from dataclasses import replace

import pytest

from portalsync.changes import Change
from portalsync.errors import ConfigError
from portalsync.live import LivePortal
from portalsync.model import Contact, DesiredPortal
from portalsync.plan import make_plan

from .factories import at, desired_portal, empty_live, live_portal


def plan_changes(
    desired: DesiredPortal | None = None, live: LivePortal | None = None
) -> list[Change]:
    return list(make_plan(desired or desired_portal(), live or live_portal(), "http://x").changes)


def brief(changes: list[Change]) -> list[tuple[str, str, str]]:
    return [(c.action, c.kind, c.key) for c in changes]


def test_in_sync_portal_has_no_changes_and_ignores_server_owned_fields() -> None:
    # The live twin differs in contact status, service languages, GUIDs and versions only.
    assert plan_changes() == []


def test_empty_server_gets_everything_created_in_dependency_order() -> None:
    changes = plan_changes(live=empty_live())
    assert brief(changes) == [
        ("create", "project_manager", "mkovacs"),
        ("create", "service", "Legal FR>EN"),
        ("create", "service", "Medical DE>EN"),
        ("create", "client", "Acme"),
        ("create", "client", "Société Générale"),
        ("create", "client_project_managers", "Acme"),
        ("create", "client_services", "Acme"),
        ("create", "client_project_managers", "Société Générale"),
        ("create", "client_services", "Société Générale"),
        ("create", "contact", "ann@acme.example"),
        ("create", "contact", "jean@client.example"),
    ]
    assert all(c.source is not None and not c.destructive for c in changes)
    assert changes[6].after == {"services": ["Legal FR>EN", "Medical DE>EN"]}
    assert changes[-1].client == "Société Générale"


def test_description_edit_is_one_field_level_update_with_its_source() -> None:
    live = live_portal()
    live = replace(live, clients=(replace(live.clients[0], description="Old"), live.clients[1]))
    (change,) = plan_changes(live=live)
    assert (change.action, change.kind, change.key) == ("update", "client", "Société Générale")
    assert (change.before, change.after) == ({"description": "Old"}, {"description": "Key account"})
    assert (change.guid, change.version, str(change.source)) == (
        "c-sg",
        3,
        "portal/clients.yaml:17",
    )


def test_stray_client_is_a_destructive_delete_naming_its_contacts() -> None:
    live = live_portal()
    stray = replace(live.clients[1], guid="c-stray", name="Stray Ltd")
    contact = replace(live.contacts[1], guid="k-s", client_guid="c-stray", email="s@stray.example")
    live = replace(live, clients=(*live.clients, stray), contacts=(*live.contacts, contact))
    (change,) = plan_changes(live=live)
    assert (change.action, change.kind, change.key, change.destructive) == (
        "delete",
        "client",
        "Stray Ltd",
        True,
    )
    assert change.before == {
        "name": "Stray Ltd",
        "description": "",
        "project_managers": ["mkovacs"],
        "services": ["Legal FR>EN", "Medical DE>EN"],
    }
    assert change.note == "1 contact loses portal access"
    assert change.guid == "c-stray"


def test_prune_off_leaves_undeclared_clients_and_services_alone_and_counts_them() -> None:
    desired = desired_portal(prune=False)
    desired = replace(desired, clients=desired.clients[:1])
    desired = replace(desired, services=desired.services[:1])
    plan = make_plan(desired, live_portal(), "http://x")
    assert plan.changes == ()
    assert plan.left_alone.unmanaged_clients == 1
    assert plan.left_alone.unmanaged_services == 1
    assert any("1 client and 1 service" in w and "prune: false" in w for w in plan.warnings)


def test_ignored_clients_and_their_contacts_are_left_alone() -> None:
    live = live_portal()
    test_client = replace(live.clients[1], guid="c-t", name="TEST Sandbox")
    contact = replace(live.contacts[1], guid="k-t", client_guid="c-t", email="t@test.example")
    live = replace(live, clients=(*live.clients, test_client), contacts=(*live.contacts, contact))
    plan = make_plan(desired_portal(ignore_clients=("test *",)), live, "http://x")
    assert plan.changes == ()
    assert plan.left_alone.ignored_clients == 1
    assert plan.left_alone.managed_clients == 2


def test_deleting_a_service_an_ignored_client_uses_is_a_warning() -> None:
    live = live_portal()
    sandbox = replace(live.clients[1], guid="c-t", name="TEST Sandbox", services=("s-med",))
    live = replace(live, clients=(*live.clients, sandbox))
    desired = desired_portal(ignore_clients=("test *",))
    without_medical = replace(
        desired,
        services=desired.services[:1],
        clients=tuple(replace(c, services=("Legal FR>EN",), contacts=()) for c in desired.clients),
    )
    plan = make_plan(without_medical, live, "http://x")
    assert any(c.kind == "service" and c.action == "delete" for c in plan.changes)
    assert any(
        "service 'Medical DE>EN' is planned for deletion" in w and "'TEST Sandbox'" in w
        for w in plan.warnings
    )


def test_withdrawing_a_service_a_left_alone_contact_orders_is_refused_at_plan_time() -> None:
    # The server would refuse it (ServiceInUse) on every apply: say so before anything is written.
    live = live_portal()
    medical = replace(live.services[1], all_clients=True)
    sandbox = replace(live.clients[1], guid="c-t", name="TEST Sandbox", services=())
    orders = replace(live.contacts[1], guid="k-t", client_guid="c-t", email="t@test.example")
    live = replace(
        live,
        services=(live.services[0], medical),
        clients=(*live.clients, sandbox),
        contacts=(*live.contacts, orders),
    )
    desired = desired_portal(ignore_clients=("test *",))
    with pytest.raises(ConfigError) as refused:
        make_plan(desired, live, "http://x")
    assert refused.value.problems == [
        "portal/clients.yaml:12:5: error: service 'Medical DE>EN': contact 't@test.example' of "
        "client 'TEST Sandbox', which the config leaves alone, still orders it; change that "
        "contact on the server first, or keep the service as it is"
    ]
    assigned = replace(sandbox, services=("s-med",))
    live = replace(live, clients=(*live.clients[:2], assigned))
    assert make_plan(desired, live, "http://x").changes  # assigned: the contact keeps it


def test_service_rename_is_one_rename_and_referencing_clients_stay_unchanged() -> None:
    desired = desired_portal()
    legal = replace(
        desired.services[0], name="Legal FR>EN (courts)", previous_names=("Legal FR>EN",)
    )
    rename = {"Legal FR>EN": "Legal FR>EN (courts)"}
    clients = tuple(
        replace(
            c,
            services=tuple(rename.get(s, s) for s in c.services),
            contacts=tuple(
                replace(k, services=tuple(rename.get(s, s) for s in k.services)) for k in c.contacts
            ),
        )
        for c in desired.clients
    )
    desired = replace(desired, services=(legal, desired.services[1]), clients=clients)
    (change,) = plan_changes(desired=desired)
    assert brief([change]) == [("rename", "service", "Legal FR>EN (courts)")]
    assert (change.before, change.after) == (
        {"name": "Legal FR>EN"},
        {"name": "Legal FR>EN (courts)"},
    )
    assert change.guid == "s-legal"


def test_client_rename_with_an_edit_is_a_rename_then_an_update_under_the_new_name() -> None:
    desired = desired_portal()
    acme = replace(desired.clients[1], name="Acme Corp", previous_names=("ACME",), description="x")
    desired = replace(desired, clients=(desired.clients[0], acme))
    changes = plan_changes(desired=desired)
    assert brief(changes) == [("rename", "client", "Acme Corp"), ("update", "client", "Acme Corp")]
    assert changes[0].before == {"name": "Acme"} and changes[0].guid == "c-acme"
    assert changes[1].after == {"description": "x"}


def test_both_old_and_new_name_live_is_a_config_error_with_the_place() -> None:
    desired = desired_portal()
    acme = replace(desired.clients[1], previous_names=("Société Générale",))
    desired = replace(desired, clients=(acme,))
    with pytest.raises(ConfigError, match=r"portal/clients.yaml:27:5: error: client 'Acme': both"):
        plan_changes(desired=desired)


def test_missing_template_is_a_config_error_naming_it() -> None:
    desired = desired_portal()
    bad = replace(desired.services[1], template="Nope DE-EN")
    desired = replace(desired, services=(desired.services[0], bad))
    with pytest.raises(ConfigError, match="template 'Nope DE-EN' does not exist on the server"):
        plan_changes(desired=desired)


def test_unicode_names_match_across_normalization_and_case() -> None:
    desired = desired_portal()
    decomposed = unicodedata.normalize("NFD", "SOCIÉTÉ GÉNÉRALE")
    client = replace(desired.clients[0], name=decomposed)
    desired = replace(desired, clients=(client, desired.clients[1]))
    changes = plan_changes(desired=desired)
    # Same client (no create/delete); the case change alone is a rename in place.
    assert brief(changes) == [("rename", "client", decomposed)]
    assert changes[0].guid == "c-sg"


def test_contact_email_change_through_previous_emails_is_a_rename_with_a_note() -> None:
    desired = desired_portal()
    jean = replace(
        desired.clients[0].contacts[0],
        email="jean.dupont@client.example",
        previous_emails=("jean@client.example",),
        full_name="Jean D.",
    )
    desired = replace(
        desired, clients=(replace(desired.clients[0], contacts=(jean,)), desired.clients[1])
    )
    changes = plan_changes(desired=desired)
    assert brief(changes) == [
        ("rename", "contact", "jean.dupont@client.example"),
        ("update", "contact", "jean.dupont@client.example"),
    ]
    assert "activate" in (changes[0].note or "")
    assert changes[1].before == {"full_name": "Jean Dupont"}
    assert all(c.client == "Société Générale" and c.guid == "k-jean" for c in changes)


def test_contact_moving_between_clients_is_a_delete_then_a_create() -> None:
    desired = desired_portal()
    sg, acme = desired.clients
    ann = replace(acme.contacts[0], services=("Legal FR>EN",))
    desired = replace(
        desired, clients=(replace(sg, contacts=(*sg.contacts, ann)), replace(acme, contacts=()))
    )
    changes = plan_changes(desired=desired)
    assert [(c.action, c.client, c.note, c.destructive) for c in changes] == [
        ("delete", "Acme", "moves to client Société Générale", True),
        ("create", "Société Générale", "moves from client Acme", False),
    ]


def test_undeclared_contact_of_a_managed_client_is_deleted() -> None:
    desired = desired_portal()
    desired = replace(
        desired, clients=(desired.clients[0], replace(desired.clients[1], contacts=()))
    )
    (change,) = plan_changes(desired=desired)
    assert (change.action, change.kind, change.key, change.client) == (
        "delete",
        "contact",
        "ann@acme.example",
        "Acme",
    )
    assert change.before == {
        "email": "ann@acme.example",
        "full_name": "Ann",
        "role": "manager",
        "services": ["Medical DE>EN"],
    }


def test_assignments_are_their_own_changes_compared_as_sets() -> None:
    desired = desired_portal()
    acme = replace(desired.clients[1], services=("Medical DE>EN",), project_managers=("MKOVACS",))
    desired = replace(desired, clients=(desired.clients[0], acme))
    (change,) = plan_changes(desired=desired)
    assert (change.action, change.kind, change.key) == ("update", "client_services", "Acme")
    assert change.before == {"services": ["Legal FR>EN", "Medical DE>EN"]}
    assert change.after == {"services": ["Medical DE>EN"]}
    assert (change.guid, change.version) == ("c-acme", 5)


def test_project_managers_are_ensured_but_undeclared_ones_left_alone() -> None:
    live = live_portal()
    mk = replace(live.users[0], full_name="M. Kovács", is_disabled=True)
    live = replace(
        live,
        users=(mk, live.users[1]),
        project_managers_group=replace(live.project_managers_group, members=frozenset({"u-admin"})),
    )
    plan = make_plan(desired_portal(), live, "http://x")
    (change,) = plan.changes
    assert change.before == {"full_name": "M. Kovács", "project_managers_group": False}
    assert change.after == {"full_name": "Mária Kovács", "project_managers_group": True}
    assert (change.guid, change.version) == ("u-mk", 1)
    assert any("'mkovacs'" in w and "disabled" in w for w in plan.warnings)


def test_contact_with_an_email_held_by_an_ignored_client_is_refused() -> None:
    live = live_portal()
    other = replace(live.clients[1], guid="c-t", name="Test Co")
    taken = replace(live.contacts[1], guid="k-t", client_guid="c-t", email="new@x.example")
    live = replace(live, clients=(*live.clients, other), contacts=(*live.contacts, taken))
    desired = desired_portal(ignore_clients=("Test*",))
    sg = desired.clients[0]
    newcomer = Contact("new@x.example", "New", "observer", source=at(40))
    desired = replace(
        desired, clients=(replace(sg, contacts=(*sg.contacts, newcomer)), desired.clients[1])
    )
    with pytest.raises(ConfigError, match="live under client 'Test Co'"):
        make_plan(desired, live, "http://x")
