"""A problem found in the configuration: where it is, how bad, and what is wrong."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from portalsync.model import Severity

PathPart = str | int
ROOT_PATH = "(root)"  # the PATH printed for problems about a whole file


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One line of `portalsync validate` output: FILE:LINE:COL: SEVERITY: PATH: message."""

    file: str
    line: int
    column: int
    severity: Severity
    path: str
    message: str

    def __str__(self) -> str:
        return (
            f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.path}: {self.message}"
        )

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def format_path(parts: Sequence[PathPart]) -> str:
    """('clients', 2, 'contacts', 0, 'email') -> 'clients[2].contacts[0].email'."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or ROOT_PATH


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Sorted by file, line and column, without exact repeats (two validators may agree)."""
    return sorted(set(problems), key=lambda p: (p.file, p.line, p.column, p.path, p.message))


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(problem.severity == "error" for problem in problems)
