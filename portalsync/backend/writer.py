"""The write side of the HTTP adapter: portal objects in, memoQweb-style requests out.

Callers speak the config's vocabulary (`full_name`, `workflow: quote`) with GUIDs already
resolved; this module alone knows paths, PascalCase names and enum spellings. Every write carries
an `Idempotency-Key` (so the transport may retry it) and every change to an existing object an
`If-Match` version, when the caller has one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from portalsync.backend.errors import ApiError
from portalsync.backend.spelling import (
    ROLE_FROM_API,
    ROLE_TO_API,
    WORKFLOW_FROM_API,
    WORKFLOW_TO_API,
)
from portalsync.backend.transport import ApiResponse, Transport

ObjectKind = Literal["user", "service", "client", "contact"]

# Config field -> API field, per object kind. `template` and `services` hold GUIDs here.
_FIELDS: dict[ObjectKind, dict[str, str]] = {
    "user": {"username": "UserName", "full_name": "FullName", "email": "EmailAddress"},
    "service": {
        "name": "Name",
        "description": "Description",
        "template": "TemplateGuid",
        "workflow": "Workflow",
        "all_clients": "AllClients",
    },
    "client": {"name": "Name", "description": "Description"},
    "contact": {
        "email": "EmailAddress",
        "full_name": "FullName",
        "role": "Role",
        "services": "Services",
    },
}
_GUID_FIELD: dict[ObjectKind, str] = {
    "user": "UserGuid",
    "service": "ServiceGuid",
    "client": "ClientGuid",
    "contact": "ContactGuid",
}
_COLLECTION: dict[ObjectKind, str] = {
    "user": "/users",
    "service": "/customerportal/services",
    "client": "/customerportal/clients",
    "contact": "/customerportal/contacts",
}


@dataclass(frozen=True)
class Written:
    """What a successful write tells us: the object's GUID and its new Version."""

    guid: str
    version: int | None


class PortalWriter:
    """Writes portal objects; thread-safe because the transport is."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    # -- objects ---------------------------------------------------------------------------

    def create(
        self, kind: ObjectKind, fields: Mapping[str, Any], *, key: str, client_guid: str = ""
    ) -> Written:
        """POST a new user, service, client or contact (a contact needs its client's GUID)."""
        path = _COLLECTION[kind]
        if kind == "contact":
            path = f"/customerportal/clients/{client_guid}/contacts"
        response = self._transport.request(
            "POST", path, body=to_api(kind, fields), idempotency_key=key
        )
        return _written(response, _GUID_FIELD[kind])

    def update(
        self,
        kind: ObjectKind,
        guid: str,
        fields: Mapping[str, Any],
        *,
        if_match: int | None,
        key: str,
    ) -> Written:
        """PUT the given fields; the server keeps the ones left out."""
        response = self._transport.request(
            "PUT",
            f"{_COLLECTION[kind]}/{guid}",
            body=to_api(kind, fields),
            if_match=if_match,
            idempotency_key=key,
        )
        return _written(response, _GUID_FIELD[kind], guid)

    def delete(self, kind: ObjectKind, guid: str, *, if_match: int | None, key: str) -> None:
        self._transport.request(
            "DELETE", f"{_COLLECTION[kind]}/{guid}", if_match=if_match, idempotency_key=key
        )

    def read(self, kind: ObjectKind, guid: str) -> dict[str, Any] | None:
        """The object in config vocabulary (GUIDs for references, plus `version`), or None
        when it is gone (404, or a soft-deleted contact)."""
        try:
            response = self._transport.get(f"{_COLLECTION[kind]}/{guid}")
        except ApiError as error:
            if error.status == 404:
                return None
            raise
        body = response.body if isinstance(response.body, dict) else {}
        if body.get("Status") == "Deleted":
            return None
        return {**from_api(kind, body), "version": _version(response)}

    # -- assignment lists ------------------------------------------------------------------

    def set_client_project_managers(
        self, client_guid: str, user_guids: Sequence[str], *, if_match: int | None, key: str
    ) -> Written:
        return self._set_list(client_guid, "projectmanagers", user_guids, if_match, key)

    def set_client_services(
        self, client_guid: str, service_guids: Sequence[str], *, if_match: int | None, key: str
    ) -> Written:
        return self._set_list(client_guid, "services", service_guids, if_match, key)

    def group_members(self, group_guid: str) -> tuple[frozenset[str], int | None]:
        response = self._transport.get(f"/groups/{group_guid}/users")
        body = response.body if isinstance(response.body, dict) else {}
        return frozenset(body.get("UserGuids", ())), _version(response)

    def set_group_members(
        self, group_guid: str, user_guids: Sequence[str], *, if_match: int | None, key: str
    ) -> int | None:
        response = self._transport.request(
            "PUT",
            f"/groups/{group_guid}/users",
            body={"UserGuids": sorted(user_guids)},
            if_match=if_match,
            idempotency_key=key,
        )
        return _version(response)

    def _set_list(
        self, client: str, resource: str, guids: Sequence[str], if_match: int | None, key: str
    ) -> Written:
        field = "UserGuids" if resource == "projectmanagers" else "ServiceGuids"
        response = self._transport.request(
            "PUT",
            f"/customerportal/clients/{client}/{resource}",
            body={field: sorted(guids)},
            if_match=if_match,
            idempotency_key=key,
        )
        version = _version(response)
        if version is None:  # the answer did not say; learn it so the next If-Match is right
            current = self.read("client", client)
            version = current["version"] if current else None
        return Written(client, version)


def to_api(kind: ObjectKind, fields: Mapping[str, Any]) -> dict[str, Any]:
    """Config-vocabulary fields as an API body (unknown fields are a programming error)."""
    return {_FIELDS[kind][name]: _api_value(name, value) for name, value in fields.items()}


def _api_value(name: str, value: Any) -> Any:
    if name == "workflow":
        return WORKFLOW_TO_API[value]
    if name == "role":
        return ROLE_TO_API[value]
    if name == "services":
        return sorted(value)
    return value


def from_api(kind: ObjectKind, body: Mapping[str, Any]) -> dict[str, Any]:
    fields = {
        name: _config_value(name, body[api_name])
        for name, api_name in _FIELDS[kind].items()
        if api_name in body
    }
    for api_name, name in (("ProjectManagers", "project_managers"), ("Services", "services")):
        if kind == "client" and api_name in body:
            fields[name] = list(body[api_name])
    return fields


def _config_value(name: str, value: Any) -> Any:
    if name == "workflow":
        return WORKFLOW_FROM_API.get(value, value)
    if name == "role":
        return ROLE_FROM_API.get(value, value)
    return value


def _version(response: ApiResponse) -> int | None:
    if response.etag_version is not None:
        return response.etag_version
    body = response.body
    version = body.get("Version") if isinstance(body, dict) else None
    return version if isinstance(version, int) else None


def _written(response: ApiResponse, guid_field: str, guid: str = "") -> Written:
    body = response.body if isinstance(response.body, dict) else {}
    return Written(str(body.get(guid_field) or guid), _version(response))
