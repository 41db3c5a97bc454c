"""/customerportal/clients and their assignment sub-resources.

A client's Version covers its name, description and both assignment lists. Deleting a client
is a soft delete: it leaves listings, frees its name, deletes its contacts, keeps its projects.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from portalsync.server.auth import CallerDep, database
from portalsync.server.bootstrap import PROJECT_MANAGERS_GUID
from portalsync.server.errors import ApiError, bad_request, not_found
from portalsync.server.models import (
    Client,
    ClientCreate,
    ClientUpdate,
    Page,
    ServiceGuids,
    UserGuids,
)
from portalsync.server.names import name_key, search_key
from portalsync.server.pagination import (
    PageDep,
    json_response,
    page_response,
    trim,
)
from portalsync.server.routes import errors
from portalsync.server.routes.groups import user_ids
from portalsync.server.routes.services import in_use, service_ids
from portalsync.server.writes import Changing, Creating, Outcome

router = APIRouter(prefix="/customerportal", tags=["clients"])
_NameSearch = Annotated[
    str | None, Query(max_length=400, description="Part of the name, any case.")
]
_COLUMNS = "id, guid, name, description, version"


def client_row(db: sqlite3.Connection, guid: str) -> sqlite3.Row:
    """A live client, or 404 (a deleted client is gone for every read and write)."""
    row: sqlite3.Row | None = db.execute(
        f"SELECT {_COLUMNS} FROM clients WHERE guid = ? AND deleted = 0",  # noqa: S608
        (guid.lower(),),
    ).fetchone()
    if row is None:
        raise not_found("client")
    return row


def _assigned(db: sqlite3.Connection, sql: str, client_ids: list[int]) -> dict[int, list[str]]:
    """Assignment GUIDs of many clients in one set-based query, sorted per client."""
    result: dict[int, list[str]] = defaultdict(list)
    for row in db.execute(sql, (json.dumps(client_ids),)):
        result[row[0]].append(row[1])
    return result


_PMS_SQL = (
    "SELECT a.client_id, u.guid FROM client_pms a JOIN users u ON u.id = a.user_id "
    "WHERE a.client_id IN (SELECT value FROM json_each(?)) ORDER BY a.client_id, u.guid"
)
_SERVICES_SQL = (
    "SELECT a.client_id, s.guid FROM client_services a JOIN services s ON s.id = a.service_id "
    "WHERE a.client_id IN (SELECT value FROM json_each(?)) ORDER BY a.client_id, s.guid"
)


def clients_json(db: sqlite3.Connection, rows: Sequence[sqlite3.Row]) -> list[dict[str, Any]]:
    ids = [int(row["id"]) for row in rows]
    pms, services = _assigned(db, _PMS_SQL, ids), _assigned(db, _SERVICES_SQL, ids)
    return [
        {
            "ClientGuid": row["guid"],
            "Name": row["name"],
            "Description": row["description"],
            "ProjectManagers": pms.get(row["id"], []),
            "Services": services.get(row["id"], []),
            "Version": row["version"],
        }
        for row in rows
    ]


def _one(db: sqlite3.Connection, guid: str) -> tuple[dict[str, Any], int]:
    row = client_row(db, guid)
    return clients_json(db, [row])[0], int(row["version"])


def _check_name_free(db: sqlite3.Connection, name: str, own_id: int = 0) -> None:
    clash = db.execute(
        "SELECT 1 FROM clients WHERE deleted = 0 AND name_key = ? AND id != ?",
        (name_key(name), own_id),
    ).fetchone()
    if clash:
        raise ApiError(409, "NameConflict", f"a client named {name!r} exists")


@router.get("/clients", response_model=Page[Client], responses=errors(400, 401))
async def list_clients(
    request: Request,
    page: PageDep,
    _who: CallerDep,
    q: _NameSearch = None,
) -> Response:
    where = "deleted = 0 AND id > ?"
    params: list[object] = [page.after_id]
    if q:
        where += " AND instr(name_key, ?) > 0"
        params.append(search_key(q))
    with database(request).read() as db:
        rows = db.execute(
            f"SELECT {_COLUMNS} FROM clients WHERE {where} ORDER BY id LIMIT ?",  # noqa: S608 (constant SQL fragments; values are parameters)
            (*params, page.fetch),
        ).fetchall()
        kept, cursor = trim(rows, page)
        items = clients_json(db, kept)
    return page_response(items, cursor)


@router.post(
    "/clients", status_code=201, response_model=Client, responses=errors(400, 401, 403, 409, 422)
)
async def create_client(body: ClientCreate, write: Creating) -> Response:
    def create(db: sqlite3.Connection) -> Outcome:
        _check_name_free(db, body.Name)
        guid = str(uuid.uuid4())
        db.execute(
            "INSERT INTO clients (guid, name, name_key, description) VALUES (?, ?, ?, ?)",
            (guid, body.Name, name_key(body.Name), body.Description),
        )
        return Outcome(201, *_one(db, guid))

    return write.run(body, create)


@router.get("/clients/{client_guid}", response_model=Client, responses=errors(401, 404))
async def get_client(client_guid: str, request: Request, _who: CallerDep) -> Response:
    with database(request).read() as db:
        body, version = _one(db, client_guid)
    return json_response(body, version=version)


@router.put(
    "/clients/{client_guid}",
    response_model=Client,
    responses=errors(400, 401, 403, 404, 409, 412, 422),
)
async def update_client(client_guid: str, body: ClientUpdate, write: Changing) -> Response:
    def update(db: sqlite3.Connection) -> Outcome:
        row = client_row(db, client_guid)
        write.check_version(row["version"])
        name = row["name"] if body.Name is None else body.Name
        _check_name_free(db, name, row["id"])
        description = row["description"] if body.Description is None else body.Description
        db.execute(
            "UPDATE clients SET name = ?, name_key = ?, description = ?, version = version + 1 "
            "WHERE id = ?",
            (name, name_key(name), description, row["id"]),
        )
        return Outcome(200, *_one(db, client_guid))

    return write.run(body, update)


@router.delete("/clients/{client_guid}", status_code=204, responses=errors(401, 403, 404, 412, 422))
async def delete_client(client_guid: str, write: Changing) -> Response:
    """Soft delete: gone from reads, its contacts deleted (emails freed), projects kept."""

    def delete(db: sqlite3.Connection) -> Outcome:
        row = client_row(db, client_guid)
        write.check_version(row["version"])
        db.execute(
            "UPDATE contacts SET status = 'Deleted', version = version + 1 "
            "WHERE client_id = ? AND status != 'Deleted'",
            (row["id"],),
        )
        db.execute(
            "UPDATE clients SET deleted = 1, version = version + 1 WHERE id = ?", (row["id"],)
        )
        return Outcome(204)

    return write.run(None, delete)


@router.get(
    "/clients/{client_guid}/projectmanagers", response_model=UserGuids, responses=errors(401, 404)
)
async def get_client_pms(client_guid: str, request: Request, _who: CallerDep) -> Response:
    with database(request).read() as db:
        body, version = _one(db, client_guid)
    return json_response({"UserGuids": body["ProjectManagers"]}, version=version)


@router.put(
    "/clients/{client_guid}/projectmanagers",
    response_model=UserGuids,
    responses=errors(400, 401, 403, 404, 412, 422),
)
async def set_client_pms(client_guid: str, body: UserGuids, write: Changing) -> Response:
    """Replace the client's project managers; each must be in ProjectManagers."""

    def replace(db: sqlite3.Connection) -> Outcome:
        row = client_row(db, client_guid)
        write.check_version(row["version"])
        ids = user_ids(db, body.UserGuids)
        _require_pms(db, ids)
        db.execute("DELETE FROM client_pms WHERE client_id = ?", (row["id"],))
        db.executemany(
            "INSERT INTO client_pms (client_id, user_id) VALUES (?, ?)",
            [(row["id"], user_id) for user_id in ids.values()],
        )
        db.execute("UPDATE clients SET version = version + 1 WHERE id = ?", (row["id"],))
        client, version = _one(db, client_guid)
        return Outcome(200, {"UserGuids": client["ProjectManagers"]}, version)

    return write.run(body, replace)


def _require_pms(db: sqlite3.Connection, ids: dict[str, int]) -> None:
    members = {
        int(row[0])
        for row in db.execute(
            "SELECT m.user_id FROM group_members m JOIN groups g ON g.id = m.group_id "
            "WHERE g.guid = ?",
            (PROJECT_MANAGERS_GUID,),
        )
    }
    for guid, user_id in sorted(ids.items()):
        if user_id not in members:
            raise bad_request(f"UserGuids: user {guid} is not in ProjectManagers")


@router.get(
    "/clients/{client_guid}/services", response_model=ServiceGuids, responses=errors(401, 404)
)
async def get_client_services(client_guid: str, request: Request, _who: CallerDep) -> Response:
    with database(request).read() as db:
        body, version = _one(db, client_guid)
    return json_response({"ServiceGuids": body["Services"]}, version=version)


@router.put(
    "/clients/{client_guid}/services",
    response_model=ServiceGuids,
    responses=errors(400, 401, 403, 404, 409, 412, 422),
)
async def set_client_services(client_guid: str, body: ServiceGuids, write: Changing) -> Response:
    """Replace the client's services; refused (409) while its contacts order a removed one."""

    def replace(db: sqlite3.Connection) -> Outcome:
        row = client_row(db, client_guid)
        write.check_version(row["version"])
        ids = service_ids(db, body.ServiceGuids, "ServiceGuids")
        in_use(
            db,
            "ct.client_id = ? AND cs.service_id NOT IN (SELECT value FROM json_each(?)) "
            "AND cs.service_id IN (SELECT id FROM services WHERE all_clients = 0)",
            (row["id"], json.dumps(list(ids.values()))),
        )
        db.execute("DELETE FROM client_services WHERE client_id = ?", (row["id"],))
        db.executemany(
            "INSERT INTO client_services (client_id, service_id) VALUES (?, ?)",
            [(row["id"], service_id) for service_id in ids.values()],
        )
        db.execute("UPDATE clients SET version = version + 1 WHERE id = ?", (row["id"],))
        client, version = _one(db, client_guid)
        return Outcome(200, {"ServiceGuids": client["Services"]}, version)

    return write.run(body, replace)
