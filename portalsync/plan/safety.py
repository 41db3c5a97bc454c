"""Safety rules evaluated when planning, so the plan shows them before anyone runs apply.

What counts (decided here, documented in docs/plan.md):
- existing clients: live clients the config owns (ignored and unmanaged ones are not counted);
- deleted clients: client deletes;
- updated clients: existing clients touched by at least one change of kind client (rename,
  update), client_project_managers, client_services or contact; each counts once, however many
  changes touch it. A contact moving between two existing clients touches both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from portalsync.changes import Change
from portalsync.errors import RefusedError
from portalsync.model import Thresholds
from portalsync.names import name_key

_CLIENT_KINDS = frozenset({"client", "client_project_managers", "client_services", "contact"})
_SHOWN_DELETES = 5


@dataclass(frozen=True)
class ThresholdBreach:
    rule: str  # max_delete_percent | max_update_percent
    clients: int  # deleted or updated
    existing: int
    limit: float

    @property
    def percent(self) -> float:
        return 100.0 * self.clients / self.existing

    def __str__(self) -> str:
        verb = "deletes" if self.rule == "max_delete_percent" else "updates"
        return (
            f"{self.rule}: the plan {verb} {self.clients} of {self.existing} clients "
            f"({self.percent:.1f}%), over the limit of {self.limit:g}%"
        )


@dataclass(frozen=True)
class Safety:
    deletes: tuple[Change, ...]  # each needs --allow-delete
    existing_clients: int
    deleted_clients: int
    updated_clients: int
    thresholds: Thresholds
    breaches: tuple[ThresholdBreach, ...]  # each needs --force

    @property
    def thresholds_apply(self) -> bool:
        return self.existing_clients >= self.thresholds.min_existing

    def refusals(self, *, allow_delete: bool, force: bool) -> list[str]:
        """Why apply would refuse this plan with these flags; empty when it would not."""
        reasons = []
        if self.deletes and not allow_delete:
            verb = "needs" if len(self.deletes) == 1 else "need"
            reasons.append(f"{describe_deletes(self.deletes)} {verb} --allow-delete")
        if self.breaches and not force:
            reasons.extend(f"safety threshold {breach} (pass --force)" for breach in self.breaches)
        return reasons

    def raise_if_unsafe(self, *, allow_delete: bool, force: bool) -> None:
        reasons = self.refusals(allow_delete=allow_delete, force=force)
        if reasons:
            raise RefusedError("refused: " + "; ".join(reasons))


def describe_deletes(deletes: Sequence[Change]) -> str:
    """`3 deletes (client 'Old', contact 'a@x' of 'Acme', ...)`."""
    shown = [_deleted(change) for change in deletes[:_SHOWN_DELETES]]
    if len(deletes) > _SHOWN_DELETES:
        shown.append(f"and {len(deletes) - _SHOWN_DELETES} more")
    noun = "delete" if len(deletes) == 1 else "deletes"
    return f"{len(deletes)} {noun} ({', '.join(shown)})"


def _deleted(change: Change) -> str:
    if change.kind == "contact":
        return f"contact '{change.key}' of '{change.client}'"
    return f"{change.kind} '{change.key}'"


def evaluate(changes: Sequence[Change], existing: int, thresholds: Thresholds) -> Safety:
    deletes = tuple(change for change in changes if change.action == "delete")
    deleted = {name_key(c.key) for c in deletes if c.kind == "client"}
    created = {name_key(c.key) for c in changes if c.kind == "client" and c.action == "create"}
    touched: set[str] = set()
    for change in changes:
        if change.kind in _CLIENT_KINDS:
            owner = (change.client or "") if change.kind == "contact" else change.key
            touched.add(name_key(owner))
    updated = touched - deleted - created
    breaches = []
    if existing >= thresholds.min_existing and existing > 0:
        for rule, count, limit in (
            ("max_delete_percent", len(deleted), thresholds.max_delete_percent),
            ("max_update_percent", len(updated), thresholds.max_update_percent),
        ):
            if 100.0 * count / existing > limit:
                breaches.append(ThresholdBreach(rule, count, existing, limit))
    return Safety(deletes, existing, len(deleted), len(updated), thresholds, tuple(breaches))
