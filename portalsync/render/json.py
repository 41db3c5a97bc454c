"""`--format json`: the plan document (format_version 1), see docs/plan.md."""

from __future__ import annotations

import json

from portalsync.plan import Plan, plan_document


def render_json(plan: Plan) -> str:
    return json.dumps(plan_document(plan), indent=2, ensure_ascii=False) + "\n"
