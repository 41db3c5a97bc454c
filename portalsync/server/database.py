"""The SQLite store: schema, pragmas and the two kinds of transaction.

One connection per server instance, used only from the event loop's thread (every endpoint is
`async def` and SQLite calls take microseconds), so requests are serialised by construction.
Writes still take `BEGIN IMMEDIATE`, so a second process on the same file cannot interleave.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    guid TEXT NOT NULL UNIQUE,
    user_name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    email TEXT NOT NULL,
    is_disabled INTEGER NOT NULL DEFAULT 0,
    password_hash TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS groups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    guid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS group_members (
    group_id INTEGER NOT NULL REFERENCES groups(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (group_id, user_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tokens (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL CHECK (kind IN ('api', 'session'))
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS templates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    guid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    source_language TEXT NOT NULL,
    target_languages TEXT NOT NULL  -- a JSON array
);
CREATE TABLE IF NOT EXISTS services (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    guid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    description TEXT NOT NULL,
    template_id INTEGER NOT NULL REFERENCES templates(id),
    workflow TEXT NOT NULL,
    all_clients INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    deleted INTEGER NOT NULL DEFAULT 0  -- kept so that projects still name their service
);
CREATE UNIQUE INDEX IF NOT EXISTS services_live_name ON services(name_key) WHERE deleted = 0;
CREATE TABLE IF NOT EXISTS clients (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    guid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    description TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    deleted INTEGER NOT NULL DEFAULT 0  -- kept so that its projects keep ClientGuid/ClientName
);
CREATE UNIQUE INDEX IF NOT EXISTS clients_live_name ON clients(name_key) WHERE deleted = 0;
CREATE TABLE IF NOT EXISTS client_pms (
    client_id INTEGER NOT NULL REFERENCES clients(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (client_id, user_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS client_services (
    client_id INTEGER NOT NULL REFERENCES clients(id),
    service_id INTEGER NOT NULL REFERENCES services(id),
    PRIMARY KEY (client_id, service_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS client_services_by_service ON client_services(service_id);
CREATE TABLE IF NOT EXISTS contacts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    guid TEXT NOT NULL UNIQUE,
    client_id INTEGER NOT NULL REFERENCES clients(id),
    full_name TEXT NOT NULL,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL,
    role TEXT NOT NULL,
    status TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX IF NOT EXISTS contacts_live_email ON contacts(email_key)
    WHERE status != 'Deleted';
CREATE INDEX IF NOT EXISTS contacts_by_client ON contacts(client_id, id);
CREATE TABLE IF NOT EXISTS contact_services (
    contact_id INTEGER NOT NULL REFERENCES contacts(id),
    service_id INTEGER NOT NULL REFERENCES services(id),
    PRIMARY KEY (contact_id, service_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS contact_services_by_service ON contact_services(service_id);
CREATE TABLE IF NOT EXISTS projects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    guid TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    client_id INTEGER NOT NULL REFERENCES clients(id),
    service_id INTEGER NOT NULL REFERENCES services(id),
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS projects_by_client ON projects(client_id, id);
CREATE TABLE IF NOT EXISTS idempotency_keys (
    scope TEXT PRIMARY KEY,  -- sha256 of token, method, path and key
    body_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    answer TEXT NOT NULL,  -- the stored Outcome as JSON
    created_at REAL NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idempotency_keys_by_age ON idempotency_keys(created_at);
"""


class Database:
    """One SQLite connection with read and write transactions."""

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(
            path, isolation_level=None, check_same_thread=False, timeout=10.0
        )
        self.connection.row_factory = sqlite3.Row
        for pragma in (
            "journal_mode = WAL",
            "synchronous = NORMAL",  # durable at checkpoints; a crash loses no committed WAL
            "foreign_keys = ON",
            "busy_timeout = 10000",
        ):
            self.connection.execute(f"PRAGMA {pragma}")
        self.connection.executescript(SCHEMA)

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A snapshot: every query of one listing page sees the same state."""
        with self._transaction("BEGIN") as connection:
            yield connection

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """All or nothing: any exception rolls the whole request back."""
        with self._transaction("BEGIN IMMEDIATE") as connection:
            yield connection

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[sqlite3.Connection]:
        self.connection.execute(begin)
        try:
            yield self.connection
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")

    def close(self) -> None:
        self.connection.close()
