"""What each step does on the server: resolve names to GUIDs, pick the If-Match, write, and
treat a 412 or 404 with care (re-read: if the object already is as wanted, that is success)."""

from __future__ import annotations

import hashlib
import random
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from portalsync.backend.errors import ApiError
from portalsync.backend.writer import ObjectKind, PortalWriter
from portalsync.changes import Change
from portalsync.errors import PortalSyncError
from portalsync.live import LivePortal
from portalsync.names import name_key

STALE = "changed on the server since the plan"
GONE = "no longer exists on the server"
GROUP_ATTEMPTS = 10  # the group's member list is shared with other writers: merge and retry


class StepError(PortalSyncError):
    """A step could not be done; the message is the reason shown in the summary."""


class Registry:
    """Name key -> GUID for users, services and clients: seeded from the live portal and the
    plan's renames, completed by the create answers of this run."""

    def __init__(self) -> None:
        self._guids: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()

    @classmethod
    def seed(cls, live: LivePortal, changes: Iterable[Change]) -> Registry:
        registry = cls()
        for user in live.users:
            registry.record("user", user.username, user.guid)
        for service in live.services:
            registry.record("service", service.name, service.guid)
        for client in live.clients:
            registry.record("client", client.name, client.guid)
        for change in changes:
            if change.action == "rename" and change.guid and change.kind in ("service", "client"):
                registry.record(change.kind, change.key, change.guid)
        return registry

    def record(self, kind: str, name: str, guid: str) -> None:
        with self._lock:
            self._guids[kind, name_key(name)] = guid

    def find(self, kind: str, name: str) -> str | None:
        with self._lock:
            return self._guids.get((kind, name_key(name)))

    def guid(self, kind: str, name: str) -> str:
        found = self.find(kind, name)
        if found is None:
            label = kind.replace("user", "project manager")
            raise StepError(f"{label} '{name}' does not exist on the server")
        return found


class Versions:
    """The Version chain per GUID: a write's answer is the next write's If-Match."""

    def __init__(self) -> None:
        self._versions: dict[str, int] = {}
        self._lock = threading.Lock()

    def if_match(self, guid: str, planned: int | None) -> int | None:
        with self._lock:
            return self._versions.get(guid, planned)

    def record(self, guid: str, version: int | None) -> None:
        if version is not None:
            with self._lock:
                self._versions[guid] = version


class Operations:
    def __init__(
        self, writer: PortalWriter, live: LivePortal, changes: Sequence[Change], run_id: str
    ) -> None:
        self.writer = writer
        self.changes = changes
        self.run_id = run_id
        self.registry = Registry.seed(live, changes)
        self.versions = Versions()
        self.templates = {name_key(t.name): t.guid for t in live.templates}
        self.live_clients = {client.guid: client for client in live.clients}
        self.group = live.project_managers_group.guid

    def key(self, step_id: str, part: str = "") -> str:
        """The Idempotency-Key of one write of one step in this run: a retry in this run
        replays it; another run (after a kill) never collides with it."""
        digest = hashlib.sha256(f"{step_id}\0{part}".encode()).hexdigest()[:32]
        return f"portalsync-{self.run_id}-{digest}"

    # -- project managers ------------------------------------------------------------------

    def create_project_manager(self, change: Change, step: str) -> None:
        after = change.after or {}
        fields = {name: after[name] for name in ("username", "full_name", "email") if name in after}
        written = self.writer.create("user", fields, key=self.key(step))
        self.registry.record("user", change.key, written.guid)
        self.versions.record(written.guid, written.version)

    def update_project_manager(self, change: Change, step: str) -> None:
        fields = _pick(change.after, "full_name", "email")
        self._update("user", _guid(change), fields, change.version, step)

    def merge_project_managers_group(self, indexes: Iterable[int], step: str) -> None:
        """Add (or remove) members by merging into the current list, never replacing it blind."""
        join: set[str] = set()
        leave: set[str] = set()
        for index in indexes:
            change = self.changes[index]
            guid = self.registry.find("user", change.key)
            if guid is None:
                continue  # its create failed; that change already reports why
            wanted = (change.after or {}).get("project_managers_group", True)
            (join if wanted else leave).add(guid)
        for attempt in range(GROUP_ATTEMPTS):
            members, version = self.writer.group_members(self.group)
            target = (members | join) - leave
            if target == members:
                return
            try:
                key = self.key(step, f"attempt-{attempt}")  # a new body needs a new key
                self.writer.set_group_members(self.group, sorted(target), if_match=version, key=key)
                return
            except ApiError as error:
                if error.status != 412:
                    raise
            time.sleep(random.uniform(0, 0.05 * 2**attempt))  # noqa: S311 - jitter, not crypto
        raise StepError(f"the ProjectManagers group kept changing ({GROUP_ATTEMPTS} attempts)")

    # -- services --------------------------------------------------------------------------

    def create_service(self, change: Change, step: str) -> None:
        written = self.writer.create("service", self._service_fields(change), key=self.key(step))
        self.registry.record("service", change.key, written.guid)
        self.versions.record(written.guid, written.version)

    def update_service(self, change: Change, step: str) -> None:
        self._update("service", _guid(change), self._service_fields(change), change.version, step)

    def _service_fields(self, change: Change) -> dict[str, Any]:
        fields = _pick(change.after, "name", "description", "workflow", "all_clients")
        template = (change.after or {}).get("template")
        if template is not None:
            guid = self.templates.get(name_key(str(template)))
            if guid is None:
                raise StepError(f"project template '{template}' does not exist on the server")
            fields["template"] = guid
        return fields

    # -- clients ---------------------------------------------------------------------------

    def create_client(self, change: Change, pms: Change | None, step: str) -> None:
        fields = _pick(change.after, "name", "description")
        written = self.writer.create("client", fields, key=self.key(step))
        self.registry.record("client", change.key, written.guid)
        self.versions.record(written.guid, written.version)
        if pms is not None:
            users = self._guids("user", _names(pms.after, "project_managers"))
            self._set_list("project_managers", written.guid, users, None, step)

    def update_client(self, change: Change, step: str) -> None:
        fields = _pick(change.after, "name", "description")
        self._update("client", _guid(change), fields, change.version, step)

    def set_client_project_managers(self, change: Change, step: str) -> None:
        users = self._guids("user", _names(change.after, "project_managers"))
        guid = self._client_guid(change)
        self._set_list("project_managers", guid, users, change.version, step)

    def widen_client_services(self, change: Change, step: str) -> None:
        """Old and new services together, so no contact ever holds a service its client lacks."""
        guid = self._client_guid(change)
        live = self.live_clients.get(guid)
        services = set(live.services if live else ()) | set(self._desired_services(change))
        self._set_list("services", guid, sorted(services), change.version, step)

    def narrow_client_services(self, change: Change, step: str) -> None:
        guid = self._client_guid(change)
        self._set_list("services", guid, self._desired_services(change), change.version, step)

    def _desired_services(self, change: Change) -> list[str]:
        return self._guids("service", _names(change.after, "services"))

    def _client_guid(self, change: Change) -> str:
        return change.guid or self.registry.guid("client", change.key)

    # -- contacts --------------------------------------------------------------------------

    def create_contact(self, change: Change, step: str) -> None:
        client = self.registry.guid("client", change.client or "")
        fields = self._contact_fields(change)
        written = self.writer.create("contact", fields, key=self.key(step), client_guid=client)
        self.versions.record(written.guid, written.version)

    def update_contact(self, change: Change, step: str) -> None:
        self._update("contact", _guid(change), self._contact_fields(change), change.version, step)

    def _contact_fields(self, change: Change) -> dict[str, Any]:
        fields = _pick(change.after, "email", "full_name", "role")
        if "services" in (change.after or {}):
            fields["services"] = self._guids("service", _names(change.after, "services"))
        return fields

    # -- the careful writes ----------------------------------------------------------------

    def delete_object(self, kind: ObjectKind, change: Change, step: str) -> None:
        guid = _guid(change)
        if_match = self.versions.if_match(guid, change.version)
        try:
            self.writer.delete(kind, guid, if_match=if_match, key=self.key(step))
        except ApiError as error:
            if error.status not in (404, 412):
                raise
            if self.writer.read(kind, guid) is not None:  # 404 or 412 and still there
                raise StepError(STALE) from None
            # Gone already: our earlier delivery, or someone else, did what we wanted.

    def _update(
        self,
        kind: ObjectKind,
        guid: str,
        fields: Mapping[str, Any],
        planned: int | None,
        step: str,
    ) -> None:
        if not fields:
            return
        if_match = self.versions.if_match(guid, planned)
        try:
            written = self.writer.update(kind, guid, fields, if_match=if_match, key=self.key(step))
        except ApiError as error:
            if error.status not in (404, 412):
                raise
            self._settle(kind, guid, fields)
            return
        self.versions.record(guid, written.version)

    def _set_list(
        self, field: str, client: str, guids: list[str], planned: int | None, step: str
    ) -> None:
        if_match = self.versions.if_match(client, planned)
        key = self.key(step, field)
        try:
            if field == "project_managers":
                written = self.writer.set_client_project_managers(
                    client, guids, if_match=if_match, key=key
                )
            else:
                written = self.writer.set_client_services(client, guids, if_match=if_match, key=key)
        except ApiError as error:
            if error.status not in (404, 412):
                raise
            self._settle("client", client, {field: guids})
            return
        self.versions.record(client, written.version)

    def _settle(self, kind: ObjectKind, guid: str, fields: Mapping[str, Any]) -> None:
        """After a 412/404: success if the object already holds what we wanted (a retried
        write whose first delivery committed), else the reason the change failed."""
        current = self.writer.read(kind, guid)
        if current is None:
            raise StepError(GONE) from None
        differing = [name for name, value in fields.items() if not _same(current.get(name), value)]
        if differing:
            raise StepError(f"{STALE} ({', '.join(differing)} differ)") from None
        self.versions.record(guid, current["version"])

    def _guids(self, kind: str, names: Iterable[str]) -> list[str]:
        return [self.registry.guid(kind, name) for name in names]


def _same(current: Any, wanted: Any) -> bool:
    if isinstance(wanted, (list, tuple)):
        return isinstance(current, (list, tuple)) and set(current) == set(wanted)
    return bool(current == wanted)


def _pick(fields: Mapping[str, Any] | None, *names: str) -> dict[str, Any]:
    return {name: fields[name] for name in names if fields and name in fields}


def _names(fields: Mapping[str, Any] | None, name: str) -> list[str]:
    return [str(value) for value in (fields or {}).get(name, ())]


def _guid(change: Change) -> str:
    if not change.guid:
        raise StepError(f"the plan names no server object for this {change.action}")
    return change.guid
