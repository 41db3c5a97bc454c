"""The desired state: what the YAML declares, as frozen dataclasses that know where they stand.

The config layer builds these; the diff reads them. Field names are the YAML keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, get_args

from portalsync.names import name_key

Workflow = Literal["quote", "manual_project", "automatic_project"]
Role = Literal["requester", "observer", "manager"]
Severity = Literal["error", "warning"]

WORKFLOWS: tuple[Workflow, ...] = get_args(Workflow)
ROLES: tuple[Role, ...] = get_args(Role)


@dataclass(frozen=True, slots=True)
class Source:
    """Where a declaration stands: 1-based line and column in a config file."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True, slots=True)
class ProjectManager:
    username: str
    full_name: str
    email: str
    source: Source | None = field(default=None, compare=False)

    @property
    def key(self) -> str:
        return name_key(self.username)


@dataclass(frozen=True, slots=True)
class Service:
    name: str
    template: str
    workflow: Workflow
    description: str = ""
    all_clients: bool = False
    previous_names: tuple[str, ...] = ()
    source: Source | None = field(default=None, compare=False)

    @property
    def key(self) -> str:
        return name_key(self.name)


@dataclass(frozen=True, slots=True)
class Contact:
    email: str
    full_name: str
    role: Role
    services: tuple[str, ...] = ()
    previous_emails: tuple[str, ...] = ()
    source: Source | None = field(default=None, compare=False)

    @property
    def key(self) -> str:
        return name_key(self.email)


@dataclass(frozen=True, slots=True)
class Client:
    name: str
    description: str = ""
    project_managers: tuple[str, ...] = ()  # usernames
    services: tuple[str, ...] = ()  # service names
    contacts: tuple[Contact, ...] = ()
    previous_names: tuple[str, ...] = ()
    source: Source | None = field(default=None, compare=False)

    @property
    def key(self) -> str:
        return name_key(self.name)


@dataclass(frozen=True, slots=True)
class Thresholds:
    """octoDNS-style safety limits (engine.md)."""

    max_delete_percent: float = 10
    max_update_percent: float = 30
    min_existing: int = 10


@dataclass(frozen=True, slots=True)
class SetupRule:
    """memoQ's rule that every client has a PM, a contact and a service; each part may be relaxed
    to a warning for portals being migrated (YAML: settings.setup_rule.<part>: error|warning)."""

    project_manager: Severity = "error"
    contact: Severity = "error"
    service: Severity = "error"


@dataclass(frozen=True, slots=True)
class Settings:
    prune: bool = True
    ignore_clients: tuple[str, ...] = ()  # case-insensitive glob patterns
    thresholds: Thresholds = Thresholds()
    setup_rule: SetupRule = SetupRule()
    source: Source | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class DesiredPortal:
    """The whole merged configuration."""

    settings: Settings = Settings()
    project_managers: tuple[ProjectManager, ...] = ()
    services: tuple[Service, ...] = ()
    clients: tuple[Client, ...] = ()
    files: tuple[str, ...] = ()  # the files read, in merge order
    digest: str = ""  # sha256 over the files' bytes, recorded in saved plans
