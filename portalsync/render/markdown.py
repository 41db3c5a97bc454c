"""Markdown for a pull-request comment: summary table, safety, destructive changes first, every
new client (a new grant of portal access), then all changes in collapsible blocks per kind.

Capped below 60,000 characters (GitHub refuses comments over 65,536): whatever does not fit is
cut at a line boundary and a closing note says how many entries of which section were left out.
"""

from __future__ import annotations

import re
from collections import defaultdict

from portalsync.changes import ACTIONS, KINDS, Change, Kind
from portalsync.plan import Plan
from portalsync.render.links import SourceLinker
from portalsync.render.words import (
    SYMBOLS,
    field_lines,
    left_alone_line,
    safety_lines,
    subject,
    summary_line,
)

LIMIT = 60_000
_RESERVE = 1_500  # room for the closing note and for closing an open <details>
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")  # what changes meaning inside a line
KIND_TITLES: dict[Kind, str] = {
    "project_manager": "Project managers",
    "service": "Services",
    "client": "Clients",
    "client_project_managers": "Client project manager assignments",
    "client_services": "Client service assignments",
    "contact": "Contacts",
}


def escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


class _Page:
    """Lines added until the budget runs out; then counts what each section had to leave out."""

    def __init__(self, limit: int) -> None:
        self.lines: list[str] = []
        self.size = 0
        self.limit = limit
        self.full = False
        self.cut: dict[str, int] = defaultdict(int)

    def add(self, text: str, section: str = "") -> bool:
        if not self.full and self.size + len(text) + 1 <= self.limit:
            self.lines.append(text)
            self.size += len(text) + 1
            return True
        self.full = True
        if section:
            self.cut[section] += 1
        return False


def render_markdown(plan: Plan, *, link: SourceLinker | None = None) -> str:
    page = _Page(LIMIT - _RESERVE)
    page.add(f"### portalsync plan for `{plan.server}`")
    page.add("")
    if not plan.changes:
        page.add("No changes.")
    else:
        _summary(page, plan)
    for line in _notes(plan):
        page.add(line)
    if plan.changes:
        _destructive(page, plan.destructive)
        _new_clients(page, plan, link)
        _details(page, plan.changes, link)
    if page.cut:
        cut = ", ".join(f"{count} {section}" for section, count in page.cut.items())
        page.lines += [
            "",
            f"**Cut to stay below {LIMIT:,} characters:** {cut} not shown. "
            "Run `portalsync plan` for the whole plan.",
        ]
    return "\n".join(page.lines) + "\n"


def _summary(page: _Page, plan: Plan) -> None:
    counts = plan.summary()
    page.add("| Action | Count |")
    page.add("|---|---:|")
    for action in ACTIONS:
        page.add(f"| `{SYMBOLS[action]}` {action} | {counts[action]} |")
    page.add("")
    page.add(summary_line(plan))


def _notes(plan: Plan) -> list[str]:
    lines = [f"> [!CAUTION]\n> {escape(line)}" for line in safety_lines(plan)]
    lines += [f"> [!WARNING]\n> {escape(w)}" for w in plan.warnings]
    left = left_alone_line(plan)
    if left:
        lines.append(escape(left))
    return [item for line in lines for item in ("", line)]


def _destructive(page: _Page, changes: tuple[Change, ...]) -> None:
    if not changes:
        return
    page.add("")
    page.add(f"#### Destructive changes ({len(changes)}, need `--allow-delete`)")
    page.add("")
    for change in changes:
        note = f": {escape(change.note)}" if change.note else ""
        page.add(f"- `-` {escape(subject(change))}{note}", "destructive changes")


def _new_clients(page: _Page, plan: Plan, link: SourceLinker | None) -> None:
    created = [c for c in plan.changes if c.kind == "client" and c.action == "create"]
    if not created:
        return
    declared = {client.name: client for client in plan.desired.clients}
    page.add("")
    page.add(f"#### New clients (new portal access): {len(created)}")
    page.add("")
    for change in created:
        client = declared.get(change.key)
        detail = ""
        if client is not None:
            pms, services = ", ".join(client.project_managers), ", ".join(client.services)
            detail = (
                f": {len(client.contacts)} contacts; PMs {escape(pms)}; services {escape(services)}"
            )
        page.add(f"- **{escape(change.key)}**{detail}{_where(change, link)}", "new clients")


def _details(page: _Page, changes: tuple[Change, ...], link: SourceLinker | None) -> None:
    by_kind: dict[Kind, list[Change]] = defaultdict(list)
    for change in changes:
        by_kind[change.kind].append(change)
    page.add("")
    page.add("#### All changes")
    for kind in KINDS:
        if by_kind[kind]:
            _block(page, KIND_TITLES[kind], by_kind[kind], link)


def _block(page: _Page, title: str, changes: list[Change], link: SourceLinker | None) -> None:
    section = f"changes in '{title}'"
    if not page.add(f"\n<details><summary>{title} ({len(changes)})</summary>\n", section):
        page.cut[section] += len(changes) - 1
        return
    for change in changes:
        lines = [f"- `{SYMBOLS[change.action]}` {escape(subject(change))}{_where(change, link)}"]
        lines += [f"  - {name}: {escape(shown)}" for name, shown in field_lines(change)]
        if change.note:
            lines.append(f"  - note: {escape(change.note)}")
        page.add("\n".join(lines), section)
    page.lines.append("\n</details>")  # always closed: its room is in the reserve


def _where(change: Change, link: SourceLinker | None) -> str:
    if change.source is None:
        return ""
    url = link(change.source) if link else None
    text = escape(str(change.source))
    return f" ([{text}]({url}))" if url else f" ({text})"
