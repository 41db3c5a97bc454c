"""Progress on stderr while apply runs: a bar on a terminal, one plain line per step otherwise."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any, TextIO

import click

from portalsync.apply.executor import StepResult
from portalsync.apply.graph import Step

BAR_FROM = 4  # a bar for fewer steps than this is noise


class Progress:
    """A listener for the executor; it is called on the scheduling thread only."""

    def __init__(self, total: int, *, quiet: bool = False, stream: TextIO | None = None) -> None:
        self._stream = stream or sys.stderr
        self._quiet = quiet
        self._bar: Any = None
        if not quiet and total >= BAR_FROM and self._stream.isatty():
            self._bar = click.progressbar(
                length=total, label="Applying", file=self._stream, show_pos=True
            )

    def __enter__(self) -> Progress:
        if self._bar is not None:
            self._bar.__enter__()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.__exit__(kind, error, trace)

    def __call__(self, step: Step, result: StepResult) -> None:
        if self._bar is not None:
            self._bar.update(1)
        elif not self._quiet:
            reason = f": {result.reason}" if result.reason else ""
            click.echo(
                f"{result.status.replace('_', ' ')}: {step.label}{reason}", file=self._stream
            )

    def note(self, message: str) -> None:
        click.echo(("\n" if self._bar is not None else "") + message, file=self._stream)
