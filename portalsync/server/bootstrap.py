"""First start and every start: schema, built-in groups, the admin user, its token, templates."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import sqlite3
import uuid
from pathlib import Path

from portalsync.server.database import Database
from portalsync.server.names import name_key
from portalsync.server.seed import BUILT_IN_TEMPLATES, Template, load_seed
from portalsync.server.settings import ServerSettings

ADMINISTRATORS_GUID = "00000000-0000-0000-0000-000000000001"
PROJECT_MANAGERS_GUID = "00000000-0000-0000-0000-000000000002"
ADMIN_USER_NAME = "admin"


def token_hash(token: str) -> str:
    """Tokens are stored hashed: a copied database grants nothing."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def prepare(database: Database, settings: ServerSettings) -> Path | None:
    """Bring the database up to date; return the token file the admin token is in, if any."""
    token, token_file = _admin_token(settings)
    with database.write() as db:
        _ensure_groups(db)
        admin_id = _ensure_admin(db)
        db.execute("DELETE FROM tokens WHERE user_id = ? AND kind = 'api'", (admin_id,))
        db.execute(
            "INSERT INTO tokens (token_hash, user_id, kind) VALUES (?, ?, 'api')",
            (token_hash(token), admin_id),
        )
        if settings.seed is not None:
            _upsert_templates(db, load_seed(settings.seed), replace=True)
        elif db.execute("SELECT 1 FROM templates LIMIT 1").fetchone() is None:
            _upsert_templates(db, BUILT_IN_TEMPLATES, replace=False)
    return token_file


def _admin_token(settings: ServerSettings) -> tuple[str, Path | None]:
    if settings.admin_token:
        return settings.admin_token, None
    path = settings.admin_token_file or settings.default_token_file
    if path.exists():
        token = path.read_text(encoding="utf-8").strip()
        if not token:
            raise ValueError(f"the admin token file {path} is empty")
        return token, path
    token = secrets.token_urlsafe(32)
    # Created with mode 0600 from the start, never world-readable even for an instant.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(token + "\n")
    return token, path


def _ensure_groups(db: sqlite3.Connection) -> None:
    for guid, name in (
        (ADMINISTRATORS_GUID, "Administrators"),
        (PROJECT_MANAGERS_GUID, "ProjectManagers"),
    ):
        db.execute("INSERT OR IGNORE INTO groups (guid, name) VALUES (?, ?)", (guid, name))


def _ensure_admin(db: sqlite3.Connection) -> int:
    row = db.execute("SELECT id FROM users WHERE name_key = ?", (ADMIN_USER_NAME,)).fetchone()
    if row is None:
        cursor = db.execute(
            "INSERT INTO users (guid, user_name, name_key, full_name, email) VALUES (?,?,?,?,?)",
            (str(uuid.uuid4()), ADMIN_USER_NAME, ADMIN_USER_NAME, "Administrator", ""),
        )
        admin_id = int(cursor.lastrowid or 0)
    else:
        admin_id = int(row["id"])
    db.execute(
        "INSERT OR IGNORE INTO group_members (group_id, user_id) "
        "SELECT id, ? FROM groups WHERE guid = ?",
        (admin_id, ADMINISTRATORS_GUID),
    )
    return admin_id


def _upsert_templates(
    db: sqlite3.Connection, templates: tuple[Template, ...], *, replace: bool
) -> None:
    """Insert or update by name; with a seed file, drop templates no service uses any more."""
    for template in templates:
        db.execute(
            "INSERT INTO templates (guid, name, name_key, source_language, target_languages) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(name_key) DO UPDATE SET "
            "source_language = excluded.source_language, "
            "target_languages = excluded.target_languages",
            (
                template.guid,
                template.name,
                name_key(template.name),
                template.source_language,
                json.dumps(list(template.target_languages)),
            ),
        )
    if replace:
        keys = json.dumps([name_key(template.name) for template in templates])
        db.execute(
            "DELETE FROM templates WHERE name_key NOT IN (SELECT value FROM json_each(?)) "
            "AND id NOT IN (SELECT template_id FROM services)",
            (keys,),
        )
