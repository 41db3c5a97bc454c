"""Test support: a sequence of portal configs, applying them, and snapshots of the server."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import yaml

from portalsync.apply import ApplyResult, apply_changes
from portalsync.apply.executor import Listener
from portalsync.backend.connection import Connection
from portalsync.backend.reader import PortalReader
from portalsync.backend.transport import RetryPolicy, Transport
from portalsync.config import load_portal
from portalsync.live import LivePortal
from portalsync.observed import observe
from portalsync.plan import Plan, make_plan
from portalsync.server.testing import RunningServer

TEMPLATES = (
    "General EN-DE/FR/ES",
    "Legal FR-EN",
    "Medical DE-EN",
    "Software EN-multi",
    "Marketing EN-HU",
    "Technical JA-EN",
)
WORKFLOWS = ("quote", "manual_project", "automatic_project")
ServerFactory = Callable[..., RunningServer]  # the `server_factory` fixture
STAGES = (
    "create a portal",
    "edit fields",
    "reassign PMs",
    "add and remove services and contacts",
    "rename a client and a service, change an email, move a contact",
    "delete a client and a service",
)


def portal_config(
    stage: int, *, clients: int = 6, pms: int = 3, services: int = 5
) -> dict[str, Any]:
    """The config at `stage` (1..6, see STAGES) of the test sequence."""
    assert clients >= 5 and services >= 4
    # Until stage 4 clients use every service; from then on the last one is left unused, so
    # stage 6 can delete it.
    spread = services if stage < 4 else services - 1

    def service(j: int) -> str:
        index = j % spread
        return "Service 1 Renamed" if stage >= 5 and index == 1 else f"Service {index}"

    return {
        "version": 1,
        "settings": {"thresholds": {"max_update_percent": 100, "max_delete_percent": 100}},
        "project_managers": _pms(stage, pms),
        "services": _services(stage, services),
        "clients": [_client(stage, i, pms, service) for i in range(clients - (stage >= 6))],
    }


def _pms(stage: int, count: int) -> list[dict[str, Any]]:
    people = [
        {
            "username": f"pm{k}",
            "full_name": f"PM {k}" + (" Sr." if stage >= 2 and k == 0 else ""),
            "email": f"pm{k}@lsp.example",
        }
        for k in range(count)
    ]
    if stage >= 3:
        people.append({"username": "newpm", "full_name": "New PM", "email": "new@lsp.example"})
    return people


def _services(stage: int, count: int) -> list[dict[str, Any]]:
    declared = []
    for j in range(count - (stage >= 6)):
        entry: dict[str, Any] = {
            "name": f"Service {j}",
            "description": f"S{j}" + (" v2" if stage >= 2 and j % 2 == 0 else ""),
            "template": TEMPLATES[j % len(TEMPLATES)],
            "workflow": "automatic_project" if stage >= 2 and j == 2 else WORKFLOWS[j % 3],
        }
        if stage >= 5 and j == 1:
            entry.update(name="Service 1 Renamed", previous_names=["Service 1"])
        declared.append(entry)
    return declared


def _client(stage: int, i: int, pms: int, service: Any) -> dict[str, Any]:
    def contact(email: str, role: str, services: list[str], **extra: Any) -> dict[str, Any]:
        name = email.split("@", maxsplit=1)[0].upper()
        return {"email": email, "full_name": name, "role": role, "services": services, **extra}

    first = f"a{i}@client{i}.example"
    if stage >= 5 and i == 1:
        a = contact(
            "a1-new@client1.example", "requester", [service(i + 2)], previous_emails=[first]
        )
    else:
        role = "manager" if stage >= 2 and i % 3 == 0 else "requester"
        a = contact(first, role, [service(i)] if stage < 4 else [service(i + 2)])
    contacts = [a]
    moved = stage >= 5 and i == 2  # b2 moves to client 3 at stage 5
    if (stage < 4 or i % 2 == 0) and not moved:
        contacts.append(contact(f"b{i}@client{i}.example", "observer", [service(i + 1)]))
    if stage >= 4:
        contacts.append(contact(f"c{i}@client{i}.example", "requester", []))
    if stage >= 5 and i == 3:
        contacts.append(contact("b2@client2.example", "observer", [service(i + 1)]))
    entry: dict[str, Any] = {
        "name": f"Client {i:03}",
        "description": f"C{i}" + (" edited" if stage >= 2 and i % 2 == 0 else ""),
        "project_managers": [f"pm{i % pms}"] if stage < 3 else
        [f"pm{(i + 1) % pms}"] + (["newpm"] if i % 3 == 0 else []),
        "services": [service(i), service(i + 1)] if stage < 4 else [service(i + 1), service(i + 2)],
        "contacts": contacts,
    }  # fmt: skip
    if stage >= 5 and i == 0:
        entry.update(name="Client 000 Renamed", previous_names=["Client 000"])
    return entry


def write_config(directory: Path, config: dict[str, Any]) -> str:
    path = directory / "portal.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return str(path)


def transport_for(server: RunningServer, *, attempts: int = 6) -> Transport:
    # Fast, patient retries: faults in these tests come often and go at once.
    retry = RetryPolicy(attempts=attempts, base_delay=0.01, max_delay=0.2)
    return Transport(Connection(server.url, server.token, 30.0), retry=retry)


def read(transport: Transport) -> LivePortal:
    return PortalReader(transport).read_portal()


def plan_for(config_path: str, transport: Transport) -> Plan:
    desired, _warnings = load_portal([config_path])
    return make_plan(desired, read(transport), transport.server)


def apply_config(
    config_path: str,
    transport: Transport,
    *,
    concurrency: int = 8,
    listener: Listener | None = None,
) -> ApplyResult:
    plan = plan_for(config_path, transport)
    return apply_changes(
        plan.changes, plan.live, transport, concurrency=concurrency, listener=listener
    )


def snapshot(live: LivePortal) -> dict[str, Any]:
    """The server's portal without GUIDs or versions, in a stable order, plus raw counts (so a
    duplicate would show even where names are unique)."""
    portal = asdict(observe(live).portal)
    for client in portal["clients"]:
        client["contacts"] = sorted(client["contacts"], key=lambda contact: contact["email"])
        for key in ("project_managers", "services"):
            client[key] = sorted(client[key])
        for contact in client["contacts"]:
            contact["services"] = sorted(contact["services"])
    return {
        "project_managers": sorted(portal["project_managers"], key=lambda p: p["username"]),
        "services": sorted(portal["services"], key=lambda s: s["name"]),
        "clients": sorted(portal["clients"], key=lambda c: c["name"]),
        "counts": {
            "users": len(live.users),
            "clients": len(live.clients),
            "contacts": len(live.contacts),
            "services": len(live.services),
        },
    }


def run_cli(server: RunningServer, *args: str, stdin: int | None = subprocess.DEVNULL,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:  # fmt: skip
    """`portalsync ARGS` in a child process, with the server's URL and token in its environment."""
    env = {**os.environ, "PORTALSYNC_SERVER": server.url, "PORTALSYNC_TOKEN": server.token}
    return subprocess.run(
        [sys.executable, "-m", "portalsync", *args],
        stdin=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )
