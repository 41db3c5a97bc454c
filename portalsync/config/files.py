"""Which files make up the config, and their digest."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

from portalsync.config.problems import Problem
from portalsync.errors import ConfigError

DEFAULT_FILE = "portalsync.yaml"
DEFAULT_DIRECTORY = "portal"
SUFFIXES = (".yaml", ".yml")


def default_paths() -> list[str]:
    """config.md: `portalsync.yaml` in the current directory, else the directory `portal/`."""
    if os.path.isfile(DEFAULT_FILE):
        return [DEFAULT_FILE]
    if os.path.isdir(DEFAULT_DIRECTORY):
        return [DEFAULT_DIRECTORY]
    raise ConfigError(
        f"error: no configuration: pass a PATH, or create {DEFAULT_FILE} or "
        f"{DEFAULT_DIRECTORY}/ in the current directory"
    )


def expand_paths(paths: Sequence[str]) -> tuple[list[str], list[Problem]]:
    """Files in merge order (directories expanded, repeats dropped), and path problems."""
    files: list[str] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for path in paths:
        if os.path.isdir(path):
            found = _yaml_files_below(path)
            if not found:
                problems.append(_path_problem(path, "no *.yaml or *.yml files in this directory"))
        elif os.path.exists(path):
            found = [path]
        else:
            found = []
            problems.append(_path_problem(path, "no such file or directory"))
        for file in found:
            real = os.path.realpath(file)
            if real not in seen:
                seen.add(real)
                files.append(file)
    return files, problems


def _yaml_files_below(directory: str) -> list[str]:
    found = [
        Path(root, name)
        for root, _dirs, names in os.walk(directory)
        for name in names
        if name.endswith(SUFFIXES)
    ]
    # Sorted by path components, so that a/b.yaml comes before a-c.yaml whatever the separator.
    return [str(path) for path in sorted(found, key=lambda path: path.parts)]


def _path_problem(path: str, message: str) -> Problem:
    return Problem(path, 1, 1, "error", "(root)", message)


def digest(contents: Sequence[tuple[str, bytes]]) -> str:
    """sha256 over every file's path and bytes, in merge order (saved plans record it)."""
    sha = hashlib.sha256()
    for path, content in contents:
        sha.update(f"{path}\0{len(content)}\0".encode())
        sha.update(content)
    return sha.hexdigest()
