"""One router per resource; `ERRORS` documents the error answers each endpoint can give."""

from __future__ import annotations

from typing import Any

from portalsync.server.models import ErrorBody

_WHY = {
    400: "Bad request: the Message names the field",
    401: "No or unknown token",
    403: "Not allowed for this user",
    404: "Not found",
    409: "Conflict",
    412: "If-Match names another Version",
    422: "Idempotency-Key reused with another body",
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` entries for the given error statuses, all with the `{Code, Message}` body."""
    return {status: {"model": ErrorBody, "description": _WHY[status]} for status in statuses}
