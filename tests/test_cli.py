"""The command group itself: version, help on every command, exit code of usage errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
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


@pytest.mark.parametrize("name", sorted(COMMAND_MODULES))
def test_every_option_has_help_text(name: str) -> None:
    command = cli.get_command(click.Context(cli), name)
    assert command is not None
    bare = [p.opts[0] for p in command.params if isinstance(p, click.Option) and not p.help]
    assert bare == [], f"'{name} --help' leaves {bare} undescribed"


def test_no_command_prints_the_help_without_an_error_prefix() -> None:
    result = run()
    assert result.returncode == 1
    assert result.stderr.startswith("Usage: portalsync [OPTIONS] COMMAND [ARGS]...")
    assert "error:" not in result.stderr


def test_usage_error_is_one_sentence_then_the_hint() -> None:
    result = run("demo", "extra")
    assert result.returncode == 1
    assert result.stderr == (
        "error: Got unexpected extra argument (extra). Try 'portalsync demo --help'.\n"
    )


@pytest.mark.parametrize(
    "args",
    [["-q", "validate", "{file}"], ["validate", "{file}", "-q"], ["validate", "-q", "{file}"]],
)
def test_global_options_before_or_after_the_command(args: list[str], tmp_path: Path) -> None:
    file = tmp_path / "p.yaml"
    file.write_text("version: 1\n", encoding="utf-8")
    result = run(*(arg.format(file=file) for arg in args))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
