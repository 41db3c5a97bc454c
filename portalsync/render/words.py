"""Wording shared by every output: symbols, headlines, values, the summary and safety lines."""

from __future__ import annotations

import json
from typing import Any

from portalsync.changes import Change
from portalsync.plan import Plan
from portalsync.plan.safety import describe_deletes

SYMBOLS = {"create": "+", "update": "~", "rename": ">", "delete": "-"}


def value(data: Any) -> str:
    """A field value as the plan shows it: strings quoted, lists bracketed, booleans lower-case."""
    if isinstance(data, list):
        return "[" + ", ".join(str(item) for item in data) + "]"
    return json.dumps(data, ensure_ascii=False)


def subject(change: Change) -> str:
    """`client "Acme"`, `contact "a@x" of client "Acme"`, `rename service "Old" -> "New"`."""
    name = change.key
    if change.action == "rename" and change.before:
        old = next(iter(change.before.values()))
        name = f"{value(old)} -> {value(change.key)}"
    else:
        name = value(name)
    owner = f" of client {value(change.client)}" if change.kind == "contact" else ""
    return f"{change.kind} {name}{owner}"


def field_lines(change: Change) -> list[tuple[str, str]]:
    """(field, shown value) pairs: after for creates, before for deletes, before -> after else."""
    if change.action == "rename":
        return []
    if change.action == "create":
        return [(k, value(v)) for k, v in (change.after or {}).items()]
    if change.action == "delete":
        return [(k, value(v)) for k, v in (change.before or {}).items()]
    before, after = change.before or {}, change.after or {}
    return [(k, f"{value(before.get(k))} -> {value(after[k])}") for k in after]


def summary_line(plan: Plan) -> str:
    counts = plan.summary()
    return (
        f"Plan: {counts['create']} to add, {counts['update']} to change, "
        f"{counts['rename']} to rename, {counts['delete']} to destroy."
    )


def safety_lines(plan: Plan) -> list[str]:
    """What apply will demand before it acts on this plan."""
    safety = plan.safety()
    lines = []
    if safety.deletes:
        lines.append(f"Apply needs --allow-delete: {describe_deletes(safety.deletes)}.")
    lines.extend(f"Apply needs --force: safety threshold {breach}." for breach in safety.breaches)
    return lines


def left_alone_line(plan: Plan) -> str | None:
    left = plan.left_alone
    parts = []
    if left.ignored_clients:
        parts.append(f"{left.ignored_clients} matching ignore_clients")
    if left.unmanaged_clients or left.unmanaged_services:
        parts.append(
            f"{_count(left.unmanaged_clients, 'unmanaged client')} and "
            f"{_count(left.unmanaged_services, 'unmanaged service')} (prune: false)"
        )
    return f"Left alone: {'; '.join(parts)}." if parts else None


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
