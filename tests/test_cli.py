"""The command group itself: version, help on every command, exit code of usage errors."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from portalsync import __version__
from portalsync.cli import COMMAND_MODULES, cli


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "portalsync", *args], capture_output=True, text=True, check=False
    )


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert __version__ in result.stdout


def test_usage_error_exits_1_not_2() -> None:
    # 2 means "there are changes" to CI scripts, so click's usage code is overridden.
    result = run("no-such-command")
    assert result.returncode == 1
    assert "No such command" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("name", sorted(COMMAND_MODULES))
def test_every_command_documents_itself_with_an_example(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output, f"'{name} --help' shows no example"
