"""Run the real server in-process for tests, and talk to it as a colleague would.

`running_server()` serves the real app with uvicorn on 127.0.0.1 and a free port, in a
background thread, over a SQLite file that outlives it (reopen the same path to see the data).
"""

from __future__ import annotations

import collections
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
import uvicorn

from portalsync.server.app import API_PREFIX, PortalApp, create_app
from portalsync.server.bootstrap import PROJECT_MANAGERS_GUID
from portalsync.server.settings import ServerSettings

START_TIMEOUT_SECONDS = 15.0
STOP_TIMEOUT_SECONDS = 15.0


@dataclass
class RunningServer:
    """A server started by `running_server`."""

    url: str  # the server root; the API is under /api/v1
    token: str = field(repr=False)  # the admin's API token
    db_path: Path
    _app: PortalApp = field(repr=False)
    _server: uvicorn.Server = field(repr=False)
    _thread: threading.Thread = field(repr=False)

    def requests_by_method(self) -> collections.Counter[str]:
        """Requests received, by HTTP method, since start or the last reset."""
        return self._app.counter.snapshot()

    def reset_request_counts(self) -> None:
        self._app.counter.reset()

    def stop(self) -> None:
        """Finish in-flight requests, close the database, and wait for the thread (bounded)."""
        self._server.should_exit = True
        self._thread.join(STOP_TIMEOUT_SECONDS)
        if self._thread.is_alive():
            raise RuntimeError("the test server did not stop in time")


@contextmanager
def running_server(
    db_path: Path,
    *,
    admin_token: str | None = None,
    latency_ms: int = 0,
    fault_rate: float = 0.0,
    fault_seed: int = 0,
    rate_limit: float | None = None,
    seed: Path | None = None,
) -> Iterator[RunningServer]:
    """Start a server over `db_path`; stop it cleanly on exit."""
    settings = ServerSettings(
        Path(db_path),
        admin_token=admin_token,
        seed=seed,
        latency_ms=latency_ms,
        fault_rate=fault_rate,
        fault_seed=fault_seed,
        rate_limit=rate_limit,
    )
    app = create_app(settings)
    token = admin_token or _read_token(app.token_file)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    port = listener.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [listener]}, name=f"portal-{port}", daemon=True
    )
    running = RunningServer(f"http://127.0.0.1:{port}", token, Path(db_path), app, server, thread)
    thread.start()
    try:
        _wait_until_healthy(running)
        running.reset_request_counts()
        yield running
    finally:
        running.stop()
        listener.close()


def _read_token(path: Path | None) -> str:
    if path is None:
        raise RuntimeError("the server has no admin token file")
    return path.read_text(encoding="utf-8").strip()


def _wait_until_healthy(running: RunningServer) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if not running._thread.is_alive():
            raise RuntimeError("the test server stopped while starting")
        try:
            if requests.get(f"{running.url}{API_PREFIX}/health", timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.02)
    raise RuntimeError("the test server did not answer /health in time")


class AdminClient:
    """Acts on the server through its API, as a colleague would (paths relative to /api/v1)."""

    def __init__(self, url: str, token: str | None, timeout: float = 10.0) -> None:
        self.base = url.rstrip("/") + API_PREFIX
        self.timeout = timeout
        self.session = requests.Session()
        if token is not None:
            self.session.headers["Authorization"] = f"MQS-API {token}"

    def __repr__(self) -> str:
        return f"AdminClient({self.base!r})"  # never the token

    def request(
        self,
        method: str,
        path: str,
        json: Any = None,
        headers: dict[str, str] | None = None,
        params: dict[str, Any] | None = None,
    ) -> requests.Response:
        return self.session.request(
            method,
            self.base + path,
            json=json,
            headers=headers,
            params=params,
            timeout=self.timeout,
        )

    def get(
        self, path: str, headers: dict[str, str] | None = None, params: dict[str, Any] | None = None
    ) -> requests.Response:
        return self.request("GET", path, headers=headers, params=params)

    def post(
        self, path: str, json: Any = None, headers: dict[str, str] | None = None
    ) -> requests.Response:
        return self.request("POST", path, json=json, headers=headers)

    def put(
        self, path: str, json: Any = None, headers: dict[str, str] | None = None
    ) -> requests.Response:
        return self.request("PUT", path, json=json, headers=headers)

    def delete(self, path: str, headers: dict[str, str] | None = None) -> requests.Response:
        return self.request("DELETE", path, headers=headers)

    def all_items(
        self, path: str, params: dict[str, Any] | None = None, limit: int = 1000
    ) -> list[Any]:
        """Every item of a paginated collection (bounded: at most 10,000 pages)."""
        items: list[Any] = []
        query: dict[str, Any] = {**(params or {}), "limit": limit}
        for _ in range(10_000):
            answer = self.get(path, params=query)
            answer.raise_for_status()
            page = answer.json()
            items.extend(page["Items"])
            if page["Next"] is None:
                return items
            query["after"] = page["Next"]
        raise RuntimeError(f"{path}: more than 10,000 pages")

    def create_project_manager(self, user_name: str, full_name: str = "", email: str = "") -> str:
        """Create a user and add it to ProjectManagers; return its UserGuid."""
        answer = self.post(
            "/users", {"UserName": user_name, "FullName": full_name, "EmailAddress": email}
        )
        answer.raise_for_status()
        guid: str = answer.json()["UserGuid"]
        members = self.get(f"/groups/{PROJECT_MANAGERS_GUID}/users")
        members.raise_for_status()
        updated = self.put(
            f"/groups/{PROJECT_MANAGERS_GUID}/users",
            {"UserGuids": [*members.json()["UserGuids"], guid]},
            headers={"If-Match": members.headers["ETag"]},
        )
        updated.raise_for_status()
        return guid

    def close(self) -> None:
        self.session.close()


@dataclass
class SamplePortal:
    """GUIDs of a one-client portal: a PM, a service, the client Acme and its contact Ann."""

    pm: str
    service: str
    client: str
    contact: str
    template: str


def build_sample_portal(admin: AdminClient) -> SamplePortal:
    """Create the sample portal through the API (on an empty server)."""
    pm = admin.create_project_manager("pm.one", "PM One", "pm1@example.com")
    template = admin.get("/projecttemplates").json()["Items"][0]["TemplateGuid"]
    service = admin.post(
        "/customerportal/services",
        {"Name": "Translation", "TemplateGuid": template, "Workflow": "Quote"},
    ).json()["ServiceGuid"]
    client = admin.post("/customerportal/clients", {"Name": "Acme"}).json()["ClientGuid"]
    assert admin.put(f"/customerportal/clients/{client}/projectmanagers", {"UserGuids": [pm]}).ok
    assert admin.put(f"/customerportal/clients/{client}/services", {"ServiceGuids": [service]}).ok
    contact = admin.post(
        f"/customerportal/clients/{client}/contacts",
        {"FullName": "Ann", "EmailAddress": "ann@acme.example", "Services": [service]},
    ).json()["ContactGuid"]
    return SamplePortal(pm, service, client, contact, template)
