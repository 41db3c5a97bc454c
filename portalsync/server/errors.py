"""Every error answer is `{"Code": ..., "Message": ...}`, whatever raised it."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

logger = logging.getLogger("portalsync.server")

_HTTP_CODES = {
    400: "BadRequest",
    404: "NotFound",
    405: "MethodNotAllowed",
    413: "PayloadTooLarge",
    415: "UnsupportedMediaType",
}
# A body FastAPI could not read at all (not UTF-8, nested too deeply): said like broken JSON.
_UNREADABLE_BODY = "There was an error parsing the body"
INVALID_JSON = "body: invalid JSON"
# Checks who is calling; raises ApiError (401, 403). FastAPI reads and parses the body before it
# runs the endpoint's dependencies, so a body it cannot parse would otherwise win over a missing
# token: the contract says writes without a token are 401, whatever the body.
Authorize = Callable[[Request], Awaitable[None]]


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


def install(app: FastAPI, authorize: Authorize) -> None:
    """Register the handlers that turn every failure into the house error shape."""

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, error: ApiError) -> Response:
        return error_response(error.status, error.code, error.message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> Response:
        problems = error.errors()
        if any(problem.get("type") == "json_invalid" for problem in problems):
            refusal = await _refusal(request, authorize)
            if refusal is not None:
                return refusal
        return error_response(400, "BadRequest", describe_validation(problems))

    @app.exception_handler(HTTPException)
    async def _http(request: Request, error: HTTPException) -> Response:
        if error.status_code == 400 and error.detail == _UNREADABLE_BODY:
            return await _refusal(request, authorize) or error_response(
                400, "BadRequest", INVALID_JSON
            )
        code = _HTTP_CODES.get(error.status_code, "HttpError")
        return error_response(error.status_code, code, str(error.detail), _headers(error))

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, error: Exception) -> Response:
        logger.error("unexpected %s", type(error).__name__, exc_info=error)
        return error_response(500, "InternalError", "unexpected server error")


async def _refusal(request: Request, authorize: Authorize) -> Response | None:
    """The 401 or 403 a request with an unreadable body would have had with a readable one."""
    try:
        await authorize(request)
    except ApiError as error:
        return error_response(error.status, error.code, error.message)
    return None


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
        why = "unknown field"
    elif kind == "read_only_field":
        return f"{error.get('ctx', {}).get('field', field)}: read-only field"
    elif kind == "json_invalid":
        return INVALID_JSON
    else:
        why = str(error.get("msg", "invalid"))
    return f"{field}: {why}"
