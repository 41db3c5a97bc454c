"""Reliability: the same sequence against a server that fails 30% of writes (half of them after
committing) ends in the same state as a fault-free run, with no duplicate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .portal import (
    ServerFactory,
    apply_config,
    plan_for,
    portal_config,
    read,
    snapshot,
    transport_for,
    write_config,
)

SIZE = {"clients": 60, "pms": 6, "services": 12}


def run_sequence(server: Any, directory: Path, attempts: int) -> tuple[dict[str, Any], int]:
    """Apply every stage once; return the final snapshot and how many changes were applied."""
    applied = 0
    with transport_for(server, attempts=attempts) as transport:
        for stage in range(1, 7):
            config = write_config(directory, portal_config(stage, **SIZE))
            result = apply_config(config, transport)
            assert result.ok, f"stage {stage}: {result.unfinished[:3]}"
            applied += len(result.outcomes)
            assert plan_for(config, transport).changes == ()
        return snapshot(read(transport)), applied


def test_faulty_server_ends_in_the_same_state_as_a_clean_one(
    server_factory: ServerFactory, tmp_path: Path
) -> None:
    clean = server_factory()
    faulty = server_factory(fault_rate=0.3, fault_seed=5)
    (tmp_path / "clean").mkdir()
    (tmp_path / "faulty").mkdir()
    expected, changes = run_sequence(clean, tmp_path / "clean", attempts=6)
    # 0.3 ** 12: a write failing every try is a one-in-millions event over this run.
    actual, faulty_changes = run_sequence(faulty, tmp_path / "faulty", attempts=12)
    assert changes >= 500 and faulty_changes == changes
    assert actual == expected
    assert faulty.requests_by_method()["POST"] > clean.requests_by_method()["POST"]  # retried
