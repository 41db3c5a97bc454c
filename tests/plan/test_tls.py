"""TLS settings against the reference server served over https with a self-signed certificate.

`data/localhost.pem` / `localhost.key` are a test-only certificate for 127.0.0.1 (valid for a
century), so no test needs openssl or a network.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import certifi
import pytest
import requests
import uvicorn

from portalsync.server.app import create_app
from portalsync.server.settings import ServerSettings

from .cli_run import PORTAL, run

DATA = Path(__file__).parent / "data"
CERT = str(DATA / "localhost.pem")


@dataclass(frozen=True)
class TlsServer:
    url: str
    token: str


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[TlsServer]:
    token = "tls-test-token-0123456789abcdef"
    app = create_app(ServerSettings(tmp_path / "portal.db", admin_token=token))
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    port = listener.getsockname()[1]
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        ssl_certfile=CERT,
        ssl_keyfile=str(DATA / "localhost.key"),
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    url = f"https://127.0.0.1:{port}"
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    requests.get(url + "/api/v1/health", verify=CERT, timeout=5).raise_for_status()
    try:
        yield TlsServer(url, token)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()


@pytest.fixture
def env_ca_bundle(monkeypatch: pytest.MonkeyPatch, tls_server: TlsServer) -> TlsServer:
    """A CI runner's REQUESTS_CA_BUNDLE naming a CA bundle that does not hold our certificate."""
    monkeypatch.setenv("PORTALSYNC_SERVER", tls_server.url)
    monkeypatch.setenv("PORTALSYNC_TOKEN", tls_server.token)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", certifi.where())
    monkeypatch.delenv("PORTALSYNC_CA_BUNDLE", raising=False)
    return tls_server


def test_an_unknown_certificate_is_one_line_exit_5(env_ca_bundle: TlsServer) -> None:
    result = run("plan", PORTAL)
    assert result.code == 5, result.err
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert "certificate could not be verified" in result.err and "--ca-bundle" in result.err
    assert env_ca_bundle.token not in result.err


def test_ca_bundle_wins_over_requests_ca_bundle(env_ca_bundle: TlsServer) -> None:
    result = run("plan", PORTAL, "--ca-bundle", CERT)
    assert result.code == 0, result.err
    assert result.out.endswith("to destroy.\n")


def test_insecure_wins_over_requests_ca_bundle_and_warns(env_ca_bundle: TlsServer) -> None:
    result = run("plan", PORTAL, "--insecure")
    assert result.code == 0, result.err
    assert result.err == "warning: --insecure: TLS certificates are not verified\n"
