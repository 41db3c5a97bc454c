"""Saved plans (`plan --out FILE`) and their staleness check (`apply --plan FILE`).

The file is the JSON plan document plus what apply needs without the YAML: the config digest and
files, the desired portal as plain data, the live snapshot the plan read, and the fingerprint of
the objects in scope. It never holds the token: nothing here ever sees it.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from portalsync.diff import LeftAlone
from portalsync.errors import UsageError
from portalsync.live import LivePortal
from portalsync.plan import fingerprint
from portalsync.plan.core import Plan
from portalsync.plan.document import FORMAT_VERSION, plan_document
from portalsync.plan.plain import change_from, desired_from, desired_plain, live_from, live_plain


@dataclass(frozen=True)
class SavedPlan:
    plan: Plan
    server: str
    config_digest: str
    fingerprint: str  # sha256 of the in-scope live objects (plan/fingerprint.py)
    tool_version: str


def saved_document(plan: Plan) -> dict[str, Any]:
    document = plan_document(plan)
    document.update(
        config_digest=plan.desired.digest,
        config_files=list(plan.desired.files),
        fingerprint=fingerprint.digest(fingerprint.records(plan.desired, plan.live)),
        desired=desired_plain(plan.desired),
        live=live_plain(plan.live),
    )
    return document


def save_plan(plan: Plan, path: str) -> None:
    """Write atomically (a half-written plan must never be applied)."""
    text = json.dumps(saved_document(plan), ensure_ascii=False, separators=(",", ":"))
    target = Path(path)
    handle, temporary = tempfile.mkstemp(dir=target.parent or ".", prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text + "\n")
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def load_plan(path: str) -> SavedPlan:
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise UsageError(f"{path}: cannot read the saved plan ({error.strerror})") from None
    except ValueError:
        raise UsageError(f"{path}: not a saved plan (not JSON)") from None
    if not isinstance(document, dict) or "live" not in document or "desired" not in document:
        raise UsageError(f"{path}: not a saved plan (write one with 'portalsync plan --out')")
    if document.get("format_version") != FORMAT_VERSION:
        raise UsageError(
            f"{path}: plan format_version {document.get('format_version')!r} is not supported "
            f"(this portalsync reads {FORMAT_VERSION}); plan again"
        )
    left = document["left_alone"]
    managed = document["safety"]["existing_clients"]
    plan = Plan(
        changes=tuple(change_from(change) for change in document["changes"]),
        desired=desired_from(document["desired"]),
        live=live_from(document["live"]),
        server=document["server"],
        warnings=tuple(document["warnings"]),
        left_alone=LeftAlone(
            left["ignored_clients"], left["unmanaged_clients"], left["unmanaged_services"], managed
        ),
    )
    return SavedPlan(
        plan=plan,
        server=document["server"],
        config_digest=document["config_digest"],
        fingerprint=document["fingerprint"],
        tool_version=document["tool_version"],
    )


def stale_objects(saved: SavedPlan, live_now: LivePortal) -> list[str]:
    """One line per in-scope live object that changed since the plan; empty when it is current."""
    desired = saved.plan.desired
    then = fingerprint.records(desired, saved.plan.live)
    now = fingerprint.records(desired, live_now)
    if fingerprint.digest(now) == saved.fingerprint:
        return []
    return fingerprint.differences(then, now) or ["the live portal changed since the plan"]
