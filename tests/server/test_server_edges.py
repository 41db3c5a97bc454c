"""Edges an independent client runs into: odd bodies, odd headers, odd cursors, big bodies."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import pytest
import requests

from portalsync.server.bodylimit import MAX_BODY_BYTES
from portalsync.server.testing import AdminClient, RunningServer, SamplePortal


def _raw_post(
    client: AdminClient, path: str, data: bytes, headers: dict[str, str] | None = None
) -> requests.Response:
    return client.session.post(
        client.base + path,
        data=data,
        headers={"Content-Type": "application/json", **(headers or {})},
        timeout=30,
    )


def test_a_cursor_beyond_any_row_id_is_400_not_500(admin: AdminClient) -> None:
    for number in ("9" * 40, str(2**63), "1" + "0" * 19):
        cursor = base64.urlsafe_b64encode(f"k1:{number}".encode()).decode().rstrip("=")
        answer = admin.get("/customerportal/clients", params={"after": cursor})
        assert answer.status_code == 400, number
        assert answer.json()["Code"] == "BadRequest"
        assert answer.json()["Message"].startswith("after:")


@pytest.mark.parametrize(
    "data", [b'{"Name": "\xff\xfe"}', b"[" * 100_000 + b"]" * 100_000], ids=["utf8", "deep"]
)
def test_an_unreadable_body_is_400_bad_request(admin: AdminClient, data: bytes) -> None:
    answer = _raw_post(admin, "/customerportal/clients", data)
    assert answer.status_code == 400
    assert answer.json() == {"Code": "BadRequest", "Message": "body: invalid JSON"}


def test_writes_without_a_good_token_are_refused_whatever_the_body(
    server: RunningServer, pm_client: AdminClient
) -> None:
    for data in (b"{not json", b'{"Name": "\xff"}'):
        for token in (None, "wrong"):
            answer = _raw_post(AdminClient(server.url, token), "/customerportal/clients", data)
            assert answer.status_code == 401, (token, data)
            assert answer.json()["Code"] == "Unauthorized"
        forbidden = _raw_post(pm_client, "/customerportal/clients", data)
        assert forbidden.status_code == 403
        assert forbidden.json()["Code"] == "Forbidden"
    login = _raw_post(AdminClient(server.url, None), "/auth/login", b"{not json")
    assert login.status_code == 400


def test_bodies_are_strictly_typed(admin: AdminClient, portal: SamplePortal) -> None:
    for value in ("yes", "true", 1, 0, None):
        answer = admin.post("/users", {"UserName": f"strict-{value!r}", "IsDisabled": value})
        assert answer.status_code == 400, value
        assert answer.json()["Message"].startswith("IsDisabled:")
    service = admin.put(f"/customerportal/services/{portal.service}", {"AllClients": "false"})
    assert service.status_code == 400
    assert service.json()["Message"].startswith("AllClients:")
    assert admin.get(f"/customerportal/services/{portal.service}").json()["Version"] == 1


def test_read_only_fields_are_named_as_such_per_resource(
    admin: AdminClient, portal: SamplePortal
) -> None:
    cases = [
        ("POST", "/customerportal/clients", {"Name": "X", "Services": []}, "Services: read-only"),
        ("PUT", f"/customerportal/clients/{portal.client}", {"ProjectManagers": []}, "Project"),
        ("POST", "/customerportal/clients", {"Name": "X", "Status": "Active"}, "Status: unknown"),
        ("PUT", f"/customerportal/contacts/{portal.contact}", {"Status": "Active"}, "Status: read"),
        ("PUT", f"/customerportal/contacts/{portal.contact}", {"ClientGuid": "x"}, "ClientGuid: r"),
        ("PUT", f"/customerportal/services/{portal.service}", {"TargetLanguages": []}, "Target"),
        ("PUT", f"/users/{portal.pm}", {"Version": 1}, "Version: read-only"),
        ("PUT", f"/users/{portal.pm}", {"Services": []}, "Services: unknown"),
    ]
    for method, path, body, message in cases:
        answer = admin.request(method, path, json=body)
        assert answer.status_code == 400, (path, body)
        assert answer.json()["Code"] == "BadRequest"
        assert answer.json()["Message"].startswith(message), answer.json()


def test_an_oversized_body_is_413_and_a_long_name_still_400(admin: AdminClient) -> None:
    filler = b" " * (MAX_BODY_BYTES + 1)
    declared = _raw_post(admin, "/customerportal/clients", b'{"Name": "A"}' + filler)
    assert declared.status_code == 413
    assert declared.json()["Code"] == "PayloadTooLarge"

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while it arrives
        yield b'{"Name": "A", "Description": "'
        for _ in range(MAX_BODY_BYTES // 65536 + 1):
            yield b"x" * 65536
        yield b'"}'

    streamed = admin.session.post(
        admin.base + "/customerportal/clients",
        data=chunks(),
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert streamed.status_code == 413
    assert streamed.json()["Code"] == "PayloadTooLarge"
    long_name = admin.post("/customerportal/clients", {"Name": "n" * 1_000_000})
    assert long_name.status_code == 400
    assert long_name.json()["Message"].startswith("Name:")
    assert admin.all_items("/customerportal/clients") == []


def test_the_authorization_scheme_is_case_insensitive(server: RunningServer) -> None:
    for scheme in ("mqs-api", "Mqs-Api", "MQS-API "):
        answer = requests.get(
            f"{server.url}/api/v1/users",
            headers={"Authorization": f"{scheme} {server.token}"},
            timeout=5,
        )
        assert answer.status_code == 200, scheme
