"""What became of each change, and the summary apply ends with."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from portalsync.apply.executor import StepResult
from portalsync.apply.graph import Step
from portalsync.changes import Change

ChangeStatus = Literal["applied", "failed", "skipped", "not_run"]
_SIGN = {"create": "+", "update": "~", "rename": ">", "delete": "-"}
_KIND = {
    "project_manager": "project manager",
    "service": "service",
    "client": "client",
    "client_project_managers": "project managers of client",
    "client_services": "services of client",
    "contact": "contact",
}


@dataclass(frozen=True)
class ChangeOutcome:
    change: Change
    status: ChangeStatus
    reason: str = ""


@dataclass(frozen=True)
class ApplyResult:
    outcomes: tuple[ChangeOutcome, ...]
    interrupted: bool = False

    def count(self, status: ChangeStatus) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def unfinished(self) -> list[ChangeOutcome]:
        return [outcome for outcome in self.outcomes if outcome.status != "applied"]

    @property
    def ok(self) -> bool:
        return not self.unfinished and not self.interrupted


def change_outcomes(
    changes: Sequence[Change], steps: Sequence[Step], results: Mapping[str, StepResult]
) -> tuple[ChangeOutcome, ...]:
    """A change is applied when every step serving it is done; else the worst step decides."""
    served: dict[int, list[StepResult]] = {index: [] for index in range(len(changes))}
    for step in steps:
        for index in step.changes:
            served[index].append(results[step.id])
    return tuple(_outcome(changes[i], served[i]) for i in range(len(changes)))


def _outcome(change: Change, results: list[StepResult]) -> ChangeOutcome:
    for status in ("failed", "skipped", "not_run"):
        reasons = [result.reason for result in results if result.status == status]
        if reasons:
            return ChangeOutcome(change, status, "; ".join(dict.fromkeys(reasons)))
    return ChangeOutcome(change, "applied")


def describe(change: Change) -> str:
    """One line naming a change, e.g. `+ contact ann@x.example (client Acme)`."""
    where = f" (client {change.client})" if change.kind == "contact" and change.client else ""
    before = (change.before or {}).get("name") or (change.before or {}).get("email")
    renamed = f" (was {before})" if change.action == "rename" and before else ""
    return f"{_SIGN[change.action]} {_KIND[change.kind]} {change.key}{where}{renamed}"


def summary_lines(result: ApplyResult) -> list[str]:
    counts = ", ".join(
        f"{result.count(status)} {status.replace('_', ' ')}"
        for status in ("applied", "failed", "skipped", "not_run")
        if result.count(status) or status == "applied"
    )
    lines = [f"Apply {'interrupted' if result.interrupted else 'finished'}: {counts}."]
    for outcome in result.unfinished:
        lines.append(
            f"  {outcome.status.replace('_', ' ')}: {describe(outcome.change)}: {outcome.reason}"
        )
    return lines
