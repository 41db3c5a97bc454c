"""The pure diff: desired and live portals in, ordered changes out. No I/O anywhere below here.

Matching is by key in dicts, so cost grows linearly with the portal; field-level comparison runs
only on pairs already matched (design/engine.md, Scale).
"""

from __future__ import annotations

from dataclasses import dataclass

from portalsync.changes import Change
from portalsync.diff.contacts import diff_contacts
from portalsync.diff.order import ordered
from portalsync.diff.ownership import is_ignored
from portalsync.diff.portal import (
    Scope,
    diff_clients,
    diff_project_managers,
    diff_services,
    make_scope,
)
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
    _warn_of_deleted_services_still_in_use(scope)
    prune = desired.settings.prune
    unmanaged_clients = 0 if prune else len(scope.clients.unclaimed)
    left_alone = LeftAlone(
        ignored_clients=len(scope.ignored_clients),
        unmanaged_clients=unmanaged_clients,
        unmanaged_services=0 if prune else len(scope.services.unclaimed),
        managed_clients=len(live.clients) - len(scope.ignored_clients) - unmanaged_clients,
    )
    return Diff(ordered(scope.changes), tuple(scope.warnings), left_alone)


def _warn_of_deleted_services_still_in_use(scope: Scope) -> None:
    """A service the config deletes may still serve a client it leaves alone (ignored or
    unmanaged): the plan cannot change that client, so the reviewer must hear of it."""
    deleted = {c.guid: c.key for c in scope.changes if c.kind == "service" and c.action == "delete"}
    if not deleted:
        return
    managed = scope.managed_clients()
    for client in scope.live.clients:
        if name_key(client.name) in managed:
            continue
        for guid in sorted(set(client.services) & deleted.keys()):
            scope.warnings.append(
                f"service '{deleted[guid]}' is planned for deletion, but client '{client.name}', "
                "which the config leaves alone, still uses it"
            )
