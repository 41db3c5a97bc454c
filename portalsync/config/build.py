"""Turning valid documents into the frozen model the diff reads."""

from __future__ import annotations

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
            _project_manager(data, _source(doc, ("project_managers", index)))
            for doc, index, data in _section(documents, "project_managers")
        ),
        services=tuple(
            _service(data, _source(doc, ("services", index)))
            for doc, index, data in _section(documents, "services")
        ),
        clients=tuple(
            _client(doc, ("clients", index), data)
            for doc, index, data in _section(documents, "clients")
        ),
        files=files,
        digest=digest,
    )


def _section(documents: list[Document], key: str) -> list[tuple[Document, int, Any]]:
    return [
        (document, index, data)
        for document in documents
        for index, data in enumerate(document.data.get(key, ()))
    ]


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


def _client(document: Document, path: tuple[PathPart, ...], data: dict[str, Any]) -> Client:
    return Client(
        name=data["name"],
        description=data.get("description", ""),
        project_managers=tuple(data.get("project_managers", ())),
        services=tuple(data.get("services", ())),
        contacts=tuple(
            _contact(contact, _source(document, (*path, "contacts", index)))
            for index, contact in enumerate(data.get("contacts", ()))
        ),
        previous_names=tuple(data.get("previous_names", ())),
        source=_source(document, path),
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
