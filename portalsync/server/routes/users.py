"""/users: server users (project managers among them). Never deleted, as in memoQ."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
import uuid
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from portalsync.server.auth import CallerDep, database
from portalsync.server.bootstrap import ADMIN_USER_NAME, token_hash
from portalsync.server.errors import ApiError, bad_request, not_found
from portalsync.server.models import Login, LoginResult, Page, User, UserCreate, UserUpdate
from portalsync.server.names import name_key
from portalsync.server.pagination import (
    PageDep,
    json_response,
    page_response,
    trim,
)
from portalsync.server.routes import errors
from portalsync.server.writes import Changing, Creating, Outcome

router = APIRouter(tags=["users"])
_ITERATIONS = 20_000  # a test server: enough to show the idea, cheap enough for big suites
_COLUMNS = "id, guid, user_name, full_name, email, is_disabled, version"


def user_json(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "UserGuid": row["guid"],
        "UserName": row["user_name"],
        "FullName": row["full_name"],
        "EmailAddress": row["email"],
        "IsDisabled": bool(row["is_disabled"]),
        "Version": row["version"],
    }


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, _ITERATIONS)
    return f"pbkdf2${_ITERATIONS}${salt.hex()}${digest.hex()}"


def _password_ok(password: str, stored: str | None) -> bool:
    if not stored:
        return False
    _, iterations, salt, digest = stored.split("$")
    given = hashlib.pbkdf2_hmac(
        "sha256", password.encode("utf-8"), bytes.fromhex(salt), int(iterations)
    )
    return hmac.compare_digest(given.hex(), digest)


def _user_row(db: sqlite3.Connection, guid: str) -> sqlite3.Row:
    sql = f"SELECT {_COLUMNS} FROM users WHERE guid = ?"  # noqa: S608 (constant fragments)
    row: sqlite3.Row | None = db.execute(sql, (guid.lower(),)).fetchone()
    if row is None:
        raise not_found("user")
    return row


@router.get("/users", response_model=Page[User], responses=errors(400, 401))
async def list_users(request: Request, page: PageDep, _who: CallerDep) -> Response:
    with database(request).read() as db:
        rows = db.execute(
            f"SELECT {_COLUMNS} FROM users WHERE id > ? ORDER BY id LIMIT ?",  # noqa: S608 (constant SQL fragments; values are parameters)
            (page.after_id, page.fetch),
        ).fetchall()
    kept, cursor = trim(rows, page)
    return page_response([user_json(row) for row in kept], cursor)


@router.post(
    "/users", status_code=201, response_model=User, responses=errors(400, 401, 403, 409, 422)
)
async def create_user(body: UserCreate, write: Creating) -> Response:
    def create(db: sqlite3.Connection) -> Outcome:
        if db.execute(
            "SELECT 1 FROM users WHERE name_key = ?", (name_key(body.UserName),)
        ).fetchone():
            raise ApiError(409, "NameConflict", f"a user named {body.UserName!r} exists")
        guid = str(uuid.uuid4())
        db.execute(
            "INSERT INTO users (guid, user_name, name_key, full_name, email, is_disabled, "
            "password_hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                guid,
                body.UserName,
                name_key(body.UserName),
                body.FullName,
                body.EmailAddress,
                int(body.IsDisabled),
                hash_password(body.Password) if body.Password else None,
            ),
        )
        return Outcome(201, user_json(_user_row(db, guid)), 1)

    return write.run(body, create)


@router.get("/users/{user_guid}", response_model=User, responses=errors(401, 404))
async def get_user(user_guid: str, request: Request, _who: CallerDep) -> Response:
    row = _user_row(database(request).connection, user_guid)
    return json_response(user_json(row), version=row["version"])


@router.put(
    "/users/{user_guid}", response_model=User, responses=errors(400, 401, 403, 404, 412, 422)
)
async def update_user(user_guid: str, body: UserUpdate, write: Changing) -> Response:
    def update(db: sqlite3.Connection) -> Outcome:
        row = _user_row(db, user_guid)
        write.check_version(row["version"])
        if body.UserName is not None and body.UserName != row["user_name"]:
            raise bad_request("UserName: cannot change")
        if body.IsDisabled and row["user_name"] == ADMIN_USER_NAME:
            raise bad_request("IsDisabled: the built-in admin cannot be disabled")
        db.execute(
            "UPDATE users SET full_name = ?, email = ?, is_disabled = ?, "
            "password_hash = ?, version = version + 1 WHERE id = ?",
            (
                row["full_name"] if body.FullName is None else body.FullName,
                row["email"] if body.EmailAddress is None else body.EmailAddress,
                row["is_disabled"] if body.IsDisabled is None else int(body.IsDisabled),
                _new_password_hash(db, row["id"], body.Password),
                row["id"],
            ),
        )
        if body.IsDisabled or body.Password is not None:
            db.execute("DELETE FROM tokens WHERE user_id = ? AND kind = 'session'", (row["id"],))
        changed = _user_row(db, user_guid)
        return Outcome(200, user_json(changed), changed["version"])

    return write.run(body, update)


def _new_password_hash(db: sqlite3.Connection, user_id: int, password: str | None) -> str | None:
    if password is not None:
        return hash_password(password)
    row = db.execute("SELECT password_hash FROM users WHERE id = ?", (user_id,)).fetchone()
    return None if row is None else row["password_hash"]


@router.post("/auth/login", response_model=LoginResult, responses=errors(400, 401), tags=["auth"])
async def login(body: Login, request: Request) -> Response:
    """A session token for a user with a password; disabled users cannot log in."""
    with database(request).write() as db:
        row = db.execute(
            "SELECT id, guid, user_name, password_hash, is_disabled FROM users WHERE name_key = ?",
            (name_key(body.UserName),),
        ).fetchone()
        if (
            row is None
            or row["is_disabled"]
            or not _password_ok(body.Password, row["password_hash"])
        ):
            raise ApiError(401, "Unauthorized", "wrong user name or password")
        token = secrets.token_urlsafe(32)
        db.execute(
            "INSERT INTO tokens (token_hash, user_id, kind) VALUES (?, ?, 'session')",
            (token_hash(token), row["id"]),
        )
    return json_response({"Name": row["user_name"], "UserGuid": row["guid"], "AccessToken": token})
