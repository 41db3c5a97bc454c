"""Every error answer is `{"Code": ..., "Message": ...}`, whatever raised it."""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

logger = logging.getLogger("portalsync.server")

_HTTP_CODES = {404: "NotFound", 405: "MethodNotAllowed", 415: "UnsupportedMediaType"}
# Fields the server owns: a write naming one is told so, rather than "unknown field".
READ_ONLY_FIELDS = frozenset(
    {
        "UserGuid",
        "GroupGuid",
        "ServiceGuid",
        "ClientGuid",
        "ContactGuid",
        "ProjectGuid",
        "Version",
        "SourceLanguage",
        "TargetLanguages",
        "ProjectManagers",
        "Status",
        "CreatedAt",
        "ClientName",
    }
)


class ApiError(Exception):
    """A refusal with its HTTP status, a stable `Code` and a human `Message`."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def bad_request(message: str) -> ApiError:
    return ApiError(400, "BadRequest", message)


def not_found(what: str) -> ApiError:
    return ApiError(404, "NotFound", f"{what} not found")


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> Response:
    body = json.dumps({"Code": code, "Message": message})
    return Response(body, status_code=status, media_type="application/json", headers=headers)


def install(app: FastAPI) -> None:
    """Register the handlers that turn every failure into the house error shape."""

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, error: ApiError) -> Response:
        return error_response(error.status, error.code, error.message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, error: RequestValidationError) -> Response:
        return error_response(400, "BadRequest", describe_validation(error.errors()))

    @app.exception_handler(HTTPException)
    async def _http(_request: Request, error: HTTPException) -> Response:
        code = _HTTP_CODES.get(error.status_code, "HttpError")
        return error_response(error.status_code, code, str(error.detail), _headers(error))

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, error: Exception) -> Response:
        logger.error("unexpected %s", type(error).__name__, exc_info=error)
        return error_response(500, "InternalError", "unexpected server error")


def _headers(error: HTTPException) -> dict[str, str] | None:
    return dict(error.headers) if error.headers else None


def describe_validation(errors: Any) -> str:
    """`<field>: <why>` for each problem; never echoes the input (it may hold anything)."""
    return "; ".join(_describe(error) for error in errors[:5])


def _describe(error: dict[str, Any]) -> str:
    location = [
        str(part)
        for part in error.get("loc", ())
        if part not in ("body", "query", "header", "path")
    ]
    field = ".".join(location) or "body"
    kind = error.get("type", "")
    if kind == "extra_forbidden":
        why = (
            "read-only field" if location and location[-1] in READ_ONLY_FIELDS else "unknown field"
        )
    elif kind == "json_invalid":
        field, why = "body", "invalid JSON"
    else:
        why = str(error.get("msg", "invalid"))
    return f"{field}: {why}"
