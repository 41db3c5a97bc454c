"""/customerportal/services: what clients may order; languages come from the template.

A service that an active contact can still order is never taken away from that contact
silently: deleting it, or narrowing who may order it, is refused with 409 `ServiceInUse`
(the sync engine removes contacts' services first). See docs/server.md.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from portalsync.server.auth import CallerDep, database
from portalsync.server.errors import ApiError, bad_request, not_found
from portalsync.server.models import Page, Service, ServiceCreate, ServiceUpdate
from portalsync.server.names import name_key
from portalsync.server.pagination import (
    PageDep,
    json_response,
    page_response,
    trim,
)
from portalsync.server.routes import errors
from portalsync.server.writes import Changing, Creating, Outcome

router = APIRouter(prefix="/customerportal", tags=["services"])
_SELECT = (
    "SELECT s.id, s.guid, s.name, s.description, s.workflow, s.all_clients, s.version, "
    "t.guid AS template_guid, t.source_language, t.target_languages "
    "FROM services s JOIN templates t ON t.id = s.template_id WHERE s.deleted = 0 "
)


def service_json(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "ServiceGuid": row["guid"],
        "Name": row["name"],
        "Description": row["description"],
        "TemplateGuid": row["template_guid"],
        "Workflow": row["workflow"],
        "AllClients": bool(row["all_clients"]),
        "SourceLanguage": row["source_language"],
        "TargetLanguages": json.loads(row["target_languages"]),
        "Version": row["version"],
    }


def service_row(db: sqlite3.Connection, guid: str) -> sqlite3.Row:
    row: sqlite3.Row | None = db.execute(_SELECT + "AND s.guid = ?", (guid.lower(),)).fetchone()
    if row is None:
        raise not_found("service")
    return row


def service_ids(db: sqlite3.Connection, guids: list[str], field: str) -> dict[str, int]:
    """Map live ServiceGuids to row ids; 400 naming the first unknown one."""
    wanted = sorted({guid.lower() for guid in guids})
    rows = db.execute(
        "SELECT guid, id FROM services WHERE deleted = 0 "
        "AND guid IN (SELECT value FROM json_each(?))",
        (json.dumps(wanted),),
    ).fetchall()
    found = {row["guid"]: int(row["id"]) for row in rows}
    missing = [guid for guid in wanted if guid not in found]
    if missing:
        raise bad_request(f"{field}: no service {missing[0]}")
    return found


def in_use(db: sqlite3.Connection, where: str, params: tuple[Any, ...]) -> None:
    """409 when active contacts matching `where` still have the service in their list."""
    rows = db.execute(
        # `where` is constant SQL from the callers in this package; values are parameters.
        "SELECT DISTINCT ct.email FROM contact_services cs "  # noqa: S608
        "JOIN contacts ct ON ct.id = cs.contact_id "
        f"WHERE ct.status != 'Deleted' AND {where} ORDER BY ct.email LIMIT 3",
        params,
    ).fetchall()
    if rows:
        emails = ", ".join(row["email"] for row in rows)
        raise ApiError(
            409, "ServiceInUse", f"contacts still order this service; remove it from {emails}"
        )


def _template_id(db: sqlite3.Connection, guid: str) -> int:
    row = db.execute("SELECT id FROM templates WHERE guid = ?", (guid.lower(),)).fetchone()
    if row is None:
        raise bad_request(f"TemplateGuid: no project template {guid}")
    return int(row["id"])


def _check_name_free(db: sqlite3.Connection, name: str, own_id: int = 0) -> None:
    clash = db.execute(
        "SELECT 1 FROM services WHERE deleted = 0 AND name_key = ? AND id != ?",
        (name_key(name), own_id),
    ).fetchone()
    if clash:
        raise ApiError(409, "NameConflict", f"a service named {name!r} exists")


@router.get("/services", response_model=Page[Service], responses=errors(400, 401))
async def list_services(request: Request, page: PageDep, _who: CallerDep) -> Response:
    with database(request).read() as db:
        rows = db.execute(
            _SELECT + "AND s.id > ? ORDER BY s.id LIMIT ?", (page.after_id, page.fetch)
        ).fetchall()
    kept, cursor = trim(rows, page)
    return page_response([service_json(row) for row in kept], cursor)


@router.post(
    "/services", status_code=201, response_model=Service, responses=errors(400, 401, 403, 409, 422)
)
async def create_service(body: ServiceCreate, write: Creating) -> Response:
    def create(db: sqlite3.Connection) -> Outcome:
        _check_name_free(db, body.Name)
        guid = str(uuid.uuid4())
        db.execute(
            "INSERT INTO services (guid, name, name_key, description, template_id, workflow, "
            "all_clients) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                guid,
                body.Name,
                name_key(body.Name),
                body.Description,
                _template_id(db, body.TemplateGuid),
                body.Workflow,
                int(body.AllClients),
            ),
        )
        return Outcome(201, service_json(service_row(db, guid)), 1)

    return write.run(body, create)


@router.get("/services/{service_guid}", response_model=Service, responses=errors(401, 404))
async def get_service(service_guid: str, request: Request, _who: CallerDep) -> Response:
    row = service_row(database(request).connection, service_guid)
    return json_response(service_json(row), version=row["version"])


@router.put(
    "/services/{service_guid}",
    response_model=Service,
    responses=errors(400, 401, 403, 404, 409, 412, 422),
)
async def update_service(service_guid: str, body: ServiceUpdate, write: Changing) -> Response:
    def update(db: sqlite3.Connection) -> Outcome:
        row = service_row(db, service_guid)
        write.check_version(row["version"])
        name = row["name"] if body.Name is None else body.Name
        _check_name_free(db, name, row["id"])
        template = body.TemplateGuid or row["template_guid"]
        if body.AllClients is False and row["all_clients"]:
            in_use(
                db,
                "cs.service_id = ? AND NOT EXISTS (SELECT 1 FROM client_services x "
                "WHERE x.client_id = ct.client_id AND x.service_id = cs.service_id)",
                (row["id"],),
            )
        db.execute(
            "UPDATE services SET name = ?, name_key = ?, description = ?, template_id = ?, "
            "workflow = ?, all_clients = ?, version = version + 1 WHERE id = ?",
            (
                name,
                name_key(name),
                row["description"] if body.Description is None else body.Description,
                _template_id(db, template),
                body.Workflow or row["workflow"],
                row["all_clients"] if body.AllClients is None else int(body.AllClients),
                row["id"],
            ),
        )
        changed = service_row(db, service_guid)
        return Outcome(200, service_json(changed), changed["version"])

    return write.run(body, update)


@router.delete(
    "/services/{service_guid}", status_code=204, responses=errors(401, 403, 404, 409, 412, 422)
)
async def delete_service(service_guid: str, write: Changing) -> Response:
    """Projects keep their service_guid; clients lose the assignment (and get a new Version)."""

    def delete(db: sqlite3.Connection) -> Outcome:
        row = service_row(db, service_guid)
        write.check_version(row["version"])
        in_use(db, "cs.service_id = ?", (row["id"],))
        db.execute(
            "UPDATE clients SET version = version + 1 WHERE id IN "
            "(SELECT client_id FROM client_services WHERE service_id = ?)",
            (row["id"],),
        )
        db.execute("DELETE FROM client_services WHERE service_id = ?", (row["id"],))
        db.execute("DELETE FROM contact_services WHERE service_id = ?", (row["id"],))
        db.execute("UPDATE services SET deleted = 1 WHERE id = ?", (row["id"],))
        return Outcome(204)

    return write.run(None, delete)
