"""The pure diff: desired and live portals in, ordered changes out. No I/O anywhere below here.

Matching is by key in dicts, so cost grows linearly with the portal; field-level comparison runs
only on pairs already matched (design/engine.md, Scale).
"""

from __future__ import annotations

from dataclasses import dataclass

from portalsync.changes import Change
from portalsync.diff.contacts import diff_contacts
from portalsync.diff.order import ordered
from portalsync.diff.ownership import is_ignored, where
from portalsync.diff.portal import (
    Scope,
    diff_clients,
    diff_project_managers,
    diff_services,
    make_scope,
)
from portalsync.errors import ConfigError
from portalsync.live import LivePortal
from portalsync.model import DesiredPortal
from portalsync.names import name_key

__all__ = ["Diff", "LeftAlone", "diff", "is_ignored"]


@dataclass(frozen=True)
class LeftAlone:
    """Live objects the config does not own, counted so the plan can say so."""

    ignored_clients: int  # match settings.ignore_clients
    unmanaged_clients: int  # undeclared, with prune: false
    unmanaged_services: int
    managed_clients: int  # live clients the config owns (the base of the thresholds)


@dataclass(frozen=True)
class Diff:
    changes: tuple[Change, ...]
    warnings: tuple[str, ...]
    left_alone: LeftAlone


def diff(desired: DesiredPortal, live: LivePortal) -> Diff:
    """Every change that makes `live` match `desired`, in dependency order."""
    scope = make_scope(desired, live)
    diff_project_managers(scope)
    diff_services(scope)
    diff_clients(scope)
    diff_contacts(scope)
    _check_services_withdrawn_from_clients_left_alone(scope)
    prune = desired.settings.prune
    unmanaged_clients = 0 if prune else len(scope.clients.unclaimed)
    left_alone = LeftAlone(
        ignored_clients=len(scope.ignored_clients),
        unmanaged_clients=unmanaged_clients,
        unmanaged_services=0 if prune else len(scope.services.unclaimed),
        managed_clients=len(live.clients) - len(scope.ignored_clients) - unmanaged_clients,
    )
    return Diff(ordered(scope.changes), tuple(scope.warnings), left_alone)


def _check_services_withdrawn_from_clients_left_alone(scope: Scope) -> None:
    """A service the config deletes, or stops offering to all clients, may still serve a client
    the config leaves alone (ignored or unmanaged), which the plan cannot change. Where one of
    that client's contacts orders it, the server would refuse the change (ServiceInUse) on every
    apply: refuse the plan now, naming the way out. A mere assignment only earns a warning."""
    withdrawn = _withdrawn_services(scope)
    if not withdrawn:
        return
    managed = scope.managed_clients()
    left_alone = {c.guid: c for c in scope.live.clients if name_key(c.name) not in managed}
    problems = []
    for contact in scope.live.contacts:
        client = left_alone.get(contact.client_guid)
        if client is None:
            continue
        for guid in contact.services:
            change = withdrawn.get(guid)
            if change and (change.action == "delete" or guid not in client.services):
                problems.append(
                    f"{where(change.source)}service '{change.key}': contact '{contact.email}' "
                    f"of client '{client.name}', which the config leaves alone, still orders it; "
                    "change that contact on the server first, or keep the service as it is"
                )
    if problems:
        raise ConfigError(problems[0], problems=sorted(set(problems)))
    for client in left_alone.values():
        for guid in sorted(set(client.services) & withdrawn.keys()):
            if withdrawn[guid].action == "delete":
                scope.warnings.append(
                    f"service '{withdrawn[guid].key}' is planned for deletion, but client "
                    f"'{client.name}', which the config leaves alone, still uses it"
                )


def _withdrawn_services(scope: Scope) -> dict[str, Change]:
    """Live services this plan deletes or turns `all_clients` off for, by GUID."""
    withdrawn = {}
    for change in scope.changes:
        if change.kind != "service" or change.guid is None:
            continue
        turned_off = (change.after or {}).get("all_clients") is False
        if change.action == "delete" or (change.action == "update" and turned_off):
            withdrawn[change.guid] = change
    return withdrawn
