"""Benchmark: 1,000 creates through `apply` against the reference server with latency, beside a
raw client sending the same requests at the same concurrency, and (optionally) beside an Ansible
playbook looping the `uri` module over the same objects.

    python -m bench.apply                 # portalsync and the raw client
    python -m bench.apply --ansible       # also Ansible (pip-installs ansible-core if missing)

Each contender gets a fresh server with the same latency. The portal: one PM, one service, and
250 clients each with its PMs, its services and one contact: 4 writes per client, 1,000 in all.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import requests
import yaml

from portalsync.apply import apply_changes
from portalsync.backend.connection import Connection
from portalsync.backend.reader import PortalReader
from portalsync.backend.transport import Transport
from portalsync.live import PROJECT_MANAGERS_GROUP
from portalsync.model import Client, Contact, DesiredPortal, ProjectManager, Service
from portalsync.plan import make_plan
from portalsync.server.testing import RunningServer, running_server

TEMPLATE = "Legal FR-EN"


def desired_portal(clients: int) -> DesiredPortal:
    return DesiredPortal(
        project_managers=(ProjectManager("pm", "Project Manager", "pm@lsp.example"),),
        services=(Service("Legal", TEMPLATE, "quote"),),
        clients=tuple(
            Client(
                f"Client {n:04}",
                project_managers=("pm",),
                services=("Legal",),
                contacts=(
                    Contact(f"c{n}@client.example", f"Contact {n}", "requester", ("Legal",)),
                ),
            )
            for n in range(clients)
        ),
    )


def bench_portalsync(server: RunningServer, clients: int, concurrency: int) -> tuple[float, int]:
    connection = Connection(server.url, server.token)
    with Transport(connection) as transport:
        live = PortalReader(transport).read_portal()
        plan = make_plan(desired_portal(clients), live, server.url)
        started = time.perf_counter()
        result = apply_changes(plan.changes, plan.live, transport, concurrency=concurrency)
        elapsed = time.perf_counter() - started
    if not result.ok:
        raise SystemExit(f"portalsync apply failed: {result.unfinished[:3]}")
    return elapsed, len(plan.changes)


class RawClient:
    """The same requests, hand-written: a keep-alive session per thread, nothing else."""

    def __init__(self, server: RunningServer) -> None:
        self.base = server.url + "/api/v1"
        self.token = server.token
        self.local = threading.local()

    def call(self, method: str, path: str, body: Any, version: str | None = None) -> Any:
        session = getattr(self.local, "session", None)
        if session is None:
            session = self.local.session = requests.Session()
            session.headers["Authorization"] = f"MQS-API {self.token}"
        headers = {"If-Match": version} if version else {}
        answer = session.request(method, self.base + path, json=body, headers=headers, timeout=30)
        answer.raise_for_status()
        return answer.json(), answer.headers.get("ETag")

    def client(self, n: int, pm: str, service: str) -> None:
        body, etag = self.call("POST", "/customerportal/clients", {"Name": f"Client {n:04}"})
        guid = body["ClientGuid"]
        base = f"/customerportal/clients/{guid}"
        _, etag = self.call("PUT", f"{base}/projectmanagers", {"UserGuids": [pm]}, etag)
        self.call("PUT", f"{base}/services", {"ServiceGuids": [service]}, etag)
        contact = {"EmailAddress": f"c{n}@client.example", "FullName": f"Contact {n}",
                   "Role": "Requester", "Services": [service]}  # fmt: skip
        self.call("POST", f"{base}/contacts", contact)


def setup(raw: RawClient) -> tuple[str, str]:
    """The PM (in ProjectManagers) and the service every client gets: (UserGuid, ServiceGuid)."""
    templates, _ = raw.call("GET", "/projecttemplates", None)
    template = next(t["TemplateGuid"] for t in templates["Items"] if t["Name"] == TEMPLATE)
    user, _ = raw.call("POST", "/users", {"UserName": "pm", "FullName": "Project Manager",
                                          "EmailAddress": "pm@lsp.example"})  # fmt: skip
    legal = {"Name": "Legal", "TemplateGuid": template, "Workflow": "Quote"}
    service, _ = raw.call("POST", "/customerportal/services", legal)
    group = f"/groups/{PROJECT_MANAGERS_GROUP}/users"
    members, etag = raw.call("GET", group, None)
    raw.call("PUT", group, {"UserGuids": [*members["UserGuids"], user["UserGuid"]]}, etag)
    return user["UserGuid"], service["ServiceGuid"]


def bench_raw(server: RunningServer, clients: int, concurrency: int) -> float:
    raw = RawClient(server)
    started = time.perf_counter()
    pm, service = setup(raw)
    with ThreadPoolExecutor(concurrency) as pool:
        for future in [pool.submit(raw.client, n, pm, service) for n in range(clients)]:
            future.result()
    return time.perf_counter() - started


def playbook(api: str, pm: str, service: str, clients: int) -> list[dict[str, Any]]:
    """The same writes as an Ansible user would loop them with the `uri` module."""
    client_path = api + "/customerportal/clients/{{ item.json.ClientGuid }}"

    def call(name: str, url: str, method: str, body: dict[str, Any], **extra: Any) -> Any:
        task = {"url": url, "method": method, "headers": "{{ auth }}", "body_format": "json",
                "body": body, **({"status_code": 201} if method == "POST" else {})}  # fmt: skip
        # no_log: Ansible would otherwise echo the Authorization header on failure.
        return {"name": name, "uri": task, "loop": "{{ created.results }}", "no_log": True,
                **extra}  # fmt: skip

    contact = {"EmailAddress": "c{{ ansible_loop.index0 }}@client.example",
               "FullName": "Contact", "Role": "Requester", "Services": [service]}  # fmt: skip
    return [{
        "hosts": "localhost",
        "gather_facts": False,
        "vars": {"auth": {"Authorization": "MQS-API {{ lookup('env', 'BENCH_TOKEN') }}"}},
        "tasks": [
            {**call("create clients", api + "/customerportal/clients", "POST",
                    {"Name": "Client {{ '%04d' % item }}"}),
             "loop": f"{{{{ range({clients}) | list }}}}", "register": "created"},
            call("assign PMs", client_path + "/projectmanagers", "PUT", {"UserGuids": [pm]}),
            call("assign services", client_path + "/services", "PUT",
                 {"ServiceGuids": [service]}),
            call("create contacts", client_path + "/contacts", "POST", contact,
                 loop_control={"extended": True}),
        ],
    }]  # fmt: skip


def ansible_playbook(install: bool) -> str | None:
    found = shutil.which("ansible-playbook") or _beside_python("ansible-playbook")
    if found or not install:
        return found
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "ansible-core"], check=False)
    return shutil.which("ansible-playbook") or _beside_python("ansible-playbook")


def _beside_python(name: str) -> str | None:
    candidate = Path(sys.executable).with_name(name)
    return str(candidate) if candidate.exists() else None


def bench_ansible(server: RunningServer, clients: int, playbook_cmd: str, work: Path) -> float:
    started = time.perf_counter()
    pm, service = setup(RawClient(server))
    book = work / "portal.yml"
    tasks = playbook(server.url + "/api/v1", pm, service, clients)
    book.write_text(yaml.safe_dump(tasks, sort_keys=False), encoding="utf-8")
    env = {"BENCH_TOKEN": server.token, "ANSIBLE_LOCALHOST_WARNING": "False",
           "ANSIBLE_INVENTORY_UNPARSED_WARNING": "False", "PATH": "/usr/bin:/bin"}  # fmt: skip
    done = subprocess.run([playbook_cmd, str(book)], env=env, capture_output=True, text=True,
                          check=False)  # fmt: skip
    if done.returncode != 0:
        output = done.stdout[-2000:].replace(server.token, "<token>")  # never print the token
        raise SystemExit(f"ansible-playbook failed:\n{output}")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=250, help="4 creates per client")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--latency-ms", type=int, default=20)
    parser.add_argument("--ansible", action="store_true", help="install ansible-core if missing")
    parser.add_argument(
        "--ansible-clients",
        type=int,
        help="clients for Ansible (default: the same as --clients); fewer are compared per write",
    )
    args = parser.parse_args()
    results: dict[str, Any] = {"latency_ms": args.latency_ms, "concurrency": args.concurrency}
    with tempfile.TemporaryDirectory() as work_dir:
        work = Path(work_dir)

        def server(name: str) -> Any:
            return running_server(work / f"{name}.db", latency_ms=args.latency_ms)

        with server("portalsync") as running:
            ours, changes = bench_portalsync(running, args.clients, args.concurrency)
        with server("raw") as running:
            raw = bench_raw(running, args.clients, args.concurrency)
        results.update(changes=changes, portalsync_s=round(ours, 2), raw_s=round(raw, 2),
                       ratio=round(ours / raw, 2))  # fmt: skip
        print(f"{changes} changes, latency {args.latency_ms} ms, concurrency {args.concurrency}")
        print(f"portalsync apply: {ours:6.2f} s")
        print(f"raw client:       {raw:6.2f} s   ratio {ours / raw:.2f}x (aim <= 1.3x)")
        playbook_cmd = ansible_playbook(args.ansible)
        if playbook_cmd is None:
            print("ansible:          skipped: ansible-core not installed (pass --ansible)")
        else:
            subset = args.ansible_clients or args.clients
            with server("ansible") as running:
                slow = bench_ansible(running, subset, playbook_cmd, work)
            # Per write, so a smaller Ansible run compares fairly (setup writes included).
            ratio = (slow / (4 * subset + 4)) / (ours / (4 * args.clients + 4))
            results.update(ansible_s=round(slow, 2), ansible_clients=subset,
                           ansible_over_portalsync=round(ratio, 1))  # fmt: skip
            print(f"ansible uri loop: {slow:6.2f} s for {subset} clients; per write portalsync is "
                  f"{ratio:.1f}x faster (aim >= 10x)")  # fmt: skip
    print(json.dumps(results))


if __name__ == "__main__":
    main()
