"""`portalsync serve` as a process: token handling, SIGTERM, data kept across restarts."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from portalsync.server.testing import AdminClient


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(db: Path, port: int, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "portalsync", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1).ok:
                return process
        except requests.ConnectionError:
            time.sleep(0.05)
    process.kill()
    raise AssertionError(f"serve did not start: {process.communicate(timeout=5)}")


def _stop(process: subprocess.Popen[str]) -> tuple[str, str]:
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    return out, err


def test_serve_keeps_data_and_never_prints_the_token(tmp_path: Path) -> None:
    db, port = tmp_path / "portal.db", _free_port()
    process = _start(db, port)
    token = (tmp_path / "portal.db.admin-token").read_text().strip()
    client = AdminClient(f"http://127.0.0.1:{port}", token)
    for i in range(50):
        assert client.post("/customerportal/clients", {"Name": f"C{i}"}).status_code == 201
    out, err = _stop(process)
    assert token not in out + err
    assert "portal.db.admin-token" in err
    process = _start(db, port)
    try:
        assert len(client.all_items("/customerportal/clients")) == 50
    finally:
        out, err = _stop(process)
    assert token not in out + err


def test_serve_takes_the_token_from_the_environment(tmp_path: Path) -> None:
    import os

    port = _free_port()
    env = {**os.environ, "PORTALSYNC_SERVER_ADMIN_TOKEN": "env-token-123"}
    process = _start(tmp_path / "p.db", port, env)
    try:
        client = AdminClient(f"http://127.0.0.1:{port}", "env-token-123")
        assert client.get("/users").status_code == 200
        assert not (tmp_path / "p.db.admin-token").exists()
    finally:
        out, err = _stop(process)
    assert "env-token-123" not in out + err


def test_a_busy_port_is_one_line_and_exit_1(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        command = ["serve", "--db", str(tmp_path / "p.db"), "--port", str(port)]
        finished = subprocess.run(
            [sys.executable, "-m", "portalsync", *command],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    assert finished.returncode == 1, finished.stderr
    assert finished.stderr.strip().splitlines() == [
        f"error: cannot listen on 127.0.0.1:{port}: Address already in use"
    ]
    assert "Traceback" not in finished.stderr
