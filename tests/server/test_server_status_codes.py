"""Every status code of api.md, reached over HTTP."""

from __future__ import annotations

from collections.abc import Callable

from portalsync.server.testing import AdminClient, RunningServer, SamplePortal


def test_200_201_204(admin: AdminClient, portal: SamplePortal) -> None:
    assert admin.get(f"/customerportal/clients/{portal.client}").status_code == 200
    created = admin.post("/customerportal/clients", {"Name": "Beta"})
    assert created.status_code == 201
    assert created.headers["ETag"] == '"1"'
    deleted = admin.delete(f"/customerportal/clients/{created.json()['ClientGuid']}")
    assert deleted.status_code == 204
    assert deleted.content == b""


def test_400_names_the_field(admin: AdminClient) -> None:
    cases = [
        ({"Name": "x", "Colour": "red"}, "Colour: unknown field"),
        ({"Name": "x", "ClientGuid": "abc"}, "ClientGuid: read-only field"),
        ({"Description": "no name"}, "Name: Field required"),
        ({"Name": 5}, "Name:"),
        ({"Name": "   "}, "Name: Value error, must not be blank"),
    ]
    for body, message in cases:
        answer = admin.post("/customerportal/clients", body)
        assert answer.status_code == 400, body
        assert answer.json()["Code"] == "BadRequest"
        assert answer.json()["Message"].startswith(message), answer.json()


def test_400_for_broken_json_bad_limit_and_bad_cursor(admin: AdminClient) -> None:
    broken = admin.session.post(
        admin.base + "/customerportal/clients",
        data=b"{not json",
        headers={"Content-Type": "application/json"},
        timeout=5,
    )
    assert broken.status_code == 400
    assert broken.json()["Message"] == "body: invalid JSON"
    assert admin.get("/customerportal/clients", params={"limit": 1001}).status_code == 400
    assert admin.get("/customerportal/clients", params={"limit": 0}).status_code == 400
    bad_cursor = admin.get("/customerportal/clients", params={"after": "bm9wZQ"})
    assert bad_cursor.status_code == 400
    assert bad_cursor.json()["Message"].startswith("after:")


def test_401_without_or_with_a_wrong_token(server: RunningServer) -> None:
    for token in (None, "wrong", ""):
        answer = AdminClient(server.url, token).get("/customerportal/clients")
        assert answer.status_code == 401
        assert answer.json()["Code"] == "Unauthorized"
    other_scheme = AdminClient(server.url, None).get(
        "/users", headers={"Authorization": f"Bearer {server.token}"}
    )
    assert other_scheme.status_code == 401


def test_403_for_a_project_manager_and_for_a_service_not_allowed(
    admin: AdminClient, portal: SamplePortal, pm_client: AdminClient
) -> None:
    assert pm_client.get("/customerportal/clients").status_code == 200  # reading is allowed
    refused = pm_client.post("/customerportal/clients", {"Name": "Nope"})
    assert refused.status_code == 403
    assert refused.json()["Code"] == "Forbidden"
    other = admin.post(
        "/customerportal/services",
        {"Name": "Other", "TemplateGuid": portal.template, "Workflow": "Quote"},
    ).json()["ServiceGuid"]
    answer = admin.post(
        f"/customerportal/clients/{portal.client}/requests",
        {"ContactEmail": "ann@acme.example", "ServiceGuid": other, "Name": "Job"},
    )
    assert answer.status_code == 403
    assert answer.json()["Code"] == "ServiceNotAllowed"


def test_404(admin: AdminClient) -> None:
    for path in (
        "/customerportal/clients/00000000-0000-0000-0000-00000000dead",
        "/customerportal/services/nope",
        "/customerportal/contacts/nope",
        "/users/nope",
        "/groups/nope/users",
        "/no/such/path",
    ):
        answer = admin.get(path)
        assert answer.status_code == 404, path
        assert answer.json()["Code"] == "NotFound"


def test_409_name_conflict_is_case_insensitive_after_nfc_and_trim(admin: AdminClient) -> None:
    assert admin.post("/customerportal/clients", {"Name": "Café"}).status_code == 201
    for clash in ("CAFÉ", "  cafe\u0301 "):
        answer = admin.post("/customerportal/clients", {"Name": clash})
        assert answer.status_code == 409
        assert answer.json()["Code"] == "NameConflict"


def test_409_client_deleted_keeps_projects(admin: AdminClient, portal: SamplePortal) -> None:
    order = {"ContactEmail": "ANN@acme.example", "ServiceGuid": portal.service, "Name": "Job 1"}
    project = admin.post(f"/customerportal/clients/{portal.client}/requests", order)
    assert project.status_code == 201
    assert admin.delete(f"/customerportal/clients/{portal.client}").status_code == 204
    assert admin.get(f"/customerportal/clients/{portal.client}").status_code == 404
    again = admin.post(f"/customerportal/clients/{portal.client}/requests", order)
    assert again.status_code == 409
    assert again.json()["Code"] == "ClientDeleted"
    projects = admin.get("/projects", params={"client": portal.client}).json()["Items"]
    assert [(p["Name"], p["ClientGuid"], p["ClientName"]) for p in projects] == [
        ("Job 1", portal.client, "Acme")
    ]


def test_412_version_mismatch(admin: AdminClient, portal: SamplePortal) -> None:
    path = f"/customerportal/clients/{portal.client}"
    version = admin.get(path).headers["ETag"]
    stale = admin.put(path, {"Description": "x"}, headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    assert stale.json()["Code"] == "VersionMismatch"
    fresh = admin.put(path, {"Description": "x"}, headers={"If-Match": version})
    assert fresh.status_code == 200
    assert fresh.headers["ETag"] == f'"{int(version.strip(chr(34))) + 1}"'
    assert admin.delete(path, headers={"If-Match": version}).status_code == 412


def test_422_idempotency_key_reused_with_another_body(admin: AdminClient) -> None:
    key = {"Idempotency-Key": "k-1"}
    assert admin.post("/customerportal/clients", {"Name": "One"}, headers=key).status_code == 201
    answer = admin.post("/customerportal/clients", {"Name": "Two"}, headers=key)
    assert answer.status_code == 422
    assert answer.json()["Code"] == "IdempotencyKeyReused"


def test_429_with_retry_after(server_factory: Callable[..., RunningServer]) -> None:
    server = server_factory(rate_limit=2)
    client = AdminClient(server.url, server.token)
    statuses = [client.get("/customerportal/clients") for _ in range(6)]
    limited = [answer for answer in statuses if answer.status_code == 429]
    assert limited, [answer.status_code for answer in statuses]
    assert int(limited[0].headers["Retry-After"]) >= 1
    assert limited[0].json()["Code"] == "RateLimited"


def test_5xx_only_from_injected_faults_on_writes(
    server_factory: Callable[..., RunningServer],
) -> None:
    server = server_factory(fault_rate=1.0, fault_seed=3)
    client = AdminClient(server.url, server.token)
    assert client.get("/customerportal/clients").status_code == 200  # reads never fault
    answer = client.post("/customerportal/clients", {"Name": "X"})
    assert answer.status_code in (500, 502, 503)
    assert answer.json()["Code"] == "InjectedFault"


def test_405_for_a_method_the_path_lacks(admin: AdminClient) -> None:
    answer = admin.delete("/users")
    assert answer.status_code == 405
    assert answer.json()["Code"] == "MethodNotAllowed"
