"""Shared fixtures: a real reference server (free port, temporary database) for any test."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from portalsync.server.testing import (
    AdminClient,
    RunningServer,
    SamplePortal,
    build_sample_portal,
    running_server,
)

# CI replays the same examples on every run, so a submission's result does not depend on luck;
# a developer's run explores new ones (and keeps failures in .hypothesis/ to replay them).
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")

ServerFactory = Callable[..., RunningServer]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RunningServer]:
    """A fresh, empty portal with the built-in templates and default knobs (all off)."""
    with running_server(tmp_path / "portal.db") as running:
        yield running


@pytest.fixture
def server_factory(tmp_path: Path) -> Iterator[ServerFactory]:
    """Start servers with knobs: `server_factory(latency_ms=5, db_path=...)`; stopped at teardown.

    Without `db_path` each server gets its own new database; pass the same path to reopen one.
    """
    with ExitStack() as stack:
        count = 0

        def start(db_path: Path | None = None, **knobs: Any) -> RunningServer:
            nonlocal count
            count += 1
            path = db_path or tmp_path / f"portal-{count}.db"
            return stack.enter_context(running_server(path, **knobs))

        yield start


@pytest.fixture
def admin(server: RunningServer) -> Iterator[AdminClient]:
    """An API client holding the admin's token of `server`."""
    client = AdminClient(server.url, server.token)
    yield client
    client.close()


@pytest.fixture
def portal(admin: AdminClient) -> SamplePortal:
    """The one-client sample portal (a PM, a service, Acme and its contact) on `server`."""
    return build_sample_portal(admin)


@pytest.fixture
def pm_client(server: RunningServer, admin: AdminClient) -> AdminClient:
    """A client holding a project manager's session token (not an administrator)."""
    admin.post("/users", {"UserName": "pm.login", "Password": "s3cret-pass"})
    login = admin.post("/auth/login", {"UserName": "pm.login", "Password": "s3cret-pass"})
    assert login.status_code == 200
    return AdminClient(server.url, login.json()["AccessToken"])
