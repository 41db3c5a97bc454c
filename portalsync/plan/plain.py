"""Plain (JSON-ready) data of changes, desired and live portals, and the way back.

Saved plans carry all three, so `apply --plan FILE` can work without the YAML files.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from portalsync.changes import Action, Change, Kind
from portalsync.live import (
    LiveClient,
    LiveContact,
    LiveGroup,
    LivePortal,
    LiveService,
    LiveTemplate,
    LiveUser,
)
from portalsync.model import (
    Client,
    Contact,
    DesiredPortal,
    ProjectManager,
    Role,
    Service,
    Settings,
    SetupRule,
    Source,
    Thresholds,
    Workflow,
)

Plain = dict[str, Any]


def source_plain(source: Source | None) -> Plain | None:
    if source is None:
        return None
    return {"file": source.file, "line": source.line, "column": source.column}


def source_from(data: Mapping[str, Any] | None) -> Source | None:
    return None if data is None else Source(data["file"], data["line"], data["column"])


def change_plain(change: Change) -> Plain:
    return {
        "action": change.action,
        "kind": change.kind,
        "key": change.key,
        "client": change.client,
        "destructive": change.destructive,
        "before": None if change.before is None else dict(change.before),
        "after": None if change.after is None else dict(change.after),
        "note": change.note,
        "source": source_plain(change.source),
        "guid": change.guid,
        "version": change.version,
    }


def change_from(data: Mapping[str, Any]) -> Change:
    return Change(
        action=cast(Action, data["action"]),
        kind=cast(Kind, data["kind"]),
        key=data["key"],
        before=data["before"],
        after=data["after"],
        client=data["client"],
        destructive=data["destructive"],
        source=source_from(data["source"]),
        guid=data["guid"],
        version=data["version"],
        note=data["note"],
    )


def desired_plain(desired: DesiredPortal) -> Plain:
    settings = desired.settings
    return {
        "settings": {
            "prune": settings.prune,
            "ignore_clients": list(settings.ignore_clients),
            "thresholds": vars_of(settings.thresholds),
            "setup_rule": vars_of(settings.setup_rule),
        },
        "project_managers": [
            {
                "username": pm.username,
                "full_name": pm.full_name,
                "email": pm.email,
                "source": source_plain(pm.source),
            }
            for pm in desired.project_managers
        ],
        "services": [
            {
                "name": s.name,
                "description": s.description,
                "template": s.template,
                "workflow": s.workflow,
                "all_clients": s.all_clients,
                "previous_names": list(s.previous_names),
                "source": source_plain(s.source),
            }
            for s in desired.services
        ],
        "clients": [_client_plain(client) for client in desired.clients],
        "files": list(desired.files),
        "digest": desired.digest,
    }


def vars_of(obj: Thresholds | SetupRule) -> Plain:
    return {name: getattr(obj, name) for name in obj.__slots__}


def _client_plain(client: Client) -> Plain:
    return {
        "name": client.name,
        "description": client.description,
        "project_managers": list(client.project_managers),
        "services": list(client.services),
        "previous_names": list(client.previous_names),
        "source": source_plain(client.source),
        "contacts": [
            {
                "email": c.email,
                "full_name": c.full_name,
                "role": c.role,
                "services": list(c.services),
                "previous_emails": list(c.previous_emails),
                "source": source_plain(c.source),
            }
            for c in client.contacts
        ],
    }


def desired_from(data: Mapping[str, Any]) -> DesiredPortal:
    settings = data["settings"]
    return DesiredPortal(
        settings=Settings(
            prune=settings["prune"],
            ignore_clients=tuple(settings["ignore_clients"]),
            thresholds=Thresholds(**settings["thresholds"]),
            setup_rule=SetupRule(**settings["setup_rule"]),
        ),
        project_managers=tuple(
            ProjectManager(p["username"], p["full_name"], p["email"], source_from(p["source"]))
            for p in data["project_managers"]
        ),
        services=tuple(
            Service(
                s["name"],
                s["template"],
                cast(Workflow, s["workflow"]),
                s["description"],
                s["all_clients"],
                tuple(s["previous_names"]),
                source_from(s["source"]),
            )
            for s in data["services"]
        ),
        clients=tuple(_client_from(c) for c in data["clients"]),
        files=tuple(data["files"]),
        digest=data["digest"],
    )


def _client_from(data: Mapping[str, Any]) -> Client:
    return Client(
        name=data["name"],
        description=data["description"],
        project_managers=tuple(data["project_managers"]),
        services=tuple(data["services"]),
        previous_names=tuple(data["previous_names"]),
        source=source_from(data["source"]),
        contacts=tuple(
            Contact(
                c["email"],
                c["full_name"],
                cast(Role, c["role"]),
                tuple(c["services"]),
                tuple(c["previous_emails"]),
                source_from(c["source"]),
            )
            for c in data["contacts"]
        ),
    )


def live_plain(live: LivePortal) -> Plain:
    """Rows of positional values: a saved plan of a big portal stays a reasonable size."""
    group = live.project_managers_group
    return {
        "users": [list(_values(u)) for u in live.users],
        "project_managers_group": [group.guid, group.name, group.version, sorted(group.members)],
        "templates": [list(_values(t)) for t in live.templates],
        "services": [list(_values(s)) for s in live.services],
        "clients": [list(_values(c)) for c in live.clients],
        "contacts": [list(_values(c)) for c in live.contacts],
    }


def _values(obj: Any) -> tuple[Any, ...]:
    return tuple(getattr(obj, name) for name in obj.__slots__)


def live_from(data: Mapping[str, Any]) -> LivePortal:
    guid, name, version, members = data["project_managers_group"]
    return LivePortal(
        users=tuple(LiveUser(*row) for row in data["users"]),
        project_managers_group=LiveGroup(guid, name, version, frozenset(members)),
        templates=tuple(_row(LiveTemplate, row, 3) for row in data["templates"]),
        services=tuple(_row(LiveService, row, 7) for row in data["services"]),
        clients=tuple(_row(LiveClient, row, 3, 4) for row in data["clients"]),
        contacts=tuple(_row(LiveContact, row, 5) for row in data["contacts"]),
    )


def _row(cls: Any, row: list[Any], *tuple_columns: int) -> Any:
    """Rebuild a live dataclass, turning JSON lists back into the tuples it holds."""
    values = [tuple(v) if i in tuple_columns else v for i, v in enumerate(row)]
    return cls(*values)
