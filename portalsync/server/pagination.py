"""Keyset pagination: `?limit=&after=<cursor>`, ordered by the row id, opaque cursors."""

from __future__ import annotations

import base64
import binascii
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query
from starlette.responses import Response

from portalsync.server.errors import bad_request

_PREFIX = "k1:"
_MAX_ROW_ID = 2**63 - 1  # SQLite's largest rowid: a bigger number cannot be a cursor we gave out


@dataclass(frozen=True)
class PageRequest:
    limit: int
    after_id: int  # rows with a larger id come next; 0 is the start

    @property
    def fetch(self) -> int:
        """One row more than the page, to know whether another page follows."""
        return self.limit + 1


async def page_request(
    limit: Annotated[int, Query(ge=1, le=1000, description="Items per page (max 1000).")] = 100,
    after: Annotated[
        str | None, Query(max_length=100, description="`Next` of the previous page.")
    ] = None,
) -> PageRequest:
    return PageRequest(limit, decode_cursor(after) if after else 0)


PageDep = Annotated[PageRequest, Depends(page_request)]


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        digits = text.removeprefix(_PREFIX)
        if text.startswith(_PREFIX) and digits.isascii() and digits.isdigit() and len(digits) <= 19:
            row_id = int(digits)
            if row_id <= _MAX_ROW_ID:
                return row_id
    except (binascii.Error, ValueError):
        pass
    raise bad_request("after: not a cursor this server gave out")


def trim(
    rows: Sequence[sqlite3.Row], page: PageRequest
) -> tuple[Sequence[sqlite3.Row], str | None]:
    """The rows of this page and the cursor of the next one (None on the last page)."""
    if len(rows) <= page.limit:
        return rows, None
    kept = rows[: page.limit]
    return kept, encode_cursor(int(kept[-1]["id"]))


def json_response(
    body: Any, status: int = 200, version: int | None = None, headers: dict[str, str] | None = None
) -> Response:
    """Plain `json.dumps`: fast for big pages, and ASCII-escaped so any stored text is safe."""
    all_headers = dict(headers or {})
    if version is not None:
        all_headers["ETag"] = f'"{version}"'
    return Response(
        json.dumps(body, separators=(",", ":")),
        status_code=status,
        media_type="application/json",
        headers=all_headers,
    )


def page_response(items: list[dict[str, Any]], next_cursor: str | None) -> Response:
    return json_response({"Items": items, "Next": next_cursor})
