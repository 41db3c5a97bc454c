"""Config-shaped plain data of each object, and the field-level comparison of two of them.

Only fields the config owns are compared: GUIDs, versions, contact status and service languages
belong to the server. Names in lists (PMs, services) compare by their normalized key and are shown
sorted, so order and case in the YAML never make a change.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

from portalsync.model import Client, Contact, ProjectManager, Service
from portalsync.names import name_key

Fields = dict[str, Any]

# Compared by normalized key rather than exact text: a template name or an email in another case
# is the same template or login on the server.
_KEYED_TEXT = frozenset({"template", "email"})
_NAME_LISTS = frozenset({"project_managers", "services"})


def sorted_names(names: Iterable[str]) -> list[str]:
    return sorted(names, key=name_key)


def project_manager_fields(pm: ProjectManager) -> Fields:
    return {"username": pm.username, "full_name": pm.full_name, "email": pm.email}


def service_fields(service: Service) -> Fields:
    return {
        "name": service.name,
        "description": service.description,
        "template": service.template,
        "workflow": service.workflow,
        "all_clients": service.all_clients,
    }


def client_fields(client: Client) -> Fields:
    return {"name": client.name, "description": client.description}


def contact_fields(contact: Contact) -> Fields:
    return {
        "email": contact.email,
        "full_name": contact.full_name,
        "role": contact.role,
        "services": sorted_names(contact.services),
    }


def same_value(field: str, live: Any, desired: Any) -> bool:
    if field in _KEYED_TEXT:
        return bool(name_key(live) == name_key(desired))
    if field in _NAME_LISTS:
        return {name_key(n) for n in live} == {name_key(n) for n in desired}
    return bool(live == desired)


def changed_fields(live: Fields, desired: Fields, fields: Iterable[str]) -> tuple[Fields, Fields]:
    """`before` and `after` holding only the fields that differ (both empty when none do)."""
    before: Fields = {}
    after: Fields = {}
    for field in fields:
        if not same_value(field, live[field], desired[field]):
            before[field] = live[field]
            after[field] = desired[field]
    return before, after


def same_name(live: str, desired: str) -> bool:
    """Exact spelling after NFC and trimming: a change of case alone is still a rename."""
    return (
        unicodedata.normalize("NFC", live).strip() == unicodedata.normalize("NFC", desired).strip()
    )
