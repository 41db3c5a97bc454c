"""The live state as read from the server, already translated from the API's PascalCase and enum
spellings into the config's vocabulary (workflow `quote`, role `requester`). GUIDs and versions are
kept because apply needs them; the diff never compares them."""

from __future__ import annotations

from dataclasses import dataclass

from portalsync.model import Role, Workflow

PROJECT_MANAGERS_GROUP = "00000000-0000-0000-0000-000000000002"


@dataclass(frozen=True, slots=True)
class LiveUser:
    guid: str
    username: str
    full_name: str
    email: str
    is_disabled: bool
    version: int


@dataclass(frozen=True, slots=True)
class LiveGroup:
    guid: str
    name: str
    version: int
    members: frozenset[str]  # UserGuids


@dataclass(frozen=True, slots=True)
class LiveTemplate:
    guid: str
    name: str
    source_language: str
    target_languages: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LiveService:
    guid: str
    name: str
    description: str
    template_guid: str
    workflow: Workflow
    all_clients: bool
    source_language: str
    target_languages: tuple[str, ...]
    version: int


@dataclass(frozen=True, slots=True)
class LiveClient:
    guid: str
    name: str
    description: str
    project_managers: tuple[str, ...]  # UserGuids
    services: tuple[str, ...]  # ServiceGuids
    version: int


@dataclass(frozen=True, slots=True)
class LiveContact:
    guid: str
    client_guid: str
    email: str
    full_name: str
    role: Role
    services: tuple[str, ...]  # ServiceGuids
    status: str  # pending | active (deleted contacts are not read)
    version: int


@dataclass(frozen=True, slots=True)
class LivePortal:
    users: tuple[LiveUser, ...]
    project_managers_group: LiveGroup
    templates: tuple[LiveTemplate, ...]
    services: tuple[LiveService, ...]
    clients: tuple[LiveClient, ...]
    contacts: tuple[LiveContact, ...]
