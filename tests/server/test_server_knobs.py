"""Test knobs: injected faults before and after commit, latency, rate limit."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from portalsync.server.testing import AdminClient, RunningServer

Factory = Callable[..., RunningServer]


def test_faults_hit_before_and_after_commit_and_keys_still_create_once(
    server_factory: Factory,
) -> None:
    server = server_factory(fault_rate=0.5, fault_seed=7)
    client = AdminClient(server.url, server.token)
    faults = 0
    for i in range(40):
        key = {"Idempotency-Key": f"client-{i}"}
        for _attempt in range(50):  # a retry loop, as the engine has
            answer = client.post("/customerportal/clients", {"Name": f"C{i}"}, headers=key)
            if answer.status_code == 201:
                break
            assert answer.status_code in (500, 502, 503)
            faults += 1
        assert answer.status_code == 201
    names = sorted(c["Name"] for c in client.all_items("/customerportal/clients"))
    assert names == sorted(f"C{i}" for i in range(40))  # each exactly once
    assert faults >= 10


def test_a_fault_after_commit_did_commit(server_factory: Factory, tmp_path: Path) -> None:
    db = tmp_path / "faulty.db"
    faulty = server_factory(db_path=db, fault_rate=1.0, fault_seed=1)
    client = AdminClient(faulty.url, faulty.token)
    for i in range(20):
        assert client.post("/customerportal/clients", {"Name": f"F{i}"}).status_code >= 500
    faulty.stop()
    calm = server_factory(db_path=db)
    kept = AdminClient(calm.url, calm.token).all_items("/customerportal/clients")
    assert 0 < len(kept) < 20  # some committed (after), some not (before)


def test_latency_is_added_to_every_request(server_factory: Factory) -> None:
    server = server_factory(latency_ms=150)
    client = AdminClient(server.url, server.token)
    started = time.monotonic()
    assert client.get("/users").status_code == 200
    assert time.monotonic() - started >= 0.15


def test_rate_limit_recovers_after_retry_after(server_factory: Factory) -> None:
    server = server_factory(rate_limit=5)
    client = AdminClient(server.url, server.token)
    answers = [client.get("/users") for _ in range(12)]
    limited = next(a for a in answers if a.status_code == 429)
    time.sleep(float(limited.headers["Retry-After"]))
    assert client.get("/users").status_code == 200
