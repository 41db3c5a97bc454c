"""Through the reference server: build a generated portal with the API, export it, plan the export
against the server. The plan must be empty, single file and per-client layout alike."""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from portalsync.backend.connection import Connection
from portalsync.backend.reader import PortalReader
from portalsync.backend.spelling import ROLE_TO_API, WORKFLOW_TO_API
from portalsync.backend.transport import Transport
from portalsync.config import load_portal
from portalsync.export import export_portal, render_per_client, render_single, write_tree
from portalsync.live import (
    PROJECT_MANAGERS_GROUP,
    LiveClient,
    LiveContact,
    LiveGroup,
    LivePortal,
    LiveService,
    LiveTemplate,
)
from portalsync.plan import make_plan
from portalsync.server.seed import BUILT_IN_TEMPLATES
from portalsync.server.testing import AdminClient, RunningServer, running_server

from .strategies import live_portals

TEMPLATES = tuple(
    LiveTemplate(t.guid, t.name, t.source_language, t.target_languages) for t in BUILT_IN_TEMPLATES
)
CLIENTS = "/customerportal/clients"
SERVICES = "/customerportal/services"
CONTACTS = "/customerportal/contacts"
_examples = itertools.count()


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningServer, AdminClient]]:
    """One server for every example (starting one each time would cost more than the example)."""
    with running_server(tmp_path_factory.mktemp("round-trip") / "portal.db") as server:
        admin = AdminClient(server.url, server.token)
        yield server, admin
        admin.close()


def ok(response: object) -> dict[str, object]:
    response.raise_for_status()  # type: ignore[attr-defined]
    return response.json()  # type: ignore[attr-defined,no-any-return]


def clear(admin: AdminClient) -> None:
    """Contacts, clients and services of earlier examples go; users stay (they cannot be deleted,
    and unassigned PMs are neither exported nor planned)."""
    for path, key in (
        (CONTACTS, "ContactGuid"),
        (CLIENTS, "ClientGuid"),
        (SERVICES, "ServiceGuid"),
    ):
        for item in admin.all_items(path):
            ok_delete = admin.delete(f"{path}/{item[key]}")
            assert ok_delete.status_code in (200, 204), ok_delete.text


def build(admin: AdminClient, portal: LivePortal, example: int) -> None:
    """Create `portal` through the API, as an administrator clicking through memoQweb would."""
    users = {}
    for user in portal.users:
        created = ok(admin.post("/users", {"UserName": f"{user.username}-{example}",
                                           "FullName": user.full_name,
                                           "EmailAddress": user.email}))  # fmt: skip
        users[user.guid] = created["UserGuid"]
    group = admin.get(f"/groups/{PROJECT_MANAGERS_GROUP}/users")
    members = [*ok(group)["UserGuids"], *(users[g] for g in portal.project_managers_group.members)]  # type: ignore[misc]
    ok(admin.put(f"/groups/{PROJECT_MANAGERS_GROUP}/users", {"UserGuids": members},
                 headers={"If-Match": group.headers["ETag"]}))  # fmt: skip
    services = {}
    for service in portal.services:
        created = ok(admin.post(SERVICES, {"Name": service.name, "Description": service.description,
                                           "TemplateGuid": service.template_guid,
                                           "Workflow": WORKFLOW_TO_API[service.workflow],
                                           "AllClients": service.all_clients}))  # fmt: skip
        services[service.guid] = created["ServiceGuid"]
    clients = {}
    for client in portal.clients:
        guid = ok(admin.post(CLIENTS, {"Name": client.name, "Description": client.description}))[
            "ClientGuid"
        ]
        clients[client.guid] = guid
        ok(admin.put(f"{CLIENTS}/{guid}/projectmanagers",
                     {"UserGuids": [users[g] for g in client.project_managers]}))  # fmt: skip
        ok(admin.put(f"{CLIENTS}/{guid}/services",
                     {"ServiceGuids": [services[g] for g in client.services]}))  # fmt: skip
    for contact in portal.contacts:
        ok(admin.post(f"{CLIENTS}/{clients[contact.client_guid]}/contacts",
                      {"FullName": contact.full_name, "EmailAddress": contact.email,
                       "Role": ROLE_TO_API[contact.role],
                       "Services": [services[g] for g in contact.services]}))  # fmt: skip


def export_and_plan(server: RunningServer) -> list[str]:
    with Transport(Connection(server.url, server.token)) as transport:
        live = PortalReader(transport).read_portal()
    exported = export_portal(live)
    plans = []
    with tempfile.TemporaryDirectory() as workdir:
        single = Path(workdir) / "portalsync.yaml"
        single.write_text(render_single(exported, "schema.json"), encoding="utf-8")
        write_tree(Path(workdir) / "portal", render_per_client(exported, "schema.json"))
        for path in (single, Path(workdir) / "portal"):
            desired, _warnings = load_portal([str(path)])
            plan = make_plan(desired, live, server.url)
            plans += [f"{path.name}: {c.action} {c.kind} {c.key}" for c in plan.changes]
    return plans


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(portal=live_portals(TEMPLATES))
def test_export_of_a_server_portal_plans_no_changes(
    shared: tuple[RunningServer, AdminClient], portal: LivePortal
) -> None:
    server, admin = shared
    clear(admin)
    build(admin, portal, next(_examples))
    assert export_and_plan(server) == []


def test_emails_the_server_accepts_export_to_a_valid_config(
    shared: tuple[RunningServer, AdminClient],
) -> None:
    # fastjsonschema's own email check refused 'a..b@x.example' while jsonschema let it through:
    # the export failed to load with "does not match the portalsync schema".
    server, admin = shared
    clear(admin)
    template = TEMPLATES[0].guid
    service = LiveService("s", "S", "", template, "quote", True, "", (), 1)
    client = LiveClient("c", "C", "", (), ("s",), 1)
    contacts = tuple(
        LiveContact(f"k{i}", "c", email, "N", "requester", ("s",), "active", 1)
        for i, email in enumerate(["a..b@x.example", ".lead@x.example", "trail.@x.example"])
    )
    group = LiveGroup(PROJECT_MANAGERS_GROUP, "ProjectManagers", 1, frozenset())
    portal = LivePortal((), group, TEMPLATES, (service,), (client,), contacts)
    build(admin, portal, next(_examples))
    assert export_and_plan(server) == []
