"""What export writes: the live portal in config shape, sorted, with only the PMs clients use, and
memoQ's setup rule relaxed exactly where the live portal breaks it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from portalsync.live import LivePortal
from portalsync.model import Client, DesiredPortal, ProjectManager, Settings, SetupRule, Severity
from portalsync.names import name_key
from portalsync.observed import Observed, observe

# The parts of memoQ's setup rule, as settings.setup_rule names them, and as people say them.
SETUP_PARTS = {"project_manager": "project manager", "contact": "contact", "service": "service"}


@dataclass(frozen=True)
class ExportedPortal:
    portal: DesiredPortal
    gaps: dict[str, tuple[str, ...]]  # client name -> setup-rule parts it lacks
    warnings: tuple[str, ...]  # what the config cannot say (dangling references, ...)


def export_portal(live: LivePortal) -> ExportedPortal:
    """The live portal as the config that `plan` finds identical to it."""
    observed = observe(live)
    warnings: list[str] = []
    clients = tuple(
        _sorted_client(client, observed, warnings)
        for client in sorted(observed.portal.clients, key=lambda c: name_key(c.name))
    )
    any_for_all = any(service.all_clients for service in observed.portal.services)
    gaps = {client.name: _gaps(client, any_for_all) for client in clients}
    gaps = {name: parts for name, parts in gaps.items() if parts}
    portal = DesiredPortal(
        settings=Settings(setup_rule=_relaxed(gaps)),
        project_managers=_assigned_project_managers(clients, observed, warnings),
        services=tuple(sorted(observed.portal.services, key=lambda s: name_key(s.name))),
        clients=clients,
    )
    return ExportedPortal(portal, gaps, tuple(warnings))


def _sorted_client(client: Client, observed: Observed, warnings: list[str]) -> Client:
    def known(names: tuple[str, ...], table: Mapping[str, object], what: str) -> tuple[str, ...]:
        # observe() leaves a reference to an object the server no longer lists as its bare GUID;
        # no config can declare that, so export drops it and says so.
        for name in names:
            if name_key(name) not in table:
                warnings.append(f"client '{client.name}': unknown {what} {name} left out")
        return tuple(sorted((n for n in names if name_key(n) in table), key=name_key))

    contacts = sorted(client.contacts, key=lambda contact: name_key(contact.email))
    return replace(
        client,
        project_managers=known(client.project_managers, observed.users, "user"),
        services=known(client.services, observed.services, "service"),
        contacts=tuple(
            replace(contact, services=known(contact.services, observed.services, "service"))
            for contact in contacts
        ),
    )


def _assigned_project_managers(
    clients: tuple[Client, ...], observed: Observed, warnings: list[str]
) -> tuple[ProjectManager, ...]:
    """Only users some client is assigned to: the config declares the PMs it uses."""
    usernames = {name_key(username) for client in clients for username in client.project_managers}
    members = observed.portal.project_managers
    member_keys = {pm.key for pm in members}
    declared = [pm for pm in members if pm.key in usernames]
    for key in sorted(usernames - member_keys):
        user = observed.users[key]
        warnings.append(
            f"user '{user.username}' is assigned to a client but not in the ProjectManagers "
            "group: exported as a project manager, so plan will add it to the group"
        )
        declared.append(ProjectManager(user.username, user.full_name, user.email))
    return tuple(sorted(declared, key=lambda pm: pm.key))


def _gaps(client: Client, any_for_all: bool) -> tuple[str, ...]:
    lacking = {
        "project_manager": not client.project_managers,
        "contact": not client.contacts,
        # A service open to all clients lets every client order something (as validate counts).
        "service": not client.services and not any_for_all,
    }
    return tuple(part for part, is_lacking in lacking.items() if is_lacking)


def _relaxed(gaps: dict[str, tuple[str, ...]]) -> SetupRule:
    lacking = {part for parts in gaps.values() for part in parts}

    def severity(part: str) -> Severity:
        return "warning" if part in lacking else "error"

    return SetupRule(severity("project_manager"), severity("contact"), severity("service"))
