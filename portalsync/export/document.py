"""The exported portal as config text: one file, or `portal.yaml` plus one file per client.

Every file starts with the `$schema` comment editors read, then `version: 1`. Lists are sorted by
key and fields keep the order of the config docs, so exporting the same portal twice gives the same
bytes, and exporting after a change gives a diff of just that change.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any

import yaml

from portalsync.diff.fields import project_manager_fields, service_fields
from portalsync.export.portal import SETUP_PARTS, ExportedPortal
from portalsync.export.slugs import client_slugs
from portalsync.export.yaml_text import dump
from portalsync.model import Client, Contact, Settings

PORTAL_FILE = PurePosixPath("portal.yaml")
CLIENTS_DIR = PurePosixPath("clients")

_RELAXED_WHY = [
    "memoQ's setup rule wants every client to have at least one project manager, contact and",
    "service. Some clients of the exported portal do not (each is marked below), so the parts",
    "they lack are relaxed to warnings: validate passes and still shows every gap.",
    "Complete those clients, then remove these lines.",
]


def render_single(exported: ExportedPortal, schema_ref: str) -> str:
    """The whole portal as one config file."""
    portal = exported.portal
    return _file(
        schema_ref,
        [
            _settings_section(portal.settings),
            _list_section(
                "project_managers", [project_manager_fields(pm) for pm in portal.project_managers]
            ),
            _list_section("services", [service_fields(service) for service in portal.services]),
            _clients_section(portal.clients, exported.gaps),
        ],
    )


def render_per_client(exported: ExportedPortal, schema_ref: str) -> dict[PurePosixPath, str]:
    """`portal.yaml` (settings, PMs, services) and `clients/<slug>.yaml`, by relative path."""
    portal = exported.portal
    files = {
        PORTAL_FILE: _file(
            schema_ref,
            [
                _settings_section(portal.settings),
                _list_section(
                    "project_managers",
                    [project_manager_fields(pm) for pm in portal.project_managers],
                ),
                _list_section("services", [service_fields(service) for service in portal.services]),
            ],
        )
    }
    slugs = client_slugs(client.name for client in portal.clients)
    for client in portal.clients:
        path = CLIENTS_DIR / f"{slugs[client.name]}.yaml"
        files[path] = _file(schema_ref, [_clients_section([client], exported.gaps)])
    return files


def _file(schema_ref: str, sections: Iterable[tuple[str, Any] | None]) -> str:
    texts = [f"# yaml-language-server: $schema={schema_ref}\nversion: 1\n"]
    data: dict[str, Any] = {"version": 1}
    for section in sections:
        if section is not None:
            texts.append(section[0])
            data.update(section[1])
    text = "\n".join(texts)
    _check_reads_back(text, data)
    return text


def _check_reads_back(text: str, data: dict[str, Any]) -> None:
    # The comments are stitched in by hand; make sure the result still reads as exactly the data.
    if yaml.safe_load(text) != data:
        raise AssertionError("exported YAML does not read back as the exported data")


def _settings_section(settings: Settings) -> tuple[str, Any] | None:
    relaxed = {
        part: getattr(settings.setup_rule, part)
        for part in SETUP_PARTS
        if getattr(settings.setup_rule, part) == "warning"
    }
    if not relaxed:
        return None
    data = {"settings": {"setup_rule": relaxed}}
    comment = "".join(f"  # {line}\n" for line in _RELAXED_WHY)
    body = dump(data).split("\n", 1)[1]
    return f"settings:\n{comment}{body}", data


def _list_section(
    key: str, items: list[dict[str, Any]], comments: list[str | None] | None = None
) -> tuple[str, Any]:
    data = {key: items}
    if not items:
        return dump(data), data
    parts = [f"{key}:\n"]
    for item, comment in zip(items, comments or [None] * len(items), strict=True):
        if comment:
            parts.append(f"  # {comment}\n")
        parts.append(_indent(dump([item])))
    return "".join(parts), data


def _clients_section(
    clients: Iterable[Client], gaps: dict[str, tuple[str, ...]]
) -> tuple[str, Any]:
    clients = list(clients)
    comments = [_gap_comment(gaps.get(client.name, ())) for client in clients]
    return _list_section("clients", [_client(client) for client in clients], comments)


def _gap_comment(parts: tuple[str, ...]) -> str | None:
    if not parts:
        return None
    names = [SETUP_PARTS[part] for part in parts]
    lacking = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    return f"No {lacking} yet (memoQ's setup rule, relaxed in settings)."


def _indent(text: str) -> str:
    # Blank lines stay blank: two spaces there would become content inside a literal block.
    return "".join(f"  {line}" if line.strip("\n") else line for line in text.splitlines(True))


def _client(client: Client) -> dict[str, Any]:
    data: dict[str, Any] = {"name": client.name}
    if client.description:
        data["description"] = client.description
    data["project_managers"] = list(client.project_managers)
    data["services"] = list(client.services)
    data["contacts"] = [_contact(contact) for contact in client.contacts]
    return data


def _contact(contact: Contact) -> dict[str, Any]:
    return {
        "email": contact.email,
        "full_name": contact.full_name,
        "role": contact.role,
        "services": list(contact.services),
    }
