"""One config file's data: is it a portalsync config, and does it match the schema?"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from portalsync.config import schema
from portalsync.config.problems import PathPart, Problem, format_path
from portalsync.config.yamlfile import YAML11_BOOLEANS, Positions, container_paths
from portalsync.model import Severity

NOT_A_CONFIG = "not a portalsync config"


@dataclass(frozen=True)
class Document:
    """A loaded file and the side tables that place each of its values."""

    file: str
    data: dict[str, Any]
    positions: Positions

    def where(self, path: tuple[PathPart, ...]) -> tuple[int, int]:
        return self.positions.locate(self.data, path)

    def problem(
        self, path: tuple[PathPart, ...], message: str, severity: Severity = "error"
    ) -> Problem:
        line, column = self.where(path)
        return Problem(self.file, line, column, severity, format_path(path), message)

    def place(self, path: tuple[PathPart, ...]) -> str:
        """FILE:LINE:COL of `path`, for messages that name an earlier occurrence."""
        line, column = self.where(path)
        return f"{self.file}:{line}:{column}"


def not_a_config(file: str, data: Any, positions: Positions) -> Problem | None:
    """The one problem of a file that is no portalsync config (or of another version)."""
    problem = _not_a_config(data)
    if problem is None:
        return None
    path, message = problem
    line, column = positions.locate(data, path)
    return Problem(file, line, column, "error", format_path(path), message)


def check_document(file: str, data: Any, positions: Positions) -> list[Problem]:
    """Problems of one file on its own: what it is, then the schema, then YAML 1.1 booleans."""
    problem = not_a_config(file, data, positions)
    if problem is not None:
        return [problem]
    document = Document(file, data, positions)
    explained: list[tuple[tuple[PathPart, ...], str]] = []
    if not schema.is_valid(data):
        explained = schema.explain(data, positions)
        if not explained:  # the two validators disagree: trust the stricter one
            explained = [((), "does not match the portalsync schema")]
    problems = [document.problem(path, message) for path, message in explained]
    reported = {problem.path for problem in problems}
    problems.extend(
        problem
        for problem in (
            *_yaml11_booleans(document),
            *_not_a_number(document),
            *_yaml12_numbers(document),
        )
        if problem.path not in reported
    )
    return problems


def _not_a_number(document: Document) -> list[Problem]:
    """`.nan` passes every minimum and maximum, so the schema cannot catch it."""
    raw = document.positions.raw
    found = [key for key, text in raw.items() if text.lower() == ".nan"]
    if not found:
        return []
    paths = container_paths(document.data)
    return [
        document.problem((*paths[container_id], part), "must be a number, not .nan")
        for container_id, part in found
        if container_id in paths
    ]


def _yaml12_numbers(document: Document) -> list[Problem]:
    """`1e3`, `0o17`: text to PyYAML, numbers to YAML 1.2 editors, so the two would disagree."""
    found = document.positions.yaml12_numbers
    if not found:
        return []
    paths = container_paths(document.data)
    return [
        document.problem(
            (*paths[container_id], part),
            f"YAML 1.2 editors read {text} as a number, PyYAML as text: quote it ('{text}')",
        )
        for (container_id, part), text in found.items()
        if container_id in paths
    ]


def _not_a_config(data: Any) -> tuple[tuple[PathPart, ...], str] | None:
    hint = "a portalsync config is a mapping that starts with 'version: 1'"
    if data is None:
        return (), f"empty file: {NOT_A_CONFIG} ({hint})"
    if not isinstance(data, dict):
        return (), f"{NOT_A_CONFIG}: the top level is {schema.describe(data)} ({hint})"
    if "version" not in data:
        return (), f"{NOT_A_CONFIG}: no 'version: 1' ({hint})"
    version = data["version"]
    if type(version) is not int or version != 1:
        return ("version",), f"unsupported version {version!r}: this portalsync reads version 1"
    return None


def _yaml11_booleans(document: Document) -> list[Problem]:
    """`yes`/`no`/`on`/`off`: true or false to PyYAML, errors to YAML 1.2 editors."""
    found = [
        (container_id, part, text)
        for (container_id, part), text in document.positions.raw.items()
        if text.lower() in YAML11_BOOLEANS
    ]
    if not found:
        return []
    paths = container_paths(document.data)
    problems = []
    for container_id, part, text in found:
        if container_id in paths:
            message = f"'{text}' is a YAML 1.1 boolean that YAML 1.2 editors reject: write "
            message += "true" if text.lower() in ("yes", "on") else "false"
            problems.append(document.problem((*paths[container_id], part), message))
    return problems
