"""The fixture contract others rely on: start, health, counting, reopen."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from portalsync.server.testing import AdminClient, RunningServer


def test_server_answers_health_and_counts_requests(server: RunningServer) -> None:
    client = AdminClient(server.url, server.token)
    assert client.get("/health").json() == {"Status": "ok"}
    client.get("/users")
    client.post("/customerportal/clients", {"Name": "Acme"})
    assert server.requests_by_method() == {"GET": 2, "POST": 1}
    server.reset_request_counts()
    assert server.requests_by_method() == {}


def test_token_never_in_repr(server: RunningServer) -> None:
    assert server.token not in repr(server)
    assert server.token not in repr(AdminClient(server.url, server.token))


def test_reopening_the_database_keeps_data_and_token(
    server_factory: Callable[..., RunningServer], tmp_path: Path
) -> None:
    db = tmp_path / "kept.db"
    first = server_factory(db_path=db)
    AdminClient(first.url, first.token).post("/customerportal/clients", {"Name": "Kept"})
    token = first.token
    first.stop()
    second = server_factory(db_path=db)
    assert second.token == token
    names = [
        c["Name"]
        for c in AdminClient(second.url, second.token).all_items("/customerportal/clients")
    ]
    assert names == ["Kept"]
