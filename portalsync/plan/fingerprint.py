"""The live objects a plan depends on, as readable records, and how two snapshots differ.

In scope: users declared as PMs, the ProjectManagers group, templates, services, clients not
matching `ignore_clients`, and those clients' contacts. Records hold names, not GUIDs, so a
difference reads as the config would say it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from portalsync.diff import is_ignored
from portalsync.live import LivePortal
from portalsync.model import DesiredPortal
from portalsync.names import name_key


@dataclass(frozen=True)
class Record:
    kind: str
    label: str  # how the object is named in a message
    version: int | None  # None for templates, which have no version
    fields: dict[str, Any]


def records(desired: DesiredPortal, live: LivePortal) -> dict[str, Record]:
    """Every in-scope live object by `kind:guid`."""
    users = {user.guid: user.username for user in live.users}
    services = {service.guid: service.name for service in live.services}
    templates = {template.guid: template.name for template in live.templates}
    found: dict[str, Record] = {}
    declared = {pm.key for pm in desired.project_managers}
    for user in live.users:
        if name_key(user.username) in declared:
            fields = {
                "full_name": user.full_name,
                "email": user.email,
                "disabled": user.is_disabled,
            }
            found[f"user:{user.guid}"] = Record("user", user.username, user.version, fields)
    group = live.project_managers_group
    members = sorted(users.get(guid, guid) for guid in group.members)
    found[f"group:{group.guid}"] = Record("group", group.name, group.version, {"members": members})
    for template in live.templates:
        fields = {
            "name": template.name,
            "source_language": template.source_language,
            "target_languages": list(template.target_languages),
        }
        found[f"template:{template.guid}"] = Record("template", template.name, None, fields)
    for service in live.services:
        fields = {
            "name": service.name,
            "description": service.description,
            "template": templates.get(service.template_guid, service.template_guid),
            "workflow": service.workflow,
            "all_clients": service.all_clients,
        }
        found[f"service:{service.guid}"] = Record("service", service.name, service.version, fields)
    clients = {}
    for client in live.clients:
        if is_ignored(client.name, desired.settings.ignore_clients):
            continue
        clients[client.guid] = client.name
        fields = {
            "name": client.name,
            "description": client.description,
            "project_managers": _names(client.project_managers, users),
            "services": _names(client.services, services),
        }
        found[f"client:{client.guid}"] = Record("client", client.name, client.version, fields)
    for contact in live.contacts:
        if contact.client_guid not in clients:
            continue
        label = f"{contact.email} of {clients[contact.client_guid]}"
        fields = {
            "email": contact.email,
            "full_name": contact.full_name,
            "role": contact.role,
            "services": _names(contact.services, services),
        }
        found[f"contact:{contact.guid}"] = Record("contact", label, contact.version, fields)
    return found


def _names(guids: tuple[str, ...], table: dict[str, str]) -> list[str]:
    return sorted((table.get(guid, guid) for guid in guids), key=name_key)


def digest(found: dict[str, Record]) -> str:
    """sha256 over the records, canonical JSON: equal exactly when nothing in scope changed."""
    hasher = hashlib.sha256()
    for key in sorted(found):
        record = found[key]
        line = json.dumps([key, record.version, record.fields], sort_keys=True, ensure_ascii=False)
        hasher.update(line.encode("utf-8") + b"\n")
    return hasher.hexdigest()


def differences(then: dict[str, Record], now: dict[str, Record]) -> list[str]:
    """One line per object that changed, appeared or disappeared between two snapshots."""
    lines = []
    for key in sorted(then.keys() | now.keys()):
        old, new = then.get(key), now.get(key)
        if new is None and old is not None:
            lines.append(f"{old.kind} '{old.label}' was deleted since the plan")
        elif old is None and new is not None:
            lines.append(f"{new.kind} '{new.label}' was created since the plan")
        elif old is not None and new is not None:
            line = _changed(old, new)
            if line:
                lines.append(line)
    return lines


def _changed(old: Record, new: Record) -> str | None:
    # A versioned object counts as changed when its version moved: a rename of a service it
    # refers to changes what its fields read as, not the object itself.
    if old.version is not None and old.version == new.version:
        return None
    fields = field_changes(old.fields, new.fields)
    if old.version is None and not fields:
        return None
    version = f" (version {old.version} -> {new.version})" if old.version is not None else ""
    detail = "; ".join(fields) if fields else "changed"
    return f"{old.kind} '{old.label}'{version}: {detail}"


def field_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Field-level detail of two records already known to differ (so deepdiff's cost is paid
    only for them): `description "a" -> "b"`, `services: added "Legal FR>EN"`."""
    from deepdiff import DeepDiff  # only a stale plan pays for its import (pydantic and more)

    lines: dict[str, list[str]] = {}
    tree = DeepDiff(old, new, ignore_order=True, view="tree")
    for report, items in sorted(tree.items()):
        for item in items:
            name, *_index = item.path(output_format="list")
            lines.setdefault(str(name), []).append(_describe(report, item.t1, item.t2))
    return [f"{name} {', '.join(parts)}" for name, parts in sorted(lines.items())]


def _describe(report: str, before: Any, after: Any) -> str:
    if report == "iterable_item_added":
        return f"added {_show(after)}"
    if report == "iterable_item_removed":
        return f"removed {_show(before)}"
    return f"{_show(before)} -> {_show(after)}"


def _show(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)
