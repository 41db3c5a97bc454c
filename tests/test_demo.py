"""`portalsync demo` as a user runs it: a subprocess in a clean directory, leaving nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from portalsync.cli import main
from portalsync.demo import EDITED_DESCRIPTION, NEW_CONTACT


def test_the_demo_shows_plan_apply_no_changes_and_drift_and_cleans_up(tmp_path: Path) -> None:
    cwd, temp = tmp_path / "cwd", tmp_path / "temp"
    cwd.mkdir()
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp), "NO_COLOR": "1"}
    env.pop("PORTALSYNC_SERVER", None)
    env.pop("PORTALSYNC_TOKEN", None)
    done = subprocess.run(
        [sys.executable, "-m", "portalsync", "demo"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    first, rest = out.split("2. Applying")
    assert "+ client" in first or "+ " in first
    assert "Société Générale de Traduction" in first
    assert "Plan: " in first
    assert "3. Planning again: No changes.\n" in rest
    again, drift = rest.split("4. A colleague edits")[0], rest.split("5. Drift detected by plan")[1]
    assert again.strip().endswith("No changes.")
    assert EDITED_DESCRIPTION in drift
    assert NEW_CONTACT in drift
    assert list(cwd.iterdir()) == []
    assert list(temp.iterdir()) == []


def test_without_the_server_extra_the_demo_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *args: None if name == "uvicorn" else real(name, *args),
    )
    with pytest.raises(SystemExit) as exited:
        main(["demo"])
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "pip install 'portalsync[server]'" in err
