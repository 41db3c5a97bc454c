"""Plan wall time and peak memory against the reference server, beside the floor of the same run.

For each size: a server on a temporary database holding N clients (3 contacts each, inserted
straight into its SQLite file, since a million API calls would take hours), a config in sync with
it, then, each in a fresh process measured with wait4 (wall time, peak RSS):
- floor: a bare libyaml load of the config (cyclic GC paused) + raw keep-alive paginated GETs of
  the six collections the plan reads (fetched concurrently, as the plan does);
- plan:  `portalsync plan FILE` (validation, read, diff, text rendering of "No changes.").

    python bench/plan.py                       # 1k and 10k clients
    python bench/plan.py --sizes 1000,10000,100000 --repeat 1
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from portalsync.server.names import name_key
from portalsync.server.testing import AdminClient, running_server

PMS = ("mkovacs", "jmartin", "hschneider")
SERVICES = (
    ("Legal FR>EN", "Legal FR-EN", "Quote"),
    ("Medical DE>EN", "Medical DE-EN", "ManualProject"),
)
FLOOR = r"""
import gc, sys, threading, requests, yaml
url, token, config = sys.argv[1:4]
gc.disable()  # the fastest plain way to read YAML: the cyclic GC paused, as plan itself does
with open(config, "rb") as f:
    yaml.load(f, Loader=yaml.CSafeLoader)
gc.enable()
def fetch(path):
    s = requests.Session(); s.headers["Authorization"] = "MQS-API " + token
    q = {"limit": "1000"}
    while True:
        body = s.get(url + "/api/v1" + path, params=q, timeout=60).json()
        if "Items" not in body: return
        if not body.get("Next"): return
        q = {"limit": "1000", "after": body["Next"]}
paths = ["/users", "/projecttemplates", "/customerportal/services", "/customerportal/clients",
         "/customerportal/contacts", "/groups/00000000-0000-0000-0000-000000000002/users"]
threads = [threading.Thread(target=fetch, args=(p,)) for p in paths]
for t in threads: t.start()
for t in threads: t.join()
"""


def populate(url: str, token: str, db_path: Path, clients: int) -> dict[str, str]:
    """PMs and services through the API; clients, assignments and contacts straight into SQLite."""
    admin = AdminClient(url, token)
    templates = {t["Name"]: t["TemplateGuid"] for t in admin.all_items("/projecttemplates")}
    for pm in PMS:
        admin.create_project_manager(pm, pm.title(), f"{pm}@lsp.example")
    for name, template, workflow in SERVICES:
        body = {
            "Name": name,
            "Description": "",
            "TemplateGuid": templates[template],
            "Workflow": workflow,
            "AllClients": False,
        }
        admin.post("/customerportal/services", body).raise_for_status()
    db = sqlite3.connect(db_path, timeout=60)
    with db:
        users = dict(db.execute("SELECT user_name, id FROM users"))
        services = [sid for (sid,) in db.execute("SELECT id FROM services ORDER BY id")]
        first_client = (db.execute("SELECT COALESCE(MAX(id), 0) FROM clients").fetchone()[0]) + 1
        first_contact = (db.execute("SELECT COALESCE(MAX(id), 0) FROM contacts").fetchone()[0]) + 1
        db.executemany(
            "INSERT INTO clients (id, guid, name, name_key, description) VALUES (?, ?, ?, ?, ?)",
            (
                (
                    first_client + n,
                    str(uuid.uuid4()),
                    f"Client {n:06}",
                    name_key(f"Client {n:06}"),
                    f"Customer number {n}",
                )
                for n in range(clients)
            ),
        )
        db.executemany(
            "INSERT INTO client_pms VALUES (?, ?)",
            ((first_client + n, users[PMS[n % 3]]) for n in range(clients)),
        )
        db.executemany(
            "INSERT INTO client_services VALUES (?, ?)",
            ((first_client + n, s) for n in range(clients) for s in services),
        )
        db.executemany(
            "INSERT INTO contacts (id, guid, client_id, full_name, email, email_key, role, status)"
            " VALUES (?, ?, ?, ?, ?, ?, 'Requester', 'Active')",
            (
                (
                    first_contact + 3 * n + k,
                    str(uuid.uuid4()),
                    first_client + n,
                    f"Person {n} {k}",
                    f"p{n}.{k}@c{n}.example",
                    f"p{n}.{k}@c{n}.example",
                )
                for n in range(clients)
                for k in range(3)
            ),
        )
        db.executemany(
            "INSERT INTO contact_services VALUES (?, ?)",
            ((first_contact + i, services[0]) for i in range(3 * clients)),
        )
    db.close()
    return templates


def write_config(path: Path, clients: int) -> None:
    parts = ["version: 1\nproject_managers:\n"]
    parts += [
        f"  - username: {pm}\n    full_name: {pm.title()}\n    email: {pm}@lsp.example\n"
        for pm in PMS
    ]
    parts.append("services:\n")
    workflows = {"Quote": "quote", "ManualProject": "manual_project"}
    parts += [
        f"  - name: {name}\n    template: {template}\n    workflow: {workflows[wf]}\n"
        for name, template, wf in SERVICES
    ]
    parts.append("clients:\n")
    services = ", ".join(name for name, _, _ in SERVICES)
    for n in range(clients):
        parts.append(
            f"  - name: Client {n:06}\n    description: Customer number {n}\n"
            f"    project_managers: [{PMS[n % 3]}]\n    services: [{services}]\n    contacts:\n"
        )
        parts += [
            f"      - email: p{n}.{k}@c{n}.example\n        full_name: Person {n} {k}\n"
            f"        role: requester\n        services: [{SERVICES[0][0]}]\n"
            for k in range(3)
        ]
    path.write_text("".join(parts), encoding="utf-8")


def measure(argv: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MiB and exit status of one fresh process."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 2):
        raise SystemExit(
            f"{argv[:4]} failed: {process.stderr.read().decode() if process.stderr else ''}"
        )
    return elapsed, usage.ru_maxrss / 1024, process.returncode


def bench_size(clients: int, repeat: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        db_path, config = Path(tmp) / "portal.db", Path(tmp) / "portal.yaml"
        with running_server(db_path) as server:
            started = time.perf_counter()
            populate(server.url, server.token, db_path, clients)
            write_config(config, clients)
            setup = time.perf_counter() - started
            env = {**os.environ, "PORTALSYNC_SERVER": server.url, "PORTALSYNC_TOKEN": server.token}
            floor = [
                measure([sys.executable, "-c", FLOOR, server.url, server.token, str(config)], env)
                for _ in range(repeat)
            ]
            server.reset_request_counts()
            plan = [
                measure(
                    [
                        sys.executable,
                        "-m",
                        "portalsync",
                        "plan",
                        str(config),
                        "--detailed-exitcode",
                    ],
                    env,
                )
                for _ in range(repeat)
            ]
            methods = dict(server.requests_by_method())
    if any(code != 0 for _, _, code in plan):
        raise SystemExit(f"{clients} clients: the plan of an in-sync portal is not empty")
    floor_s, plan_s = min(f[0] for f in floor), min(p[0] for p in plan)
    return {
        "clients": clients,
        "setup_s": round(setup, 2),
        "floor_s": round(floor_s, 3),
        "plan_s": round(plan_s, 3),
        "ratio": round(plan_s / floor_s, 2),
        "floor_peak_mib": round(max(f[1] for f in floor), 1),
        "plan_peak_mib": round(max(p[1] for p in plan), 1),
        "requests_per_plan": {m: c // repeat for m, c in methods.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument(
        "--sizes",
        default="1000,10000",
        help="comma-separated client counts (add 100000 for the big run, ~minutes)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the fastest counts")
    parser.add_argument("--json", action="store_true", help="print JSON lines instead of a table")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    if 100_000 not in sizes:
        print("(100k clients is opt-in: --sizes 1000,10000,100000 --repeat 1)", file=sys.stderr)
    print(
        f"{'clients':>8} {'floor s':>8} {'plan s':>8} {'ratio':>6} {'floor MiB':>10} "
        f"{'plan MiB':>9}  requests"
    )
    for size in sizes:
        row = bench_size(size, args.repeat)
        if args.json:
            print(json.dumps(row))
            continue
        print(
            f"{row['clients']:>8} {row['floor_s']:>8} {row['plan_s']:>8} {row['ratio']:>6} "
            f"{row['floor_peak_mib']:>10} {row['plan_peak_mib']:>9}  {row['requests_per_plan']}",
            flush=True,
        )


if __name__ == "__main__":
    main()
