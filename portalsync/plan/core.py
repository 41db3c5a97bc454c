"""The plan: ordered changes plus what is needed to judge them (counts, safety, warnings)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from portalsync.changes import ACTIONS, Change
from portalsync.diff import Diff, LeftAlone, diff
from portalsync.live import LivePortal
from portalsync.model import DesiredPortal
from portalsync.plan.safety import Safety, evaluate


@dataclass(frozen=True)
class Plan:
    changes: tuple[Change, ...]  # in display/dependency order
    desired: DesiredPortal
    live: LivePortal
    server: str
    warnings: tuple[str, ...]
    left_alone: LeftAlone = field(default_factory=lambda: LeftAlone(0, 0, 0, 0))

    def summary(self) -> dict[str, int]:
        """Counts per action, every action present (zero included)."""
        counts = Counter(change.action for change in self.changes)
        return {action: counts[action] for action in ACTIONS}

    def safety(self) -> Safety:
        return evaluate(
            self.changes, self.left_alone.managed_clients, self.desired.settings.thresholds
        )

    def raise_if_unsafe(self, *, allow_delete: bool, force: bool) -> None:
        """RefusedError (exit 4) naming each rule broken and its numbers."""
        self.safety().raise_if_unsafe(allow_delete=allow_delete, force=force)

    @property
    def destructive(self) -> tuple[Change, ...]:
        return tuple(change for change in self.changes if change.destructive)


def make_plan(desired: DesiredPortal, live: LivePortal, server: str) -> Plan:
    """Pure: the plan that makes `live` match `desired`.

    Raises ConfigError for what only the live server can reveal: a missing template, or both a
    name and one of its previous names live.
    """
    result: Diff = diff(desired, live)
    return Plan(
        changes=result.changes,
        desired=desired,
        live=live,
        server=server,
        warnings=result.warnings + _left_alone_warnings(result.left_alone),
        left_alone=result.left_alone,
    )


def _left_alone_warnings(left: LeftAlone) -> tuple[str, ...]:
    if not (left.unmanaged_clients or left.unmanaged_services):
        return ()
    return (
        f"{_count(left.unmanaged_clients, 'client')} and "
        f"{_count(left.unmanaged_services, 'service')} on the server are not declared and are "
        "left alone (prune: false)",
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
