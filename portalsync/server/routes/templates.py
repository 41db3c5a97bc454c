"""/projecttemplates: read-only, seeded at server start."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from portalsync.server.auth import CallerDep, database
from portalsync.server.models import Page, ProjectTemplate
from portalsync.server.pagination import PageDep, page_response, trim
from portalsync.server.routes import errors

router = APIRouter(tags=["project templates"])


def _template_json(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "TemplateGuid": row["guid"],
        "Name": row["name"],
        "SourceLanguage": row["source_language"],
        "TargetLanguages": json.loads(row["target_languages"]),
    }


@router.get("/projecttemplates", response_model=Page[ProjectTemplate], responses=errors(400, 401))
async def list_templates(request: Request, page: PageDep, _who: CallerDep) -> Response:
    with database(request).read() as db:
        rows = db.execute(
            "SELECT * FROM templates WHERE id > ? ORDER BY id LIMIT ?",
            (page.after_id, page.fetch),
        ).fetchall()
    kept, cursor = trim(rows, page)
    return page_response([_template_json(row) for row in kept], cursor)
