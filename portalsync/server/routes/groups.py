"""/groups: the built-in Administrators and ProjectManagers, and their member lists."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from portalsync.server.auth import CallerDep, database
from portalsync.server.bootstrap import ADMIN_USER_NAME, ADMINISTRATORS_GUID
from portalsync.server.errors import bad_request, not_found
from portalsync.server.models import Group, Page, UserGuids
from portalsync.server.pagination import (
    PageDep,
    json_response,
    page_response,
    trim,
)
from portalsync.server.routes import errors
from portalsync.server.writes import Changing, Outcome

router = APIRouter(tags=["groups"])


def _group_row(db: sqlite3.Connection, guid: str) -> sqlite3.Row:
    row: sqlite3.Row | None = db.execute(
        "SELECT id, guid, name, version FROM groups WHERE guid = ?", (guid.lower(),)
    ).fetchone()
    if row is None:
        raise not_found("group")
    return row


def _members(db: sqlite3.Connection, group_id: int) -> list[str]:
    rows = db.execute(
        "SELECT u.guid FROM group_members m JOIN users u ON u.id = m.user_id "
        "WHERE m.group_id = ? ORDER BY u.guid",
        (group_id,),
    )
    return [row["guid"] for row in rows]


def user_ids(db: sqlite3.Connection, guids: list[str]) -> dict[str, int]:
    """Map each given user_guid to its row id; 400 naming the first unknown one."""
    wanted = sorted({guid.lower() for guid in guids})
    rows = db.execute(
        "SELECT guid, id FROM users WHERE guid IN (SELECT value FROM json_each(?))",
        (json.dumps(wanted),),
    ).fetchall()
    found = {row["guid"]: int(row["id"]) for row in rows}
    missing = [guid for guid in wanted if guid not in found]
    if missing:
        raise bad_request(f"UserGuids: no user {missing[0]}")
    return found


def _group_json(row: sqlite3.Row) -> dict[str, Any]:
    return {"GroupGuid": row["guid"], "Name": row["name"], "Version": row["version"]}


@router.get("/groups", response_model=Page[Group], responses=errors(400, 401))
async def list_groups(request: Request, page: PageDep, _who: CallerDep) -> Response:
    with database(request).read() as db:
        rows = db.execute(
            "SELECT id, guid, name, version FROM groups WHERE id > ? ORDER BY id LIMIT ?",
            (page.after_id, page.fetch),
        ).fetchall()
    kept, cursor = trim(rows, page)
    return page_response([_group_json(row) for row in kept], cursor)


@router.get("/groups/{group_guid}/users", response_model=UserGuids, responses=errors(401, 404))
async def get_group_users(group_guid: str, request: Request, _who: CallerDep) -> Response:
    """The member list; its ETag is the group's Version, for a conditional PUT."""
    with database(request).read() as db:
        group = _group_row(db, group_guid)
        members = _members(db, group["id"])
    return json_response({"UserGuids": members}, version=group["version"])


@router.put(
    "/groups/{group_guid}/users",
    response_model=UserGuids,
    responses=errors(400, 401, 403, 404, 412, 422),
)
async def set_group_users(group_guid: str, body: UserGuids, write: Changing) -> Response:
    """Replace the whole member list (memoQ's SetUsersOfGroup): send If-Match."""

    def replace(db: sqlite3.Connection) -> Outcome:
        group = _group_row(db, group_guid)
        write.check_version(group["version"])
        ids = user_ids(db, body.UserGuids)
        if group["guid"] == ADMINISTRATORS_GUID:
            _keep_admin(db, ids)
        db.execute("DELETE FROM group_members WHERE group_id = ?", (group["id"],))
        db.executemany(
            "INSERT INTO group_members (group_id, user_id) VALUES (?, ?)",
            [(group["id"], user_id) for user_id in ids.values()],
        )
        db.execute("UPDATE groups SET version = version + 1 WHERE id = ?", (group["id"],))
        version = group["version"] + 1
        return Outcome(200, {"UserGuids": _members(db, group["id"])}, version)

    return write.run(body, replace)


def _keep_admin(db: sqlite3.Connection, ids: dict[str, int]) -> None:
    # Without the built-in admin in Administrators nobody could ever write again.
    row = db.execute("SELECT id FROM users WHERE name_key = ?", (ADMIN_USER_NAME,)).fetchone()
    if row is not None and int(row["id"]) not in ids.values():
        raise bad_request("UserGuids: the built-in admin must stay in Administrators")
