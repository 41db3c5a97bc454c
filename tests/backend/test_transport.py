"""The transport against a tiny scripted HTTP server on 127.0.0.1 (real sockets, no mocks)."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from portalsync.backend.connection import Connection, make_connection, normalize_server_url
from portalsync.backend.errors import ApiError, AuthError
from portalsync.backend.transport import RetryPolicy, Transport, paginate
from portalsync.errors import ServerError, UsageError

TOKEN = "s3cret-token-value"

Script = list[tuple[int, dict[str, str], bytes]]


class Scripted:
    """Answers requests from a script, and records what it was sent."""

    def __init__(self) -> None:
        self.script: Script = []
        self.seen: list[tuple[str, str, dict[str, str]]] = []


@pytest.fixture
def scripted() -> Iterator[tuple[Scripted, str]]:
    state = Scripted()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            state.seen.append((self.command, self.path, dict(self.headers)))
            status, headers, body = state.script.pop(0) if state.script else (200, {}, b"{}")
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = do_DELETE = _answer

        def log_message(self, *_args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def transport(url: str) -> Transport:
    return Transport(
        Connection(url, TOKEN, timeout=5), retry=RetryPolicy(attempts=3), sleep=lambda _s: None
    )


def js(status: int, body: Any, **headers: str) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": "application/json", **headers}, json.dumps(body).encode()


def test_get_sends_auth_and_is_retried_on_503(scripted: tuple[Scripted, str]) -> None:
    state, url = scripted
    state.script = [js(503, {}, **{"Retry-After": "1"}), js(200, {"Status": "ok"})]
    answer = transport(url).get("/health")
    assert answer.body == {"Status": "ok"}
    assert len(state.seen) == 2
    assert state.seen[0][2]["Authorization"] == f"MQS-API {TOKEN}"


def test_post_without_idempotency_key_is_not_retried(scripted: tuple[Scripted, str]) -> None:
    state, url = scripted
    state.script = [js(503, {"Code": "Unavailable", "Message": "try later"})]
    with pytest.raises(ApiError) as raised:
        transport(url).request("POST", "/users", body={"UserName": "x"})
    assert raised.value.status == 503
    assert len(state.seen) == 1


def test_post_with_idempotency_key_is_retried_with_the_same_key(
    scripted: tuple[Scripted, str],
) -> None:
    state, url = scripted
    state.script = [js(502, {}), js(201, {"UserGuid": "g"}, ETag='"1"')]
    answer = transport(url).request("POST", "/users", body={}, idempotency_key="k-1")
    assert answer.status == 201 and answer.etag_version == 1
    assert [seen[2]["Idempotency-Key"] for seen in state.seen] == ["k-1", "k-1"]


def test_401_names_the_remedy_never_the_token(scripted: tuple[Scripted, str]) -> None:
    state, url = scripted
    state.script = [js(401, {"Code": "Unauthorized", "Message": f"bad token {TOKEN}"})]
    with pytest.raises(AuthError) as raised:
        transport(url).get("/users")
    assert "PORTALSYNC_TOKEN" in str(raised.value)
    assert TOKEN not in str(raised.value)


def test_non_json_answer_is_one_line(scripted: tuple[Scripted, str]) -> None:
    state, url = scripted
    state.script = [(200, {"Content-Type": "text/html"}, b"<html>login</html>")]
    with pytest.raises(ServerError, match="non-JSON"):
        transport(url).get("/users")


def test_404_on_the_api_root_says_check_server(scripted: tuple[Scripted, str]) -> None:
    state, url = scripted
    state.script = [js(404, {"Code": "NotFound", "Message": ""})]
    with pytest.raises(ServerError, match="no memoQweb-style API"):
        transport(url).probe()


def test_connection_refused_is_one_line() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ServerError, match="connection refused") as raised:
        transport(f"http://127.0.0.1:{port}").get("/health")
    assert "\n" not in str(raised.value)


def test_paginate_follows_cursors_and_refuses_a_loop(scripted: tuple[Scripted, str]) -> None:
    state, url = scripted
    state.script = [
        js(200, {"Items": [{"n": 1}, {"n": 2}], "Next": "a"}),
        js(200, {"Items": [{"n": 3}], "Next": None}),
    ]
    client = transport(url)
    assert [item["n"] for item in paginate(client.get, "/users")] == [1, 2, 3]
    assert "after=a" in state.seen[1][1] and "limit=1000" in state.seen[1][1]
    state.script = [js(200, {"Items": [], "Next": "a"}), js(200, {"Items": [], "Next": "a"})]
    with pytest.raises(ServerError, match="repeated a page cursor"):
        list(paginate(client.get, "/users"))


def test_connection_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    assert normalize_server_url("https://memoq.example.com/api/v1/") == "https://memoq.example.com"
    with pytest.raises(UsageError, match="not an http"):
        normalize_server_url("memoq.example.com")
    monkeypatch.delenv("PORTALSYNC_TOKEN", raising=False)
    with pytest.raises(UsageError, match="PORTALSYNC_TOKEN"):
        make_connection("http://127.0.0.1:1", None)
    token_file = tmp_path / "token"
    token_file.write_text(f"{TOKEN}\n")
    connection = make_connection("http://127.0.0.1:1", str(token_file), insecure=True)
    assert connection.token == TOKEN and connection.verify is False
    assert TOKEN not in repr(connection)


def test_429_waits_as_told_without_using_up_the_tries(server_factory: Any) -> None:
    # Against the reference server limited to one request a second: the second read is told
    # to wait (429, Retry-After: 1); being throttled is not failing, so even a policy of a
    # single try waits and gets the answer.
    server = server_factory(rate_limit=1)
    connection = Connection(server.url, server.token, timeout=5)
    with Transport(connection, retry=RetryPolicy(attempts=1)) as limited:
        limited.get("/users")
        assert limited.get("/users").status == 200
    assert server.requests_by_method()["GET"] >= 3  # the throttled try was answered 429


def test_a_token_no_header_can_carry_is_refused_without_showing_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PORTALSYNC_TOKEN", "abc\ndef-secret")
    with pytest.raises(UsageError, match="PORTALSYNC_TOKEN: the token has") as raised:
        make_connection("http://127.0.0.1:1", None)
    assert "secret" not in str(raised.value)


def test_a_long_lived_transport_keeps_its_connections_bounded(server: Any) -> None:
    # Each read (and each apply) runs its own thread pool. Sessions were per thread and kept
    # until close(), so a library user reusing one transport leaked 8 keep-alive connections per
    # read: a fuzzing loop ran out of file descriptors after a few hundred applies.
    from portalsync.backend.reader import PortalReader

    with Transport(Connection(server.url, server.token)) as transport:
        for _ in range(25):
            PortalReader(transport, concurrency=8).read_portal()
        assert len(transport._sessions) <= 8
