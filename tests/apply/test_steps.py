"""Step tests against the reference server: each stage of the sequence applies, and the plan
made right after it is empty."""

from __future__ import annotations

from pathlib import Path

from portalsync.server.testing import RunningServer

from .portal import STAGES, apply_config, plan_for, portal_config, transport_for, write_config


def test_each_stage_applies_and_the_next_plan_is_empty(
    server: RunningServer, tmp_path: Path
) -> None:
    with transport_for(server) as transport:
        for stage, title in enumerate(STAGES, start=1):
            config = write_config(tmp_path, portal_config(stage))
            result = apply_config(config, transport)
            assert result.ok, f"stage {stage} ({title}): {result.unfinished}"
            assert result.outcomes, f"stage {stage} ({title}) planned nothing"
            left = plan_for(config, transport).changes
            assert left == (), f"stage {stage} ({title}) left: {left}"
