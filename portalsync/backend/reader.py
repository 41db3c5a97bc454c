"""Reading the whole live portal: a handful of paginated listings, fetched concurrently.

The reader keeps only the transport's GET function, never the transport itself: code holding a
PortalReader has no way to send a write, so planning is read-only by construction (engine.md).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar, cast

from portalsync.backend.spelling import ROLE_FROM_API, WORKFLOW_FROM_API
from portalsync.backend.transport import ApiResponse, Transport, paginate
from portalsync.errors import ServerError
from portalsync.live import (
    PROJECT_MANAGERS_GROUP,
    LiveClient,
    LiveContact,
    LiveGroup,
    LivePortal,
    LiveService,
    LiveTemplate,
    LiveUser,
)

Get = Callable[[str, Mapping[str, str] | None], ApiResponse]
T = TypeVar("T")


class PortalReader:
    """Built from a Transport but keeps only its GET."""

    def __init__(self, transport: Transport, *, concurrency: int = 8) -> None:
        self._get: Get = transport.get
        self._concurrency = max(1, concurrency)

    def read_portal(self) -> LivePortal:
        """The whole portal; active contacts only (deleted ones have released their email)."""
        with ThreadPoolExecutor(self._concurrency, thread_name_prefix="read") as pool:
            users = pool.submit(self._listing, "/users", _user)
            group = pool.submit(self._project_managers_group)
            templates = pool.submit(self._listing, "/projecttemplates", _template)
            services = pool.submit(self._listing, "/customerportal/services", _service)
            clients = pool.submit(self._listing, "/customerportal/clients", _client)
            contacts = pool.submit(self._listing, "/customerportal/contacts", _contact)
            return LivePortal(
                users=users.result(),
                project_managers_group=group.result(),
                templates=templates.result(),
                services=services.result(),
                clients=clients.result(),
                contacts=tuple(c for c in contacts.result() if c.status != "deleted"),
            )

    def _listing(self, path: str, build: Callable[[dict[str, Any]], T]) -> tuple[T, ...]:
        try:
            return tuple(build(item) for item in paginate(self._get, path))
        except (KeyError, TypeError, ValueError) as error:
            raise ServerError(f"GET {path}: unexpected item shape ({error!r})") from None

    def _project_managers_group(self) -> LiveGroup:
        path = f"/groups/{PROJECT_MANAGERS_GROUP}/users"
        response = self._get(path, None)
        body = response.body
        if not isinstance(body, dict) or not isinstance(body.get("UserGuids"), list):
            raise ServerError(f"GET {path}: the answer has no UserGuids list")
        version = response.etag_version
        if version is None:
            raise ServerError(f"GET {path}: the answer has no ETag (the group's Version)")
        return LiveGroup(
            PROJECT_MANAGERS_GROUP,
            "ProjectManagers",
            version,
            frozenset(cast(list[str], body["UserGuids"])),
        )


def _user(item: dict[str, Any]) -> LiveUser:
    return LiveUser(
        guid=item["UserGuid"],
        username=item["UserName"],
        full_name=item.get("FullName") or "",
        email=item.get("EmailAddress") or "",
        is_disabled=bool(item.get("IsDisabled")),
        version=int(item["Version"]),
    )


def _template(item: dict[str, Any]) -> LiveTemplate:
    return LiveTemplate(
        guid=item["TemplateGuid"],
        name=item["Name"],
        source_language=item.get("SourceLanguage") or "",
        target_languages=tuple(item.get("TargetLanguages") or ()),
    )


def _service(item: dict[str, Any]) -> LiveService:
    return LiveService(
        guid=item["ServiceGuid"],
        name=item["Name"],
        description=item.get("Description") or "",
        template_guid=item["TemplateGuid"],
        workflow=WORKFLOW_FROM_API[item["Workflow"]],
        all_clients=bool(item.get("AllClients")),
        source_language=item.get("SourceLanguage") or "",
        target_languages=tuple(item.get("TargetLanguages") or ()),
        version=int(item["Version"]),
    )


def _client(item: dict[str, Any]) -> LiveClient:
    return LiveClient(
        guid=item["ClientGuid"],
        name=item["Name"],
        description=item.get("Description") or "",
        project_managers=tuple(item.get("ProjectManagers") or ()),
        services=tuple(item.get("Services") or ()),
        version=int(item["Version"]),
    )


def _contact(item: dict[str, Any]) -> LiveContact:
    return LiveContact(
        guid=item["ContactGuid"],
        client_guid=item["ClientGuid"],
        email=item["EmailAddress"],
        full_name=item.get("FullName") or "",
        role=ROLE_FROM_API[item["Role"]],
        services=tuple(item.get("Services") or ()),
        status=str(item.get("Status") or "").lower(),
        version=int(item["Version"]),
    )
