"""Terraform-like text: one headline per change, field-level detail, counts and safety last."""

from __future__ import annotations

import click

from portalsync.changes import Change
from portalsync.plan import Plan
from portalsync.render.words import (
    SYMBOLS,
    field_lines,
    left_alone_line,
    safety_lines,
    subject,
    summary_line,
)

COLORS = {"create": "green", "update": "yellow", "rename": "cyan", "delete": "red"}
NO_CHANGES = "No changes."


def render_text(plan: Plan, *, color: bool = False) -> str:
    """`No changes.` alone on an unchanged portal; the plan otherwise."""
    if not plan.changes:
        return NO_CHANGES + "\n"
    lines: list[str] = []
    for change in plan.changes:
        lines.extend(_change_lines(change, color))
    lines += ["", summary_line(plan)]
    lines += [_style(line, "red", color) for line in safety_lines(plan)]
    left = left_alone_line(plan)
    if left:
        lines.append(left)
    return "\n".join(lines) + "\n"


def _change_lines(change: Change, color: bool) -> list[str]:
    headline = f"{SYMBOLS[change.action]} {subject(change)}"
    if change.destructive:
        headline += "  [destructive: needs --allow-delete]"
    if change.source is not None:
        headline += f"  ({change.source})"
    lines = [_style(headline, COLORS[change.action], color, bold=change.destructive)]
    lines += [f"    {name}: {shown}" for name, shown in field_lines(change)]
    if change.note:
        lines.append(f"    note: {change.note}")
    return lines


def _style(text: str, colour: str, color: bool, *, bold: bool = False) -> str:
    return click.style(text, fg=colour, bold=bold) if color else text
