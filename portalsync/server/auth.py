"""Who is calling: `Authorization: MQS-API <token>` gives a Caller, else 401; writers are admins."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader

from portalsync.server.bootstrap import ADMINISTRATORS_GUID, token_hash
from portalsync.server.database import Database
from portalsync.server.errors import ApiError

SCHEME = "MQS-API"
_authorization = APIKeyHeader(
    name="Authorization",
    scheme_name="MQS-API",
    description="`MQS-API <token>`: an API token, or the AccessToken of POST /auth/login.",
    auto_error=False,
)

_CALLER_SQL = """
SELECT t.token_hash, u.id, u.guid, u.is_disabled,
       EXISTS (SELECT 1 FROM group_members m JOIN groups g ON g.id = m.group_id
               WHERE g.guid = ? AND m.user_id = u.id) AS is_admin
FROM tokens t JOIN users u ON u.id = t.user_id
WHERE t.token_hash = ?
"""


@dataclass(frozen=True)
class Caller:
    user_id: int
    user_guid: str
    is_admin: bool
    token_hash: str  # scopes idempotency keys; the token itself is never kept


def database(request: Request) -> Database:
    store: Database = request.app.state.database
    return store


async def caller(
    request: Request, authorization: Annotated[str | None, Security(_authorization)]
) -> Caller:
    """The authenticated user, or 401 for a missing, malformed, unknown or disabled token."""
    scheme, _, token = (authorization or "").strip().partition(" ")
    # Authentication schemes are case-insensitive (RFC 9110, section 11.1).
    if scheme.casefold() != SCHEME.casefold() or not token.strip():
        raise ApiError(401, "Unauthorized", f"send 'Authorization: {SCHEME} <token>'")
    digest = token_hash(token.strip())
    row = (
        database(request).connection.execute(_CALLER_SQL, (ADMINISTRATORS_GUID, digest)).fetchone()
    )
    # The lookup is by hash; the final comparison is still constant-time, as the contract asks.
    if row is None or not hmac.compare_digest(row["token_hash"], digest) or row["is_disabled"]:
        raise ApiError(401, "Unauthorized", "unknown or revoked token")
    return Caller(int(row["id"]), row["guid"], bool(row["is_admin"]), digest)


async def administrator(who: Annotated[Caller, Depends(caller)]) -> Caller:
    """Writes to users, groups and the customer portal need a member of Administrators."""
    if not who.is_admin:
        raise ApiError(403, "Forbidden", "this needs a member of Administrators")
    return who


async def authorize_write(request: Request) -> None:
    """401 or 403 for a write whose body FastAPI could not even parse (see errors.install).

    Every endpoint with a body is an administrator's write, except logging in.
    """
    if request.method in ("POST", "PUT", "DELETE") and not request.url.path.endswith("/auth/login"):
        await administrator(await caller(request, request.headers.get("Authorization")))


CallerDep = Annotated[Caller, Depends(caller)]
AdminDep = Annotated[Caller, Depends(administrator)]
