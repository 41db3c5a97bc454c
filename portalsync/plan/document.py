"""The plan as a JSON document (`format_version` 1), shared by `--format json` and saved plans.

docs/plan.md documents it and portalsync/data/plan.schema.json is its schema; scripts parse it,
so keys are only ever added.
"""

from __future__ import annotations

from typing import Any

from portalsync import __version__
from portalsync.plan.core import Plan
from portalsync.plan.plain import change_plain

FORMAT_VERSION = 1


def plan_document(plan: Plan) -> dict[str, Any]:
    safety = plan.safety()
    left = plan.left_alone
    return {
        "format_version": FORMAT_VERSION,
        "tool_version": __version__,
        "server": plan.server,
        "summary": plan.summary(),
        "safety": {
            "needs_allow_delete": bool(safety.deletes),
            "deletes": len(safety.deletes),
            "needs_force": bool(safety.breaches),
            "existing_clients": safety.existing_clients,
            "deleted_clients": safety.deleted_clients,
            "updated_clients": safety.updated_clients,
            "thresholds_apply": safety.thresholds_apply,
            "breaches": [
                {
                    "rule": b.rule,
                    "clients": b.clients,
                    "existing": b.existing,
                    "percent": round(b.percent, 2),
                    "limit": b.limit,
                    "message": str(b),
                }
                for b in safety.breaches
            ],
        },
        "left_alone": {
            "ignored_clients": left.ignored_clients,
            "unmanaged_clients": left.unmanaged_clients,
            "unmanaged_services": left.unmanaged_services,
        },
        "warnings": list(plan.warnings),
        "changes": [change_plain(change) for change in plan.changes],
    }
