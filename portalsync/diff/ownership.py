"""Who owns what: which live clients are left alone, and which live object each declaration is.

Identity is the normalized name; a declaration whose name is not live but one of whose
`previous_names` is, claims that live object (a rename in place, engine.md).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from portalsync.errors import ConfigError
from portalsync.model import Source
from portalsync.names import name_key


class Declared(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def previous_names(self) -> tuple[str, ...]: ...
    @property
    def source(self) -> Source | None: ...


class Named(Protocol):
    @property
    def name(self) -> str: ...


D = TypeVar("D", bound=Declared)
L = TypeVar("L", bound=Named)


def is_ignored(name: str, patterns: Iterable[str]) -> bool:
    """`ignore_clients` globs match case-insensitively, after the same normalization as names."""
    key = name_key(name)
    return any(fnmatch.fnmatchcase(key, name_key(pattern)) for pattern in patterns)


@dataclass(frozen=True)
class Matching(Generic[D, L]):
    pairs: tuple[tuple[D, L | None], ...]  # every declaration with its live object, if any
    unclaimed: tuple[L, ...]  # live objects no declaration is


def match_by_name(kind: str, declared: Sequence[D], live: Mapping[str, L]) -> Matching[D, L]:
    """Pair declarations with live objects by name, then by previous name."""
    claimed: set[str] = set()
    pairs: list[tuple[D, L | None]] = []
    for item in declared:
        match = _claim(kind, item, live)
        if match is not None:
            claimed.add(name_key(match.name))
        pairs.append((item, match))
    unclaimed = tuple(obj for key, obj in live.items() if key not in claimed)
    return Matching(tuple(pairs), unclaimed)


def _claim(kind: str, item: D, live: Mapping[str, L]) -> L | None:
    current = live.get(item.key)
    previous = [live[name_key(old)] for old in item.previous_names if name_key(old) in live]
    if current is not None and previous:
        raise ConfigError(
            f"{where(item.source)}{kind} '{item.name}': both its name and its previous name "
            f"'{previous[0].name}' are live on the server; rename or delete one of them there first"
        )
    if len(previous) > 1:
        names = "', '".join(obj.name for obj in previous)
        raise ConfigError(
            f"{where(item.source)}{kind} '{item.name}': several previous names are live "
            f"('{names}'); only one can be renamed to it"
        )
    return current if current is not None else (previous[0] if previous else None)


def where(source: Source | None) -> str:
    """The `file:line:column: error: ` prefix of a live-check failure, as validate prints them."""
    if source is None:
        return "error: "
    return f"{source.file}:{source.line}:{source.column}: error: "
