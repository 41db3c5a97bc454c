"""Throughput of the reference server beside a raw baseline, so later benchmarks know whether
the server is their bottleneck.

    python -m bench.server [--clients 1000] [--seconds 3]

Measures, over keep-alive HTTP on 127.0.0.1 with one client thread:
- paginated GET of all clients (limit 1000), each with a PM and a service embedded;
- small POSTs (create a client);
and, as the baseline, a minimal uvicorn JSON app answering the same shapes without a database.
"""

from __future__ import annotations

import argparse
import json
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests
import uvicorn

from portalsync.server.testing import AdminClient, build_sample_portal, running_server


def rate(action: Callable[[int], None], seconds: float) -> float:
    """Calls per second of `action` over about `seconds` (bounded: at most 1,000,000 calls)."""
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds and done < 1_000_000:
        action(done)
        done += 1
    return done / (time.perf_counter() - started)


def bench_portal(clients: int, seconds: float) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder, running_server(Path(folder) / "b.db") as server:
        admin = AdminClient(server.url, server.token)
        portal = build_sample_portal(admin)
        for i in range(clients - 1):
            guid = admin.post("/customerportal/clients", {"Name": f"Client {i}"}).json()
            path = f"/customerportal/clients/{guid['ClientGuid']}"
            admin.put(path + "/projectmanagers", {"UserGuids": [portal.pm]})
            admin.put(path + "/services", {"ServiceGuids": [portal.service]})

        def page(_: int) -> None:
            answer = admin.get("/customerportal/clients", params={"limit": 1000})
            assert len(answer.json()["Items"]) == min(clients, 1000)

        def post(i: int) -> None:
            answer = admin.post("/customerportal/clients", {"Name": f"bench {i}"})
            assert answer.status_code == 201

        return {"page of 1000 clients": rate(page, seconds), "small POST": rate(post, seconds)}


async def _baseline_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Raw ASGI: the same answers without FastAPI or SQLite."""
    if scope["type"] != "http":
        return
    while (await receive()).get("more_body"):
        pass
    body = _PAGE if scope["method"] == "GET" else _ONE
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": body()})


def _client(i: int) -> dict[str, Any]:
    return {
        "ClientGuid": f"{i:032x}",
        "Name": f"Client {i}",
        "Description": "",
        "ProjectManagers": ["a" * 36],
        "Services": ["b" * 36],
        "Version": 3,
    }


_ITEMS = [_client(i) for i in range(1000)]


def _PAGE() -> bytes:  # noqa: N802
    return json.dumps({"Items": _ITEMS, "Next": None}).encode()


def _ONE() -> bytes:  # noqa: N802
    return json.dumps(_client(0)).encode()


@contextmanager
def _baseline_server() -> Iterator[str]:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(_baseline_app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    for _ in range(500):
        try:
            requests.get(url, timeout=1)
            break
        except requests.ConnectionError:
            time.sleep(0.01)
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(10)
        listener.close()


def bench_baseline(seconds: float) -> dict[str, float]:
    with _baseline_server() as url, requests.Session() as session:
        return {
            "page of 1000 clients": rate(lambda _: session.get(url, timeout=10).json(), seconds),
            "small POST": rate(
                lambda _: session.post(url, json={"Name": "x"}, timeout=10).json(), seconds
            ),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=3.0)
    options = parser.parse_args()
    portal, baseline = (
        bench_portal(options.clients, options.seconds),
        bench_baseline(options.seconds),
    )
    print(f"{'requests/s':<22}{'portalsync serve':>18}{'raw uvicorn':>14}")
    for name in portal:
        print(f"{name:<22}{portal[name]:>18.0f}{baseline[name]:>14.0f}")


if __name__ == "__main__":
    main()
