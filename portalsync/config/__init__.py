"""The config layer: read the YAML files, validate them, build the desired portal.

portal, warnings = load_portal(["portal/"])   # raises ConfigError when invalid
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from portalsync.config.build import build_portal
from portalsync.config.document import Document, check_document, not_a_config
from portalsync.config.files import default_paths, digest, expand_paths
from portalsync.config.problems import Problem, has_errors, sort_problems
from portalsync.config.rules import check_rules
from portalsync.config.yamlfile import Positions, load_yaml
from portalsync.errors import ConfigError
from portalsync.gcpause import gc_paused
from portalsync.model import DesiredPortal

__all__ = ["ConfigReport", "Problem", "check_portal", "load_portal", "validate_document"]


@dataclass(frozen=True)
class ConfigReport:
    """What `validate` learns: the portal (None when there are errors) and every problem."""

    files: tuple[str, ...]
    problems: list[Problem] = field(default_factory=list)
    portal: DesiredPortal | None = None

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == "warning"]


def check_portal(paths: Sequence[str]) -> ConfigReport:
    """Load and validate; never raises for a bad config (only for no config at all)."""
    files, problems = expand_paths(list(paths) or default_paths())
    with gc_paused():
        # The loaded documents (millions of objects for a big portal) die when _check returns,
        # still inside the pause: the collection that follows gc.enable() then scans only the
        # portal, not every node, mark and dict of the load (a quarter of the time at 10k).
        portal = _check(files, problems)
    return ConfigReport(tuple(files), sort_problems(problems), portal)


def _check(files: list[str], problems: list[Problem]) -> DesiredPortal | None:
    """Read, validate and build; the problems found are appended to `problems`."""
    contents: list[tuple[str, bytes]] = []
    documents: list[Document] = []
    for file in files:
        content, problem = _read(file)
        if problem is not None:
            problems.append(problem)
            continue
        contents.append((file, content))
        document, found = _load_document(file, content)
        problems.extend(found)
        if document is not None:
            documents.append(document)
    if not has_errors(problems):
        problems.extend(check_rules(documents))
    if has_errors(problems):
        return None
    return build_portal(documents, tuple(files), digest(contents))


def load_portal(paths: Sequence[str]) -> tuple[DesiredPortal, list[Problem]]:
    """The desired portal and its warnings; raises ConfigError (exit 3) listing every problem."""
    report = check_portal(paths)
    if report.portal is None:
        errors, warnings = len(report.errors), len(report.warnings)
        summary = f"invalid configuration: {_count(errors, 'error')}, {_count(warnings, 'warning')}"
        raise ConfigError(summary, problems=[str(problem) for problem in report.problems])
    return report.portal, report.warnings


def validate_document(data: Any, file: str = "<data>") -> list[Problem]:
    """Every problem of already-parsed data, as if it were one YAML file (positions are 1:1)."""
    positions = Positions(file)
    problems = check_document(file, data, positions)
    if not problems:
        problems = check_rules([Document(file, data, positions)])
    return sort_problems(problems)


def _read(file: str) -> tuple[bytes, Problem | None]:
    try:
        if not stat.S_ISREG(os.stat(file).st_mode):  # a FIFO would block the read forever
            return b"", Problem(file, 1, 1, "error", "(root)", "not a regular file")
        with open(file, "rb") as stream:
            return stream.read(), None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        return b"", Problem(file, 1, 1, "error", "(root)", f"cannot read: {reason}")


def _load_document(file: str, content: bytes) -> tuple[Document | None, list[Problem]]:
    data, positions, problems = load_yaml(file, content)
    if problems and data is None:
        return None, problems
    stray = not_a_config(file, data, positions)
    if stray is not None:  # one line for a stray file, not a list of its oddities
        return None, [stray]
    # The loader's finding on a key (duplicate, not a string) explains the schema's at that path.
    explained = {problem.path for problem in problems}
    problems.extend(p for p in check_document(file, data, positions) if p.path not in explained)
    if has_errors(problems):
        return None, problems
    return Document(file, data, positions), problems


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
