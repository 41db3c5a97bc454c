"""Turning valid documents into the frozen model the diff reads."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import fields
from typing import Any

from portalsync.config.document import Document
from portalsync.config.problems import PathPart
from portalsync.model import (
    Client,
    Contact,
    DesiredPortal,
    ProjectManager,
    Service,
    Settings,
    SetupRule,
    Source,
    Thresholds,
)


def build_portal(documents: list[Document], files: tuple[str, ...], digest: str) -> DesiredPortal:
    """The merged portal: each top-level list concatenated in file order."""
    return DesiredPortal(
        settings=_settings(documents),
        project_managers=tuple(
            _project_manager(data, source)
            for data, source, _ in _section(documents, "project_managers")
        ),
        services=tuple(
            _service(data, source) for data, source, _ in _section(documents, "services")
        ),
        clients=tuple(
            _client(data, source, document)
            for data, source, document in _section(documents, "clients")
        ),
        files=files,
        digest=digest,
    )


def _section(documents: list[Document], key: str) -> Iterator[tuple[Any, Source, Document]]:
    for document in documents:
        for data, source in _with_sources(document, document.data.get(key, [])):
            yield data, source, document


def _with_sources(document: Document, items: list[Any]) -> Iterator[tuple[Any, Source]]:
    """Each item of a loaded list with the Source of its mapping (looked up once per list)."""
    marks = document.positions.items.get(id(items), [])
    file = document.file
    for index, item in enumerate(items):
        if index < len(marks):
            source = _new_source(file, marks[index].line + 1, marks[index].column + 1)
        else:  # data that did not come from YAML (validate_document)
            source = _new_source(file, 1, 1)
        yield item, source


def _source(document: Document, path: tuple[PathPart, ...]) -> Source:
    line, column = document.where(path)
    return Source(document.file, line, column)


def _settings(documents: list[Document]) -> Settings:
    for document in documents:
        if "settings" in document.data:
            data = document.data["settings"]
            return Settings(
                prune=data.get("prune", True),
                ignore_clients=tuple(data.get("ignore_clients", ())),
                thresholds=Thresholds(**data.get("thresholds", {})),
                setup_rule=SetupRule(**data.get("setup_rule", {})),
                source=_source(document, ("settings",)),
            )
    return Settings()


def _project_manager(data: dict[str, Any], source: Source) -> ProjectManager:
    return ProjectManager(data["username"], data["full_name"], data["email"], source)


def _service(data: dict[str, Any], source: Source) -> Service:
    return Service(
        name=data["name"],
        template=data["template"],
        workflow=data["workflow"],
        description=data.get("description", ""),
        all_clients=data.get("all_clients", False),
        previous_names=tuple(data.get("previous_names", ())),
        source=source,
    )


def _client(data: dict[str, Any], source: Source, document: Document) -> Client:
    client: Client = _NEW(Client)
    _SET_CLIENT_NAME(client, data["name"])
    _SET_CLIENT_DESCRIPTION(client, data.get("description", ""))
    _SET_CLIENT_PROJECT_MANAGERS(client, tuple(data.get("project_managers", ())))
    _SET_CLIENT_SERVICES(client, tuple(data.get("services", ())))
    _SET_CLIENT_CONTACTS(
        client,
        tuple(
            _contact(contact, contact_source)
            for contact, contact_source in _with_sources(document, data.get("contacts", []))
        ),
    )
    _SET_CLIENT_PREVIOUS_NAMES(client, tuple(data.get("previous_names", ())))
    _SET_CLIENT_SOURCE(client, source)
    return client


def _contact(data: dict[str, Any], source: Source) -> Contact:
    contact: Contact = _NEW(Contact)
    _SET_CONTACT_EMAIL(contact, data["email"])
    _SET_CONTACT_FULL_NAME(contact, data["full_name"])
    _SET_CONTACT_ROLE(contact, data["role"])
    _SET_CONTACT_SERVICES(contact, tuple(data.get("services", ())))
    _SET_CONTACT_PREVIOUS_EMAILS(contact, tuple(data.get("previous_emails", ())))
    _SET_CONTACT_SOURCE(contact, source)
    return contact


def _new_source(file: str, line: int, column: int) -> Source:
    source: Source = _NEW(Source)
    _SET_SOURCE_FILE(source, file)
    _SET_SOURCE_LINE(source, line)
    _SET_SOURCE_COLUMN(source, column)
    return source


# Clients, contacts and their sources are built once per item of a big portal; the frozen
# dataclasses' __init__ (keyword arguments, object.__setattr__ per field) was most of the build
# time. These three are filled through their slot descriptors instead: the same objects (equal,
# same repr and hash), built about twice as fast. _slot_setters refuses, at import, a list of
# fields that is not the dataclass's own, so a field added to the model cannot be left unset.
_NEW = object.__new__


def _slot_setters(cls: type, names: tuple[str, ...]) -> tuple[Callable[[Any, Any], None], ...]:
    declared = tuple(field.name for field in fields(cls))
    if declared != names:
        raise RuntimeError(f"build.py sets {names} on {cls.__name__}, which has {declared}")
    return tuple(getattr(cls, name).__set__ for name in names)


_SET_SOURCE_FILE, _SET_SOURCE_LINE, _SET_SOURCE_COLUMN = _slot_setters(
    Source, ("file", "line", "column")
)
(
    _SET_CONTACT_EMAIL,
    _SET_CONTACT_FULL_NAME,
    _SET_CONTACT_ROLE,
    _SET_CONTACT_SERVICES,
    _SET_CONTACT_PREVIOUS_EMAILS,
    _SET_CONTACT_SOURCE,
) = _slot_setters(Contact, ("email", "full_name", "role", "services", "previous_emails", "source"))
(
    _SET_CLIENT_NAME,
    _SET_CLIENT_DESCRIPTION,
    _SET_CLIENT_PROJECT_MANAGERS,
    _SET_CLIENT_SERVICES,
    _SET_CLIENT_CONTACTS,
    _SET_CLIENT_PREVIOUS_NAMES,
    _SET_CLIENT_SOURCE,
) = _slot_setters(
    Client,
    (
        "name",
        "description",
        "project_managers",
        "services",
        "contacts",
        "previous_names",
        "source",
    ),
)
