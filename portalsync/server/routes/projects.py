"""Work requests and the projects they create. portalsync never writes these; tests do."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import datetime, timezone
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from portalsync.server.auth import CallerDep, database
from portalsync.server.errors import ApiError, not_found
from portalsync.server.models import Page, Project, WorkRequest
from portalsync.server.names import name_key
from portalsync.server.pagination import PageDep, page_response, trim
from portalsync.server.routes import errors
from portalsync.server.writes import Creating, Outcome

router = APIRouter(tags=["projects"])
_ClientFilter = Annotated[str | None, Query(max_length=64, description="Only this client's.")]
_SELECT = (
    "SELECT p.id, p.guid, p.name, p.created_at, c.guid AS client_guid, c.name AS client_name, "
    "s.guid AS service_guid FROM projects p JOIN clients c ON c.id = p.client_id "
    "JOIN services s ON s.id = p.service_id "
)


def _project_json(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "ProjectGuid": row["guid"],
        "Name": row["name"],
        "ClientGuid": row["client_guid"],
        "ClientName": row["client_name"],
        "ServiceGuid": row["service_guid"],
        "CreatedAt": row["created_at"],
    }


@router.get("/projects", response_model=Page[Project], responses=errors(400, 401))
async def list_projects(
    request: Request,
    page: PageDep,
    _who: CallerDep,
    client: _ClientFilter = None,
) -> Response:
    where = "p.id > ?"
    params: list[object] = [page.after_id]
    if client is not None:
        where += " AND c.guid = ?"
        params.append(client.lower())
    with database(request).read() as db:
        rows = db.execute(
            _SELECT + f"WHERE {where} ORDER BY p.id LIMIT ?", (*params, page.fetch)
        ).fetchall()
    kept, cursor = trim(rows, page)
    return page_response([_project_json(row) for row in kept], cursor)


@router.post(
    "/customerportal/clients/{client_guid}/requests",
    status_code=201,
    response_model=Project,
    responses=errors(400, 401, 403, 404, 409, 422),
    tags=["projects"],
)
async def submit_request(client_guid: str, body: WorkRequest, write: Creating) -> Response:
    """A contact submits work: a project is created, unless the client or service forbids it."""

    def submit(db: sqlite3.Connection) -> Outcome:
        client = db.execute(
            "SELECT id, deleted FROM clients WHERE guid = ?", (client_guid.lower(),)
        ).fetchone()
        if client is None:
            raise not_found("client")
        if client["deleted"]:
            raise ApiError(409, "ClientDeleted", "the client was deleted: it cannot submit work")
        contact = _ordering_contact(db, client["id"], body.ContactEmail)
        service_id = _allowed_service(db, client["id"], contact, body.ServiceGuid)
        guid = str(uuid.uuid4())
        created = datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
        db.execute(
            "INSERT INTO projects (guid, name, client_id, service_id, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (guid, body.Name, client["id"], service_id, created),
        )
        # Submitting work shows the contact has logged in: the portal counts them as active.
        db.execute(
            "UPDATE contacts SET status = 'Active' WHERE id = ? AND status = 'Pending'", (contact,)
        )
        row = db.execute(_SELECT + "WHERE p.guid = ?", (guid,)).fetchone()
        return Outcome(201, _project_json(row))

    return write.run(body, submit)


def _ordering_contact(db: sqlite3.Connection, client_id: int, email: str) -> int:
    row: sqlite3.Row | None = db.execute(
        "SELECT id FROM contacts WHERE client_id = ? AND email_key = ? AND status != 'Deleted'",
        (client_id, name_key(email)),
    ).fetchone()
    if row is None:
        raise not_found("contact of this client with that email")
    return int(row["id"])


def _allowed_service(db: sqlite3.Connection, client_id: int, contact_id: int, guid: str) -> int:
    service = db.execute(
        "SELECT id, all_clients FROM services WHERE guid = ? AND deleted = 0", (guid.lower(),)
    ).fetchone()
    if service is None:
        raise not_found("service")
    offered = (
        service["all_clients"]
        or db.execute(
            "SELECT 1 FROM client_services WHERE client_id = ? AND service_id = ?",
            (client_id, service["id"]),
        ).fetchone()
    )
    granted = db.execute(
        "SELECT 1 FROM contact_services WHERE contact_id = ? AND service_id = ?",
        (contact_id, service["id"]),
    ).fetchone()
    if not (offered and granted):
        raise ApiError(403, "ServiceNotAllowed", "this contact may not order that service")
    return int(service["id"])
