"""The order of a plan: dependencies first, deletes last in reverse dependency order (engine.md).

PMs and services exist before clients refer to them; a contact that moves is deleted before it is
created again (its email is unique on the server); contacts go before their client is deleted.
"""

from __future__ import annotations

from collections.abc import Iterable

from portalsync.changes import Change
from portalsync.names import name_key

_ACTION_RANK = {"rename": 0, "update": 1, "create": 2, "delete": 3}


def _phase(change: Change) -> int:
    if change.action == "delete":
        if change.kind == "contact":
            return 4 if change.note and change.note.startswith("moves to") else 7
        return 8 if change.kind == "client" else 9
    return {
        "project_manager": 0,
        "service": 1,
        "client": 2,
        "client_project_managers": 3,
        "client_services": 3,
        "contact": 5,
    }[change.kind]


def _sort_key(change: Change) -> tuple[int, str, str, int, str]:
    return (
        _phase(change),
        name_key(change.client or ""),
        name_key(change.key),
        _ACTION_RANK[change.action],
        change.kind,
    )


def ordered(changes: Iterable[Change]) -> tuple[Change, ...]:
    return tuple(sorted(changes, key=_sort_key))
