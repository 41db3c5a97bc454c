"""/customerportal/contacts: a client's people. DELETE is soft and frees the email."""

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
from portalsync.server.errors import ApiError, bad_request, not_found
from portalsync.server.models import Contact, ContactCreate, ContactUpdate, Page
from portalsync.server.names import name_key
from portalsync.server.pagination import (
    PageDep,
    json_response,
    page_response,
    trim,
)
from portalsync.server.routes import errors
from portalsync.server.routes.clients import client_row
from portalsync.server.routes.services import service_ids
from portalsync.server.writes import Changing, Creating, Outcome

router = APIRouter(prefix="/customerportal", tags=["contacts"])
_ClientFilter = Annotated[str | None, Query(max_length=64, description="Only this client's.")]
_IncludeDeleted = Annotated[bool, Query(alias="includeDeleted")]
_SELECT = (
    "SELECT ct.id, ct.guid, ct.client_id, c.guid AS client_guid, ct.full_name, ct.email, "
    "ct.role, ct.status, ct.version FROM contacts ct JOIN clients c ON c.id = ct.client_id "
)
_SERVICES_SQL = (
    "SELECT a.contact_id, s.guid FROM contact_services a JOIN services s ON s.id = a.service_id "
    "WHERE a.contact_id IN (SELECT value FROM json_each(?)) ORDER BY a.contact_id, s.guid"
)


def contacts_json(db: sqlite3.Connection, rows: Sequence[sqlite3.Row]) -> list[dict[str, Any]]:
    services: dict[int, list[str]] = defaultdict(list)
    for contact_id, guid in db.execute(_SERVICES_SQL, (json.dumps([row["id"] for row in rows]),)):
        services[contact_id].append(guid)
    return [
        {
            "ContactGuid": row["guid"],
            "ClientGuid": row["client_guid"],
            "FullName": row["full_name"],
            "EmailAddress": row["email"],
            "Role": row["role"],
            "Services": services.get(row["id"], []),
            "Status": row["status"],
            "Version": row["version"],
        }
        for row in rows
    ]


def _contact_row(db: sqlite3.Connection, guid: str) -> sqlite3.Row:
    row: sqlite3.Row | None = db.execute(_SELECT + "WHERE ct.guid = ?", (guid.lower(),)).fetchone()
    if row is None:
        raise not_found("contact")
    return row


def _live_contact_row(db: sqlite3.Connection, guid: str) -> sqlite3.Row:
    row = _contact_row(db, guid)
    if row["status"] == "Deleted":
        raise not_found("contact (it was deleted)")
    return row


def _one(db: sqlite3.Connection, guid: str) -> tuple[dict[str, Any], int]:
    row = _contact_row(db, guid)
    return contacts_json(db, [row])[0], int(row["version"])


def _check_email_free(db: sqlite3.Connection, email: str, own_id: int = 0) -> None:
    clash = db.execute(
        "SELECT 1 FROM contacts WHERE status != 'Deleted' AND email_key = ? AND id != ?",
        (name_key(email), own_id),
    ).fetchone()
    if clash:
        raise ApiError(409, "NameConflict", f"a contact with email {email!r} exists")


def _allowed_service_ids(db: sqlite3.Connection, client_id: int, guids: list[str]) -> list[int]:
    """The contact's services: each assigned to its client, or offered to all clients."""
    ids = service_ids(db, guids, "Services")
    allowed = {
        int(row[0])
        for row in db.execute(
            "SELECT id FROM services WHERE deleted = 0 AND (all_clients = 1 OR id IN "
            "(SELECT service_id FROM client_services WHERE client_id = ?))",
            (client_id,),
        )
    }
    for guid, service_id in sorted(ids.items()):
        if service_id not in allowed:
            raise bad_request(f"Services: service {guid} is not available to this client")
    return list(ids.values())


def _set_services(db: sqlite3.Connection, contact_id: int, service_ids_: list[int]) -> None:
    db.execute("DELETE FROM contact_services WHERE contact_id = ?", (contact_id,))
    db.executemany(
        "INSERT INTO contact_services (contact_id, service_id) VALUES (?, ?)",
        [(contact_id, service_id) for service_id in service_ids_],
    )


@router.get("/contacts", response_model=Page[Contact], responses=errors(400, 401))
async def list_contacts(
    request: Request,
    page: PageDep,
    _who: CallerDep,
    client: _ClientFilter = None,
    include_deleted: _IncludeDeleted = False,
) -> Response:
    where = ["ct.id > ?"]
    params: list[object] = [page.after_id]
    if client is not None:
        where.append("c.guid = ?")
        params.append(client.lower())
    if not include_deleted:
        where.append("ct.status != 'Deleted'")
    with database(request).read() as db:
        rows = db.execute(
            _SELECT + f"WHERE {' AND '.join(where)} ORDER BY ct.id LIMIT ?", (*params, page.fetch)
        ).fetchall()
        kept, cursor = trim(rows, page)
        items = contacts_json(db, kept)
    return page_response(items, cursor)


@router.post(
    "/clients/{client_guid}/contacts",
    status_code=201,
    response_model=Contact,
    responses=errors(400, 401, 403, 404, 409, 422),
)
async def create_contact(client_guid: str, body: ContactCreate, write: Creating) -> Response:
    def create(db: sqlite3.Connection) -> Outcome:
        client = client_row(db, client_guid)
        _check_email_free(db, body.EmailAddress)
        services = _allowed_service_ids(db, client["id"], body.Services)
        guid = str(uuid.uuid4())
        cursor = db.execute(
            "INSERT INTO contacts (guid, client_id, full_name, email, email_key, role, status) "
            "VALUES (?, ?, ?, ?, ?, ?, 'Pending')",
            (
                guid,
                client["id"],
                body.FullName,
                body.EmailAddress,
                name_key(body.EmailAddress),
                body.Role,
            ),
        )
        _set_services(db, int(cursor.lastrowid or 0), services)
        return Outcome(201, *_one(db, guid))

    return write.run(body, create)


@router.get("/contacts/{contact_guid}", response_model=Contact, responses=errors(401, 404))
async def get_contact(contact_guid: str, request: Request, _who: CallerDep) -> Response:
    """Deleted contacts are still readable, with Status `Deleted`."""
    with database(request).read() as db:
        body, version = _one(db, contact_guid)
    return json_response(body, version=version)


@router.put(
    "/contacts/{contact_guid}",
    response_model=Contact,
    responses=errors(400, 401, 403, 404, 409, 412, 422),
)
async def update_contact(contact_guid: str, body: ContactUpdate, write: Changing) -> Response:
    """A new email sends the contact back to `Pending`: they must activate their access again."""

    def update(db: sqlite3.Connection) -> Outcome:
        row = _live_contact_row(db, contact_guid)
        write.check_version(row["version"])
        email, status = row["email"], row["status"]
        if body.EmailAddress is not None and body.EmailAddress != email:
            _check_email_free(db, body.EmailAddress, row["id"])
            email, status = body.EmailAddress, "Pending"
        if body.Services is not None:
            _set_services(db, row["id"], _allowed_service_ids(db, row["client_id"], body.Services))
        db.execute(
            "UPDATE contacts SET full_name = ?, email = ?, email_key = ?, role = ?, status = ?, "
            "version = version + 1 WHERE id = ?",
            (
                row["full_name"] if body.FullName is None else body.FullName,
                email,
                name_key(email),
                body.Role or row["role"],
                status,
                row["id"],
            ),
        )
        return Outcome(200, *_one(db, contact_guid))

    return write.run(body, update)


@router.delete(
    "/contacts/{contact_guid}", status_code=204, responses=errors(401, 403, 404, 412, 422)
)
async def delete_contact(contact_guid: str, write: Changing) -> Response:
    def delete(db: sqlite3.Connection) -> Outcome:
        row = _live_contact_row(db, contact_guid)
        write.check_version(row["version"])
        db.execute(
            "UPDATE contacts SET status = 'Deleted', version = version + 1 WHERE id = ?",
            (row["id"],),
        )
        return Outcome(204)

    return write.run(None, delete)
