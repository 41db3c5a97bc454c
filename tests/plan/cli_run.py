"""Run `portalsync` in-process, the way the console script does, capturing exit code and streams."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path

import pytest

from portalsync.cli import main
from portalsync.server.testing import RunningServer

PORTAL = str(Path(__file__).parent / "data" / "portal.yaml")


@dataclass
class Result:
    code: int
    out: str
    err: str


def run(*args: str) -> Result:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else 1
    return Result(code, out.getvalue(), err.getvalue())


def connect(monkeypatch: pytest.MonkeyPatch, server: RunningServer) -> None:
    monkeypatch.setenv("PORTALSYNC_SERVER", server.url)
    monkeypatch.setenv("PORTALSYNC_TOKEN", server.token)
    monkeypatch.delenv("NO_COLOR", raising=False)
