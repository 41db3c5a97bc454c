"""The FastAPI application: routers under /api/v1, error handlers, knobs, the OpenAPI document."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from portalsync import __version__
from portalsync.server import bootstrap, errors
from portalsync.server.auth import authorize_write
from portalsync.server.bodylimit import BodyLimit
from portalsync.server.database import Database
from portalsync.server.knobs import Knobs, RequestCounter
from portalsync.server.models import ErrorBody, Health
from portalsync.server.routes import clients, contacts, groups, projects, services, templates, users
from portalsync.server.settings import ServerSettings

API_PREFIX = "/api/v1"


class PortalApp(FastAPI):
    """The app plus what its owner needs: the store, the counter, the admin token's file."""

    database: Database
    counter: RequestCounter
    token_file: Path | None


def create_app(settings: ServerSettings) -> PortalApp:
    """Open (or create) the database, bring it up to date, and build the app over it."""
    database = Database(settings.db_path)
    try:
        token_file = bootstrap.prepare(database, settings)
    except BaseException:
        database.close()
        raise

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        database.close()  # after the last request: every transaction is committed or rolled back

    app = PortalApp(
        title="portalsync reference server",
        version=__version__,
        description="A memoQweb-style customer-portal API over SQLite (see docs/server.md).",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.database = database
    app.database, app.counter, app.token_file = database, RequestCounter(), token_file
    errors.install(app, authorize_write)
    app.get(f"{API_PREFIX}/health", response_model=Health, tags=["health"])(_health)
    for module in (users, groups, templates, services, clients, contacts, projects):
        app.include_router(module.router, prefix=API_PREFIX)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    app.add_middleware(BodyLimit)
    app.add_middleware(Knobs, settings=settings, counter=app.counter)  # outermost
    return app


async def _health() -> dict[str, str]:
    """Liveness, without authentication."""
    return {"Status": "ok"}


_COMMON_ERRORS = {
    "400": "Bad request (every write checks its Idempotency-Key header)",
    "413": "Body larger than 16 MiB",
    "429": "Rate limit (--rate-limit); see Retry-After",
    "500": "Injected fault (--fault-rate)",
    "502": "Injected fault (--fault-rate)",
    "503": "Injected fault (--fault-rate)",
}


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, with every error as `{Code, Message}` and the knobs' answers listed."""
    if app.openapi_schema:
        return app.openapi_schema
    FastAPI.openapi(app)
    document = app.openapi_schema or {}
    error_ref = {"$ref": "#/components/schemas/ErrorBody"}
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            answers = operation.setdefault("responses", {})
            if "422" in answers and "HTTPValidationError" in str(answers["422"]):
                del answers["422"]
            knob_codes = (
                _COMMON_ERRORS
                if method in ("post", "put", "delete")
                else {"429": _COMMON_ERRORS["429"]}
            )
            if path.endswith("/health"):
                knob_codes = {}
            for status, why in knob_codes.items():
                answers.setdefault(status, _error_answer(why, error_ref))
    schemas = document.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    schemas.setdefault("ErrorBody", ErrorBody.model_json_schema())
    return document


def _error_answer(why: str, ref: dict[str, str]) -> dict[str, Any]:
    return {"description": why, "content": {"application/json": {"schema": ref}}}
