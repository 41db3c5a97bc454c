"""The step graph, pure: which step waits for which, and in which wave it runs."""

from __future__ import annotations

from portalsync.apply.graph import BUILD, RETIRE_CLIENTS, RETIRE_CONTACTS, RETIRE_SERVICES, Step
from portalsync.apply.ordering import GROUP_STEP, build_steps
from portalsync.changes import Change
from portalsync.live import (
    PROJECT_MANAGERS_GROUP,
    LiveClient,
    LiveContact,
    LiveGroup,
    LivePortal,
    LiveService,
    LiveTemplate,
    LiveUser,
)


def live_portal() -> LivePortal:
    """Two clients: Société Générale (Legal) and Acme (Legal, Medical; Ann holds Medical)."""
    return LivePortal(
        users=(LiveUser("u-mk", "mkovacs", "Mária Kovács", "mk@lsp.example", False, 1),),
        project_managers_group=LiveGroup(
            PROJECT_MANAGERS_GROUP, "ProjectManagers", 2, frozenset({"u-mk"})
        ),
        templates=(LiveTemplate("t-legal", "Legal FR-EN", "fre", ("eng",)),),
        services=(
            LiveService("s-legal", "Legal FR>EN", "", "t-legal", "quote", False, "fre", (), 1),
            LiveService("s-med", "Medical DE>EN", "", "t-legal", "quote", False, "ger", (), 1),
        ),
        clients=(
            LiveClient("c-sg", "Société Générale", "", ("u-mk",), ("s-legal",), 3),
            LiveClient("c-acme", "Acme", "", ("u-mk",), ("s-med", "s-legal"), 5),
        ),
        contacts=(
            LiveContact("k-jean", "c-sg", "jean@client.example", "Jean", "requester",
                        ("s-legal",), "active", 1),
            LiveContact("k-ann", "c-acme", "ann@acme.example", "Ann", "manager", ("s-med",),
                        "pending", 2),
        ),
    )  # fmt: skip


def graph(*changes: Change) -> dict[str, Step]:
    return {step.id: step for step in build_steps(changes, live_portal())}


def test_a_new_client_gets_its_pms_in_the_step_that_creates_it() -> None:
    steps = graph(
        Change("create", "project_manager", "newpm", None, {"username": "newpm"}),
        Change("create", "client", "Zeta", None, {"name": "Zeta", "description": ""}),
        Change("create", "client_project_managers", "Zeta", None, {"project_managers": ["newpm"]}),
        Change("create", "client_services", "Zeta", None, {"services": ["Legal FR>EN"]}),
        Change("create", "contact", "z@zeta.example", None, {"services": []}, client="Zeta"),
    )
    create = steps["client:zeta:create"]
    assert create.changes == (1, 2)
    assert {"user:newpm:create", GROUP_STEP} <= create.needs
    assert steps[GROUP_STEP].after == {"user:newpm:create"}
    assert steps["client:zeta:widen"].needs == {"client:zeta:create"}
    assert steps["contact:zeta/z@zeta.example:create"].needs == {"client:zeta:widen"}


def test_services_widen_before_contacts_and_narrow_after_them() -> None:
    # Acme has Legal and Medical; it keeps Medical only and gains a new service.
    steps = graph(
        Change("create", "service", "New", None, {"name": "New", "template": "Legal FR-EN"}),
        Change(
            "update", "client_services", "Acme", {"services": ["Legal FR>EN", "Medical DE>EN"]},
            {"services": ["Medical DE>EN", "New"]}, guid="c-acme", version=3,
        ),
        Change("update", "contact", "ann@acme.example", {}, {"services": ["New"]}, client="Acme",
               guid="k-ann", version=1),
    )  # fmt: skip
    widen, narrow = steps["client:acme:widen"], steps["client:acme:narrow"]
    assert widen.wave == BUILD and widen.needs == {"service:new:create"}
    contact = steps["contact:acme/ann@acme.example:update"]
    assert contact.wave == BUILD and "client:acme:widen" in contact.needs
    assert narrow.wave == RETIRE_CONTACTS
    assert contact.id in narrow.needs and widen.id in narrow.needs


def test_only_adding_a_service_needs_no_narrowing_and_only_removing_no_widening() -> None:
    adding = graph(
        Change("update", "client_services", "Société Générale", {},
               {"services": ["Legal FR>EN", "Medical DE>EN"]}, guid="c-sg", version=1),
    )  # fmt: skip
    assert set(adding) == {"client:société générale:widen"}
    removing = graph(
        Change("update", "client_services", "Acme", {}, {"services": ["Legal FR>EN"]},
               guid="c-acme", version=1),
    )  # fmt: skip
    assert set(removing) == {"client:acme:narrow"}


def test_a_move_frees_the_email_first_other_deletes_go_last_in_reverse_order() -> None:
    steps = graph(
        Change("delete", "contact", "jean@client.example", {}, None, client="Société Générale",
               guid="k-jean", version=1),
        Change("create", "contact", "jean@client.example", None, {"services": []}, client="Acme"),
        Change("delete", "contact", "ann@acme.example", {}, None, client="Acme", guid="k-ann",
               version=1),
        Change("delete", "client", "Société Générale", {}, None, guid="c-sg", version=1),
        Change("delete", "service", "Medical DE>EN", {}, None, guid="s-med", version=1),
    )  # fmt: skip
    moved = steps["contact:société générale/jean@client.example:delete"]
    assert moved.wave == BUILD
    assert moved.id in steps["contact:acme/jean@client.example:create"].needs
    ann = steps["contact:acme/ann@acme.example:delete"]
    assert ann.wave == RETIRE_CONTACTS
    assert steps["client:société générale:delete"].wave == RETIRE_CLIENTS
    service = steps["service:medical de>en:delete"]
    assert service.wave == RETIRE_SERVICES
    assert ann.id in service.needs  # Ann holds Medical: her delete must succeed first


def test_steps_on_one_object_are_chained_so_versions_follow_each_other() -> None:
    steps = graph(
        Change("rename", "client", "Acme Ltd", {"name": "Acme"}, {"name": "Acme Ltd"},
               guid="c-acme", version=4),
        Change("update", "client", "Acme Ltd", {"description": ""}, {"description": "x"},
               guid="c-acme", version=4),
        Change("update", "client_project_managers", "Acme Ltd", {}, {"project_managers": []},
               guid="c-acme", version=4),
    )  # fmt: skip
    assert steps["client:acme ltd:update"].needs == {"client:acme ltd:rename"}
    assert steps["client:acme ltd:pms"].needs == {"client:acme ltd:update"}


def test_a_service_that_stops_being_for_all_clients_changes_last() -> None:
    steps = graph(
        Change("update", "service", "Legal FR>EN", {"all_clients": True}, {"all_clients": False},
               guid="s-legal", version=1),
        Change("update", "service", "Medical DE>EN", {"all_clients": False},
               {"all_clients": True}, guid="s-med", version=1),
    )  # fmt: skip
    assert steps["service:legal fr>en:update"].wave == RETIRE_SERVICES
    assert steps["service:medical de>en:update"].wave == BUILD
