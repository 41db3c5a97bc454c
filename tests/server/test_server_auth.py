"""Every write path of the OpenAPI document is refused without a token, with a wrong one, and
with a project manager's; and nothing was written."""

from __future__ import annotations

import re

import pytest

from portalsync.server.testing import AdminClient, RunningServer, SamplePortal


def write_operations(admin: AdminClient, portal: SamplePortal) -> list[tuple[str, str]]:
    """(method, path) of every write in the server's own OpenAPI document, with real GUIDs."""
    guids = {
        "user_guid": portal.pm,
        "group_guid": "00000000-0000-0000-0000-000000000002",
        "service_guid": portal.service,
        "client_guid": portal.client,
        "contact_guid": portal.contact,
    }
    document = admin.get("/openapi.json").json()
    operations = []
    for template, methods in document["paths"].items():
        path = re.sub(r"\{(\w+)\}", lambda m: guids[m.group(1)], template)
        for method in methods:
            if method in ("post", "put", "delete") and not template.endswith("/auth/login"):
                operations.append((method.upper(), path.removeprefix("/api/v1")))
    return operations


@pytest.mark.parametrize("who", ["no token", "wrong token", "project manager"])
def test_every_write_path_is_refused(
    who: str,
    server: RunningServer,
    admin: AdminClient,
    portal: SamplePortal,
    pm_client: AdminClient,
) -> None:
    caller = {
        "no token": AdminClient(server.url, None),
        "wrong token": AdminClient(server.url, server.token + "x"),
        "project manager": pm_client,
    }[who]
    expected = 403 if who == "project manager" else 401
    operations = write_operations(admin, portal)
    assert len(operations) == 15  # every write of api.md is in the document
    before = admin.get(f"/customerportal/clients/{portal.client}").json()
    for method, path in operations:
        answer = caller.request(method, path, json={"Name": "Mallory", "UserGuids": []})
        assert answer.status_code == expected, (method, path, answer.text)
    assert admin.get(f"/customerportal/clients/{portal.client}").json() == before
    assert admin.get("/customerportal/contacts").json()["Items"][0]["Status"] == "Pending"


def test_login_gives_a_session_token_and_refuses_wrong_passwords(
    server: RunningServer, admin: AdminClient
) -> None:
    admin.post("/users", {"UserName": "Bob", "Password": "pw-123456"})
    assert admin.post("/auth/login", {"UserName": "bob", "Password": "nope"}).status_code == 401
    assert admin.post("/auth/login", {"UserName": "admin", "Password": ""}).status_code == 401
    login = admin.post("/auth/login", {"UserName": "bob", "Password": "pw-123456"})
    assert login.status_code == 200
    assert login.json()["Name"] == "Bob"
    assert AdminClient(server.url, login.json()["AccessToken"]).get("/users").status_code == 200


def test_disabling_a_user_revokes_its_sessions(server: RunningServer, admin: AdminClient) -> None:
    user = admin.post("/users", {"UserName": "carol", "Password": "pw-123456"}).json()
    token = admin.post("/auth/login", {"UserName": "carol", "Password": "pw-123456"}).json()
    session = AdminClient(server.url, token["AccessToken"])
    assert session.get("/users").status_code == 200
    assert admin.put(f"/users/{user['UserGuid']}", {"IsDisabled": True}).status_code == 200
    assert session.get("/users").status_code == 401


def test_the_built_in_admin_cannot_be_locked_out(admin: AdminClient) -> None:
    me = next(u for u in admin.all_items("/users") if u["UserName"] == "admin")
    assert admin.put(f"/users/{me['UserGuid']}", {"IsDisabled": True}).status_code == 400
    administrators = "/groups/00000000-0000-0000-0000-000000000001/users"
    assert admin.put(administrators, {"UserGuids": []}).status_code == 400
    assert admin.get("/users").status_code == 200
