"""Load+validate time of generated portals beside a bare libyaml load of the same files.

    python bench/validate.py            # 1k, 10k and 100k clients
    python bench/validate.py 1000 10000

The baseline is the fastest plain way to read the files: yaml.CSafeLoader with the cyclic GC
paused. The aim is a ratio of at most 1.25 at 10k clients.
"""

from __future__ import annotations

import gc
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from portalsync.config import load_portal

SERVICES = 20
CLIENTS_PER_PM = 25


def generate(clients: int) -> str:
    """A realistic portal: PMs, services on several templates, clients with two contacts."""
    pms = max(2, clients // CLIENTS_PER_PM)
    lines = ["version: 1", "project_managers:"]
    for pm in range(pms):
        lines += [
            f"  - username: pm{pm}",
            f"    full_name: Project Manager {pm}",
            f"    email: pm{pm}@lsp.example",
        ]
    lines.append("services:")
    for service in range(SERVICES):
        lines += [
            f"  - name: Service {service} FR>EN",
            f"    description: Generated service number {service}",
            f"    template: Legal FR-EN {service % 6}",
            "    workflow: quote",
        ]
    lines.append("clients:")
    for client in range(clients):
        services = f"[Service {client % SERVICES} FR>EN, Service {(client + 1) % SERVICES} FR>EN]"
        lines += [
            f"  - name: Client {client} Société Générale",
            f"    description: Generated client {client}",
            f"    project_managers: [pm{client % pms}, pm{(client + 1) % pms}]",
            f"    services: {services}",
            "    contacts:",
        ]
        for contact in range(2):
            lines += [
                f"      - email: person{contact}.c{client}@client.example",
                f"        full_name: Person {contact} of client {client}",
                "        role: requester",
                f"        services: [Service {client % SERVICES} FR>EN]",
            ]
    return "\n".join(lines) + "\n"


def bare_load(path: Path) -> float:
    content = path.read_bytes()
    start = time.perf_counter()
    gc.disable()
    try:
        yaml.load(content, Loader=yaml.CSafeLoader)
    finally:
        gc.enable()
    return time.perf_counter() - start


def portalsync_load(path: Path) -> float:
    start = time.perf_counter()
    portal, _ = load_portal([str(path)])
    elapsed = time.perf_counter() - start
    assert portal.clients, "the generated portal must be valid"
    return elapsed


def best_of(runs: int, measure: Callable[[Path], float], path: Path) -> float:
    return min(measure(path) for _ in range(runs))


def main(sizes: list[int]) -> None:
    print(
        f"{'clients':>8} {'MB':>6} {'libyaml (GC paused)':>20} {'load+validate':>14} {'ratio':>6}"
    )
    with tempfile.TemporaryDirectory() as directory:
        for clients in sizes:
            path = Path(directory) / f"portal-{clients}.yaml"
            path.write_text(generate(clients), encoding="utf-8")
            runs = 3 if clients <= 10_000 else 1
            bare = best_of(runs, bare_load, path)
            ours = best_of(runs, portalsync_load, path)
            megabytes = path.stat().st_size / 1e6
            print(
                f"{clients:>8} {megabytes:>6.1f} {bare:>19.2f}s {ours:>13.2f}s {ours / bare:>5.2f}x"
            )


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [1_000, 10_000, 100_000])
