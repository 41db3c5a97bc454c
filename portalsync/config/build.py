"""Turning valid documents into the frozen model the diff reads."""

from __future__ import annotations

from collections.abc import Iterator
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
    for index, item in enumerate(items):
        if index < len(marks):
            source = Source(document.file, marks[index].line + 1, marks[index].column + 1)
        else:  # data that did not come from YAML (validate_document)
            source = Source(document.file, 1, 1)
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
    return Client(
        name=data["name"],
        description=data.get("description", ""),
        project_managers=tuple(data.get("project_managers", ())),
        services=tuple(data.get("services", ())),
        contacts=tuple(
            _contact(contact, contact_source)
            for contact, contact_source in _with_sources(document, data.get("contacts", []))
        ),
        previous_names=tuple(data.get("previous_names", ())),
        source=source,
    )


def _contact(data: dict[str, Any], source: Source) -> Contact:
    return Contact(
        email=data["email"],
        full_name=data["full_name"],
        role=data["role"],
        services=tuple(data.get("services", ())),
        previous_emails=tuple(data.get("previous_emails", ())),
        source=source,
    )
