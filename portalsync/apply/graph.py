"""Steps: the units apply schedules. A change becomes one or more steps (a client's services
update, say, widens the list before its contacts change and narrows it after); a step may also
serve several changes (one ProjectManagers group update for every new PM)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from portalsync.apply.operations import Operations

# Waves run one after the other; inside a wave, steps run as soon as their needs are met.
BUILD = 0  # PMs, services, clients, assignments (widened), contacts
RETIRE_CONTACTS = 1  # contact deletes, then narrowing a client's services
RETIRE_CLIENTS = 2
RETIRE_SERVICES = 3  # service deletes, and services that stop being offered to all clients

Perform = Callable[["Operations", str], None]


@dataclass
class Step:
    id: str  # unique within a run; also part of its writes' idempotency keys
    label: str  # what a reader sees in progress lines and failures
    changes: tuple[int, ...]  # indexes of the changes this step (partly) carries out
    perform: Perform
    wave: int = BUILD
    needs: set[str] = field(default_factory=set)  # must have succeeded (else: skipped)
    after: set[str] = field(default_factory=set)  # must have finished, however it ended

    def serve(self, index: int) -> None:
        if index not in self.changes:
            self.changes = (*self.changes, index)
