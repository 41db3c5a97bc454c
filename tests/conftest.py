"""Shared fixtures: a real reference server (free port, temporary database) for any test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from portalsync.server.testing import AdminClient, RunningServer, running_server

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
