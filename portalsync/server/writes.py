"""One path for every write: admin check, If-Match, Idempotency-Key replay, one transaction.

The stored answer of an Idempotency-Key is written in the same transaction as the change, so a
fault injected after the commit still replays correctly: either both exist or neither does.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from pydantic import BaseModel
from starlette.responses import Response

from portalsync.server.auth import AdminDep, Caller, database
from portalsync.server.database import Database
from portalsync.server.errors import ApiError
from portalsync.server.pagination import json_response

KEY_LIFETIME_SECONDS = 48 * 3600  # the contract promises at least 24 hours


@dataclass(frozen=True)
class Outcome:
    """The answer of a committed write, as stored for replay."""

    status: int
    body: dict[str, Any] | None = None
    version: int | None = None

    def response(self) -> Response:
        if self.body is None:
            return Response(status_code=self.status)
        return json_response(self.body, self.status, self.version)


@dataclass(frozen=True)
class Write:
    """Everything a write endpoint needs besides its body."""

    database: Database
    caller: Caller
    method: str
    path: str
    idempotency_key: str | None
    if_match: str | None

    def check_version(self, current: int) -> None:
        """412 when `If-Match` names another version; no `If-Match` means unconditional."""
        if self.if_match is not None and not _matches(self.if_match, current):
            raise ApiError(
                412,
                "VersionMismatch",
                f"the current Version is {current}, If-Match asked for {self.if_match.strip()}",
            )

    def run(
        self, body: BaseModel | None, operation: Callable[[sqlite3.Connection], Outcome]
    ) -> Response:
        """Replay a known key, or run the operation and remember its answer, atomically."""
        with self.database.write() as db:
            if self.idempotency_key is None:
                return operation(db).response()
            scope, body_hash = self._scope(), _body_hash(body)
            stored = _recall(db, scope, body_hash)
            if stored is not None:
                return stored.response()
            outcome = operation(db)
            _remember(db, scope, body_hash, outcome)
        return outcome.response()

    def _scope(self) -> str:
        parts = (self.caller.token_hash, self.method, self.path, self.idempotency_key or "")
        return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _matches(if_match: str, current: int) -> bool:
    for part in if_match.split(","):
        tag = part.strip()
        tag = tag.removeprefix("W/").strip('"')
        if tag in ("*", str(current)):
            return True
    return False


def _body_hash(body: BaseModel | None) -> str:
    canonical = "" if body is None else json.dumps(body.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _recall(db: sqlite3.Connection, scope: str, body_hash: str) -> Outcome | None:
    row = db.execute(
        "SELECT body_hash, answer FROM idempotency_keys WHERE scope = ?", (scope,)
    ).fetchone()
    if row is None:
        return None
    if row["body_hash"] != body_hash:
        raise ApiError(
            422, "IdempotencyKeyReused", "this Idempotency-Key was used with another body"
        )
    return Outcome(**json.loads(row["answer"]))


def _remember(db: sqlite3.Connection, scope: str, body_hash: str, outcome: Outcome) -> None:
    now = time.time()
    db.execute("DELETE FROM idempotency_keys WHERE created_at < ?", (now - KEY_LIFETIME_SECONDS,))
    db.execute(
        "INSERT INTO idempotency_keys (scope, body_hash, status, answer, created_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (scope, body_hash, outcome.status, json.dumps(asdict(outcome)), now),
    )


def _key(value: str | None) -> str | None:
    if value is not None and not (0 < len(value) <= 255 and value.isprintable()):
        raise ApiError(400, "BadRequest", "Idempotency-Key: 1 to 255 printable characters")
    return value


_KeyHeader = Annotated[
    str | None,
    Header(alias="Idempotency-Key", description="Replays the first answer; changes once."),
]
_IfMatchHeader = Annotated[
    str | None, Header(alias="If-Match", description='`"<Version>"` or `*`; 412 otherwise.')
]


async def creating(request: Request, who: AdminDep, idempotency_key: _KeyHeader = None) -> Write:
    """Dependency of POST endpoints."""
    return Write(
        database(request), who, request.method, request.url.path, _key(idempotency_key), None
    )


async def changing(
    request: Request,
    who: AdminDep,
    idempotency_key: _KeyHeader = None,
    if_match: _IfMatchHeader = None,
) -> Write:
    """Dependency of PUT and DELETE endpoints (Idempotency-Key here is an extension)."""
    return Write(
        database(request), who, request.method, request.url.path, _key(idempotency_key), if_match
    )


Creating = Annotated[Write, Depends(creating)]
Changing = Annotated[Write, Depends(changing)]
