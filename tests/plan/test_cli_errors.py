"""Server failures at the CLI: exit 5, exactly one line on stderr, never the token."""

from __future__ import annotations

import socket

import pytest

from portalsync.server.testing import RunningServer

from .cli_run import PORTAL, connect, run


def one_line_exit_5(*args: str, secret: str) -> str:
    result = run("plan", PORTAL, *args)
    assert result.code == 5, result.err
    assert result.out == ""
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert secret not in result.err
    return result.err


def test_unknown_token_is_exit_5(server: RunningServer, monkeypatch: pytest.MonkeyPatch) -> None:
    connect(monkeypatch, server)
    monkeypatch.setenv("PORTALSYNC_TOKEN", "not-the-token-abc123")
    err = one_line_exit_5(secret="not-the-token-abc123")
    assert "401" in err and "refused the token" in err


def test_no_api_at_the_url_is_exit_5(
    server: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    connect(monkeypatch, server)
    err = one_line_exit_5("--server", server.url + "/elsewhere", secret=server.token)
    assert "no memoQweb-style API" in err and "check --server" in err


def test_connection_refused_is_exit_5(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("PORTALSYNC_TOKEN", "secret-xyz-789")
    monkeypatch.setenv("PORTALSYNC_SERVER", f"http://127.0.0.1:{port}")
    err = one_line_exit_5("--timeout", "2", secret="secret-xyz-789")
    assert "connection refused" in err


def test_unresolvable_host_is_exit_5(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTALSYNC_TOKEN", "secret-xyz-789")
    monkeypatch.setenv("PORTALSYNC_SERVER", "http://no-such-host.invalid")
    err = one_line_exit_5("--timeout", "2", secret="secret-xyz-789")
    assert "no-such-host.invalid" in err


def test_https_against_a_plain_http_server_is_one_line_naming_the_handshake(
    server: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    connect(monkeypatch, server)
    https = server.url.replace("http://", "https://", 1)
    err = one_line_exit_5("--server", https, secret=server.token)
    assert "TLS failure" in err and "handshake" in err
    assert "certificate" not in err  # nothing is wrong with a certificate: there is none
