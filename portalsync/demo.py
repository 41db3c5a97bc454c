"""`portalsync demo`: the whole job on the packaged example portal, against a reference server that
lives for a few seconds in a temporary directory.

It drives the same library functions as the commands (load, read, plan, render, apply), so what it
shows is what `plan` and `apply` do. Nothing is left behind: the database, the server's token file
and the copy of the example all live in one temporary directory, removed at the end.
"""

from __future__ import annotations

import importlib.util
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from portalsync.apply import apply_changes
from portalsync.backend.connection import Connection
from portalsync.backend.reader import PortalReader
from portalsync.backend.transport import Transport
from portalsync.config import load_portal
from portalsync.errors import ApplyFailedError, UsageError
from portalsync.model import DesiredPortal
from portalsync.plan import Plan, make_plan
from portalsync.render import render_text

EXAMPLE = "clients.yaml"  # packaged in portalsync/data/ (examples/clients.yaml links to it)
EDITED_CLIENT = "Müller & Söhne GmbH"
EDITED_DESCRIPTION = "Medical devices, Stuttgart and Ulm"
NEW_CONTACT = "anna.weber@mueller-soehne.example"

Echo = Callable[[str], None]
T = TypeVar("T")


def require_server_extra() -> None:
    """The demo embeds the reference server, which needs the optional `server` dependencies."""
    if not all(importlib.util.find_spec(name) for name in ("fastapi", "uvicorn")):
        raise UsageError(
            "portalsync demo runs the reference server: pip install 'portalsync[server]'"
        )


def run_demo(echo: Echo) -> None:
    """Plan, apply, plan again, let a colleague edit, and show the drift; then clean up."""
    require_server_extra()
    from portalsync.server.testing import running_server

    with tempfile.TemporaryDirectory(prefix="portalsync-demo-") as workdir:
        root = Path(workdir)
        example = _copy_example(root)
        with running_server(root / "portal.db") as server:
            demo = _Demo(echo, Connection(server.url, server.token, timeout=10), example)
            demo.run()


class _Demo:
    def __init__(self, echo: Echo, connection: Connection, example: Path) -> None:
        self.echo = echo
        self.connection = connection
        desired, _warnings = load_portal([str(example)])
        self.desired = _relabel(desired, f"examples/{EXAMPLE}")

    def run(self) -> None:
        with Transport(self.connection) as transport:
            self.transport = transport
            plan = self._section("1. The plan for an empty portal", show=True)
            self._heading("2. Applying")
            self._apply(plan)
            self._section("3. Planning again: No changes.", show=True)
            self._heading(f"4. A colleague edits {EDITED_CLIENT} in the web UI")
            self._colleague_edits()
            self._section("5. Drift detected by plan", show=True)
            self.echo(
                "\nplan found both edits made outside the config: "
                "`portalsync apply --allow-delete` would undo them."
            )

    def _heading(self, title: str) -> None:
        self.echo(f"\n{title}\n{'=' * len(title)}\n")

    def _plan(self) -> Plan:
        live = PortalReader(self.transport).read_portal()
        return make_plan(self.desired, live, self.connection.server)

    def _section(self, title: str, *, show: bool) -> Plan:
        self._heading(title)
        plan = self._plan()
        if show:
            self.echo(render_text(plan).rstrip("\n"))
        return plan

    def _apply(self, plan: Plan) -> None:
        result = apply_changes(plan.changes, plan.live, self.transport)
        if not result.ok:
            reasons = "; ".join(str(outcome) for outcome in result.unfinished[:3])
            raise ApplyFailedError(f"the demo's apply did not finish: {reasons}")
        self.echo(f"Applied {len(plan.changes)} changes to {self.connection.server}.")

    def _colleague_edits(self) -> None:
        from portalsync.server.testing import AdminClient

        admin = AdminClient(self.connection.server, self.connection.token)
        try:
            (client,) = admin.all_items("/customerportal/clients", params={"q": EDITED_CLIENT})
            guid = client["ClientGuid"]
            admin.put(
                f"/customerportal/clients/{guid}",
                {"Description": EDITED_DESCRIPTION},
                headers={"If-Match": f'"{client["Version"]}"'},
            ).raise_for_status()
            admin.post(
                f"/customerportal/clients/{guid}/contacts",
                {"FullName": "Anna Weber", "EmailAddress": NEW_CONTACT, "Role": "Requester"},
            ).raise_for_status()
        finally:
            admin.close()
        self.echo(f'Changed its description to "{EDITED_DESCRIPTION}".')
        self.echo(f"Added a contact, {NEW_CONTACT}.")


def _copy_example(root: Path) -> Path:
    # A copy under the temporary directory, so plan's file:line references read as a short path.
    target = root / "examples" / EXAMPLE
    target.parent.mkdir()
    source = resources.files("portalsync").joinpath("data").joinpath(EXAMPLE)
    with resources.as_file(source) as path:
        shutil.copyfile(path, target)
    return target


def _relabel(desired: DesiredPortal, file: str) -> DesiredPortal:
    """Point the plan's file:line references at the example's name, not the temporary copy."""

    def at(item: T) -> T:
        source: Any = getattr(item, "source", None)
        return replace(item, source=replace(source, file=file)) if source else item  # type: ignore[type-var]

    clients = tuple(
        at(replace(client, contacts=tuple(at(c) for c in client.contacts)))
        for client in desired.clients
    )
    return replace(
        desired,
        project_managers=tuple(at(pm) for pm in desired.project_managers),
        services=tuple(at(service) for service in desired.services),
        clients=clients,
    )
