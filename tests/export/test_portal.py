"""export_portal(): sorted, only assigned PMs, the setup rule relaxed exactly where it is broken."""

from __future__ import annotations

from dataclasses import replace

from portalsync.export.portal import export_portal
from portalsync.live import LivePortal
from portalsync.model import SetupRule


def test_everything_is_sorted_by_key(live: LivePortal) -> None:
    portal = export_portal(live).portal
    assert [s.name for s in portal.services] == ["Legal FR>EN", "yes"]
    assert [c.name for c in portal.clients] == ["Société Générale", "東京翻訳"]
    assert [c.email for c in portal.clients[0].contacts] == [
        "Jean@Client.example",
        "zoe@client.example",
    ]


def test_only_project_managers_assigned_to_a_client_are_declared(live: LivePortal) -> None:
    portal = export_portal(live).portal
    assert [pm.username for pm in portal.project_managers] == ["mkovacs"]


def test_an_assigned_user_outside_the_pm_group_is_declared_with_a_warning(
    live: LivePortal,
) -> None:
    group = replace(live.project_managers_group, members=frozenset({"u2"}))
    exported = export_portal(replace(live, project_managers_group=group))
    assert [pm.username for pm in exported.portal.project_managers] == ["mkovacs"]
    assert any("'mkovacs'" in warning for warning in exported.warnings)


def test_a_dangling_reference_is_left_out_with_a_warning(live: LivePortal) -> None:
    exported = export_portal(live)
    assert exported.portal.clients[0].services == ("Legal FR>EN",)
    assert exported.warnings == ("client 'Société Générale': unknown service s-gone left out",)


def test_the_setup_rule_is_relaxed_exactly_for_the_parts_clients_lack(
    live: LivePortal,
) -> None:
    exported = export_portal(live)
    assert exported.gaps == {"東京翻訳": ("project_manager", "contact")}
    assert exported.portal.settings.setup_rule == SetupRule("warning", "warning", "error")


def test_without_a_service_for_all_clients_the_service_part_is_relaxed_too(
    live: LivePortal,
) -> None:
    services = tuple(replace(service, all_clients=False) for service in live.services)
    exported = export_portal(replace(live, services=services))
    assert exported.gaps == {"東京翻訳": ("project_manager", "contact", "service")}
    assert exported.portal.settings.setup_rule == SetupRule("warning", "warning", "warning")


def test_a_complete_portal_keeps_the_setup_rule_strict(live: LivePortal) -> None:
    exported = export_portal(replace(live, clients=live.clients[1:]))
    assert exported.gaps == {}
    assert exported.portal.settings.setup_rule == SetupRule()
