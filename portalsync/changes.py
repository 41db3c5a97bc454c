"""Planned changes: small ordered objects that every output format renders and apply executes.

`before` and `after` hold config-shaped plain data (YAML keys, names instead of GUIDs), so a change
reads the same in the text, JSON and Markdown outputs. `guid` and `version` name the live object a
change touches and the version the plan saw (sent as If-Match); apply resolves names of objects
created earlier in the same run to their new GUIDs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args

from portalsync.model import Source

Action = Literal["create", "update", "rename", "delete"]
Kind = Literal[
    "project_manager",
    "service",
    "client",
    "client_project_managers",
    "client_services",
    "contact",
]

# The same values as the Literals above, in their order (the order plans count and sort by).
ACTIONS: tuple[Action, ...] = get_args(Action)
KINDS: tuple[Kind, ...] = get_args(Kind)


@dataclass(frozen=True, slots=True)
class Change:
    action: Action
    kind: Kind
    key: str  # client/service name, username or contact email (the desired one when it exists)
    before: Mapping[str, Any] | None = None
    after: Mapping[str, Any] | None = None
    client: str | None = None  # contacts: the owning client's (desired) name
    destructive: bool = False
    source: Source | None = None  # the declaration that causes it (create, update, rename)
    guid: str | None = None  # the live object touched (update, rename, delete)
    version: int | None = None  # the live Version the plan saw
    note: str | None = None  # e.g. "email change: the contact must activate access again"
