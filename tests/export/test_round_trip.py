"""Export, then plan the export against the same portal: nothing to change, whatever the names."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings

from portalsync.config import load_portal
from portalsync.export import export_portal, render_per_client, render_single, write_tree
from portalsync.live import LivePortal, LiveTemplate
from portalsync.plan import make_plan

from .strategies import live_portals

TEMPLATES = (
    LiveTemplate("t1", "Legal FR-EN", "fre", ("eng",)),
    LiveTemplate("t2", "yes", "ger", ("eng", "fre")),
)
SCHEMA = "https://example.test/portalsync.schema.json"


def plan_of_export(live: LivePortal, layout: str) -> list[str]:
    exported = export_portal(live)
    with tempfile.TemporaryDirectory() as workdir:
        if layout == "single":
            path = Path(workdir) / "portalsync.yaml"
            path.write_text(render_single(exported, SCHEMA), encoding="utf-8")
        else:
            path = Path(workdir) / "portal"
            write_tree(path, render_per_client(exported, SCHEMA))
        desired, _warnings = load_portal([str(path)])
    return [f"{c.action} {c.kind} {c.key}" for c in make_plan(desired, live, "test").changes]


@settings(max_examples=150, deadline=None)
@given(live_portals(TEMPLATES))
def test_a_single_file_export_plans_no_changes(live: LivePortal) -> None:
    assert plan_of_export(live, "single") == []


@settings(max_examples=60, deadline=None)
@given(live_portals(TEMPLATES))
def test_a_per_client_export_plans_no_changes(live: LivePortal) -> None:
    assert plan_of_export(live, "per-client") == []
