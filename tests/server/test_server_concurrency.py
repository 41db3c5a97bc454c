"""Racing writers: If-Match lets exactly one win; Idempotency-Key creates exactly once;
keyset pagination stays exact while other threads insert and delete."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from portalsync.server.testing import AdminClient, RunningServer

PROJECT_MANAGERS = "/groups/00000000-0000-0000-0000-000000000002/users"


def test_two_writers_on_one_member_list_one_wins_none_lost(
    server: RunningServer, admin: AdminClient
) -> None:
    users = [admin.post("/users", {"UserName": f"u{i}"}).json()["UserGuid"] for i in range(3)]
    assert admin.put(PROJECT_MANAGERS, {"UserGuids": [users[0]]}).ok
    for _round in range(5):
        current = admin.get(PROJECT_MANAGERS)
        members, etag = current.json()["UserGuids"], current.headers["ETag"]
        barrier = threading.Barrier(2)

        def add(
            user: str,
            members: list[str] = members,
            etag: str = etag,
            barrier: threading.Barrier = barrier,
        ) -> int:
            client = AdminClient(server.url, server.token)
            barrier.wait(timeout=10)
            answer = client.put(
                PROJECT_MANAGERS, {"UserGuids": [*members, user]}, headers={"If-Match": etag}
            )
            return answer.status_code

        with ThreadPoolExecutor(2) as pool:
            statuses = sorted(pool.map(add, users[1:]))
        assert statuses == [200, 412]
        final = set(admin.get(PROJECT_MANAGERS).json()["UserGuids"])
        assert set(members) <= final  # nobody dropped
        assert len(final - set(members)) == 1  # exactly one writer's addition landed
        assert admin.put(PROJECT_MANAGERS, {"UserGuids": [users[0]]}).ok


def test_the_same_idempotency_key_concurrently_creates_one_client(
    server: RunningServer, admin: AdminClient
) -> None:
    barrier = threading.Barrier(8)

    def create(_: int) -> tuple[int, str]:
        client = AdminClient(server.url, server.token)
        barrier.wait(timeout=10)
        answer = client.post(
            "/customerportal/clients", {"Name": "Once"}, headers={"Idempotency-Key": "abc"}
        )
        return answer.status_code, answer.json()["ClientGuid"]

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(create, range(8)))
    assert {status for status, _ in answers} == {201}
    assert len({guid for _, guid in answers}) == 1
    assert len(admin.all_items("/customerportal/clients")) == 1
    later = admin.post(
        "/customerportal/clients", {"Name": "Once"}, headers={"Idempotency-Key": "abc"}
    )
    assert (later.status_code, later.json()["ClientGuid"]) == answers[0]


def test_idempotency_key_on_put_and_delete_replays(admin: AdminClient) -> None:
    guid = admin.post("/customerportal/clients", {"Name": "P"}).json()["ClientGuid"]
    path, key = f"/customerportal/clients/{guid}", {"Idempotency-Key": "put-1"}
    first = admin.put(path, {"Description": "d"}, headers=key)
    second = admin.put(path, {"Description": "d"}, headers=key)
    assert (first.status_code, second.status_code) == (200, 200)
    assert first.json() == second.json()
    assert admin.get(path).json()["Version"] == 2  # changed once
    gone = {"Idempotency-Key": "del-1"}
    assert admin.delete(path, headers=gone).status_code == 204
    assert admin.delete(path, headers=gone).status_code == 204  # replayed
    assert admin.delete(path).status_code == 404


def test_pagination_is_exact_while_others_insert_and_delete(
    server: RunningServer, admin: AdminClient
) -> None:
    stable = {
        admin.post("/customerportal/clients", {"Name": f"stable-{i:03}"}).json()["ClientGuid"]
        for i in range(120)
    }
    stop = threading.Event()

    def churn() -> None:
        client = AdminClient(server.url, server.token)
        for i in range(10_000):
            if stop.is_set():
                return
            guid = client.post("/customerportal/clients", {"Name": f"churn-{i}"}).json()
            client.delete(f"/customerportal/clients/{guid['ClientGuid']}")

    worker = threading.Thread(target=churn)
    worker.start()
    try:
        for _ in range(3):
            seen: list[str] = []
            after = None
            for _page in range(1000):
                params = {"limit": 7, **({"after": after} if after else {})}
                page = admin.get("/customerportal/clients", params=params).json()
                seen.extend(item["ClientGuid"] for item in page["Items"])
                after = page["Next"]
                if after is None:
                    break
            assert len(seen) == len(set(seen))  # nothing repeated
            assert stable <= set(seen)  # nothing that existed throughout was missed
    finally:
        stop.set()
        worker.join(timeout=30)
