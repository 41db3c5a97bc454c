"""From a plan's changes to a graph of steps whose order keeps the portal valid at every moment.

The rules (engine.md) and how they map onto the graph:
- PMs first: a client's PM assignment needs its PMs' user steps and the ProjectManagers group
  update (one step for every PM that joins, so our own writers never race on that list).
- A new client is created and given its PMs in one step, so it never exists without a PM for
  longer than the call in between.
- Steps touching the same object are chained, so the Version each write returns is the next
  write's If-Match and only someone else's edit can give 412.
- A contact's services stay a subset of its client's: a client first gets the union of its old
  and new services, contacts change, and only then is the list narrowed (after contact deletes).
- A contact delete that frees an email someone else claims (a move) runs first; other deletes run
  last, contacts before clients before services; a service is deleted only after every step that
  drops a reference to it succeeded.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from portalsync.apply.graph import (
    BUILD,
    RETIRE_CLIENTS,
    RETIRE_CONTACTS,
    RETIRE_SERVICES,
    Perform,
    Step,
)
from portalsync.changes import KINDS, Change
from portalsync.live import LivePortal
from portalsync.names import name_key

GROUP_STEP = "pm-group"
_ACTION_ORDER = ("create", "rename", "update", "delete")  # within one object's chain


def build_steps(changes: Sequence[Change], live: LivePortal) -> list[Step]:
    """The step graph for `changes` (indexes into that sequence) against the `live` portal."""
    builder = _Builder(live)
    order = sorted(
        range(len(changes)),
        key=lambda i: (KINDS.index(changes[i].kind), _ACTION_ORDER.index(changes[i].action), i),
    )
    for index in order:
        builder.add(index, changes[index])
    return builder.finish()


class _Builder:
    def __init__(self, live: LivePortal) -> None:
        self.live = live
        self.steps: dict[str, Step] = {}
        self.last: dict[str, str] = {}  # object -> its latest step (the chain's end)
        self.last_by_guid: dict[str, str] = {}
        self.pm_ready: dict[str, set[str]] = {}  # username key -> steps a PM assignment needs
        self.service_created: dict[str, str] = {}  # name key -> create step
        self.client_ready: dict[str, str] = {}  # client key -> step after which contacts may go
        self.narrowing: dict[str, Step] = {}  # client key -> final services step
        self.contacts_of: dict[str, set[str]] = {}  # client key -> contact objects
        self.released: dict[str, str] = {}  # email key -> step that frees it
        self.claims: list[tuple[str, Step]] = []  # (email key, step that takes it)
        self.client_guid_key: dict[str, str] = {}
        self.new_client_pms: dict[str, Change] = {}
        self.renamed_services: dict[str, str] = {}  # new name key -> GUID
        self.live_clients = {client.guid: client for client in live.clients}
        self.live_service_guids = {name_key(s.name): s.guid for s in live.services}

    # -- building blocks -------------------------------------------------------------------

    def step(
        self,
        obj: str,
        suffix: str,
        label: str,
        index: int,
        perform: Perform,
        *,
        wave: int = BUILD,
        guid: str | None = None,
    ) -> Step:
        """A new step chained after the previous step on the same object."""
        new = Step(f"{obj}:{suffix}", label, (index,), perform, wave)
        if obj in self.last:
            new.needs.add(self.last[obj])
        self.steps[new.id] = new
        self.last[obj] = new.id
        if guid:
            self.last_by_guid[guid] = new.id
        return new

    def add(self, index: int, change: Change) -> None:
        getattr(self, f"_{change.kind}")(index, change)

    # -- project managers ------------------------------------------------------------------

    def _project_manager(self, index: int, change: Change) -> None:
        key = name_key(change.key)
        after = change.after or {}
        ready: set[str] = set()
        if change.action == "create":
            ready.add(self._pm_step(index, change, key, "create").id)
            self._join_group(index, ready, key)
        elif change.action == "update":
            if {"full_name", "email"} & after.keys():
                ready.add(self._pm_step(index, change, key, "update").id)
            if "project_managers_group" in after:
                self._join_group(index, ready, key)
        self.pm_ready[key] = ready

    def _pm_step(self, index: int, change: Change, key: str, suffix: str) -> Step:
        if suffix == "create":
            perform: Perform = lambda ops, sid: ops.create_project_manager(change, sid)  # noqa: E731
        else:
            perform = lambda ops, sid: ops.update_project_manager(change, sid)  # noqa: E731
        label = f"project manager {change.key}: {suffix}"
        return self.step(f"user:{key}", suffix, label, index, perform, guid=change.guid)

    def _join_group(self, index: int, ready: set[str], key: str) -> None:
        group = self.steps.get(GROUP_STEP)
        if group is None:
            group = Step(GROUP_STEP, "ProjectManagers group: members", (), _group_perform(self))
            self.steps[GROUP_STEP] = group
        group.serve(index)
        group.after |= ready
        ready.add(GROUP_STEP)

    # -- services --------------------------------------------------------------------------

    def _service(self, index: int, change: Change) -> None:
        key = name_key(change.key)
        obj = f"service:{key}"
        label = f"service {change.key}: {change.action}"
        if change.action == "create":
            perform: Perform = lambda ops, sid: ops.create_service(change, sid)  # noqa: E731
            self.service_created[key] = self.step(obj, "create", label, index, perform).id
        elif change.action == "delete":
            perform = lambda ops, sid: ops.delete_object("service", change, sid)  # noqa: E731
            self.step(obj, "delete", label, index, perform, wave=RETIRE_SERVICES, guid=change.guid)
        else:
            if change.action == "rename" and change.guid:
                self.renamed_services[key] = change.guid
            perform = lambda ops, sid: ops.update_service(change, sid)  # noqa: E731
            wave = RETIRE_SERVICES if _stops_all_clients(change) else BUILD
            self.step(obj, change.action, label, index, perform, wave=wave, guid=change.guid)

    # -- clients and their assignments -----------------------------------------------------

    def _client(self, index: int, change: Change) -> None:
        key = name_key(change.key)
        obj = f"client:{key}"
        label = f"client {change.key}: {change.action}"
        if change.guid:
            self.client_guid_key[change.guid] = key
        if change.action == "create":
            pms = self.new_client_pms
            perform: Perform = lambda ops, sid: ops.create_client(change, pms.get(key), sid)  # noqa: E731
            self.client_ready[key] = self.step(obj, "create", label, index, perform).id
        elif change.action == "delete":
            perform = lambda ops, sid: ops.delete_object("client", change, sid)  # noqa: E731
            self.step(obj, "delete", label, index, perform, wave=RETIRE_CLIENTS, guid=change.guid)
        else:
            perform = lambda ops, sid: ops.update_client(change, sid)  # noqa: E731
            self.step(obj, change.action, label, index, perform, guid=change.guid)

    def _client_project_managers(self, index: int, change: Change) -> None:
        key = name_key(change.key)
        create = self.steps.get(f"client:{key}:create")
        if change.action == "create" and create is not None:
            # Same step as the POST: the client gets its PMs by the very next call.
            self.new_client_pms[key] = change
            create.serve(index)
            target = create
        else:
            perform: Perform = lambda ops, sid: ops.set_client_project_managers(change, sid)  # noqa: E731
            label = f"client {change.key}: project managers"
            target = self.step(f"client:{key}", "pms", label, index, perform, guid=change.guid)
        for username in _names(change.after, "project_managers"):
            target.needs |= self.pm_ready.get(name_key(username), set())

    def _client_services(self, index: int, change: Change) -> None:
        key = name_key(change.key)
        obj = f"client:{key}"
        label = f"client {change.key}: services"
        wanted = _names(change.after, "services")
        live = self.live_clients.get(change.guid or "")
        first = f"{label} (adding before contacts change)" if live else label
        have_guids = set(live.services) if live else set()
        wanted_keys = {name_key(name) for name in wanted}
        wanted_guids = {self._service_guid(name) for name in wanted}
        if not wanted_guids <= have_guids or live is None:
            perform: Perform = lambda ops, sid: ops.widen_client_services(change, sid)  # noqa: E731
            widen = self.step(obj, "widen", first, index, perform, guid=change.guid)
            created = self.service_created
            widen.needs |= {created[k] for k in wanted_keys if k in created}
            self.client_ready[key] = widen.id
        if live is not None and not have_guids <= wanted_guids:
            perform = lambda ops, sid: ops.narrow_client_services(change, sid)  # noqa: E731
            wave = RETIRE_CONTACTS
            last = f"{label} (removing after contacts changed)"
            narrow = self.step(obj, "narrow", last, index, perform, wave=wave, guid=change.guid)
            self.narrowing[key] = narrow

    def _service_guid(self, name: str) -> str | None:
        """The GUID a service name will have: live, or renamed in this run; None when new."""
        key = name_key(name)
        return self.renamed_services.get(key) or self.live_service_guids.get(key)

    # -- contacts --------------------------------------------------------------------------

    def _contact(self, index: int, change: Change) -> None:
        client_key = name_key(change.client or "")
        email = name_key(change.key)
        obj = f"contact:{client_key}/{email}"
        label = f"contact {change.key} of {change.client}: {change.action}"
        self.contacts_of.setdefault(client_key, set()).add(obj)
        if change.action == "delete":
            perform: Perform = lambda ops, sid: ops.delete_object("contact", change, sid)  # noqa: E731
            step = self.step(obj, "delete", label, index, perform, wave=RETIRE_CONTACTS)
            self.released[email] = step.id
            if change.guid:
                self.last_by_guid[change.guid] = step.id
            return
        if change.action == "create":
            perform = lambda ops, sid: ops.create_contact(change, sid)  # noqa: E731
        else:
            perform = lambda ops, sid: ops.update_contact(change, sid)  # noqa: E731
        step = self.step(obj, change.action, label, index, perform, guid=change.guid)
        if client_key in self.client_ready:
            step.needs.add(self.client_ready[client_key])
        for service in _names(change.after, "services"):
            # The service's own changes come first: it may be created, renamed to this name, or
            # opened to every client (all_clients: true) in this run.
            prepared = self.last.get(f"service:{name_key(service)}")
            if prepared and self.steps[prepared].wave == BUILD:
                step.needs.add(prepared)
        if change.action in ("create", "rename"):
            self.claims.append((email, step))
        if change.action == "rename":
            old = name_key(str((change.before or {}).get("email", "")))
            self.released[old] = step.id

    # -- the cross-cutting edges, once everything is known ----------------------------------

    def finish(self) -> list[Step]:
        for email, step in self.claims:
            release = self.released.get(email)
            if release and release != step.id:
                step.needs.add(release)
                freeing = self.steps[release]
                if freeing.wave != BUILD:  # a move: free the email first, not last
                    freeing.wave = BUILD
        for client_key, narrow in self.narrowing.items():
            for contact in self.contacts_of.get(client_key, ()):
                narrow.needs.add(self.last[contact])
        for step in list(self.steps.values()):
            if step.id.startswith("service:") and step.id.endswith(":delete"):
                step.needs |= self._references_to(step)
        return list(self.steps.values())

    def _references_to(self, delete: Step) -> set[str]:
        """Steps that drop live references to the service `delete` removes."""
        guid = next((g for g, s in self.last_by_guid.items() if s == delete.id), None)
        if guid is None:
            return set()
        holders = [c.guid for c in self.live.clients if guid in c.services]
        holders += [c.guid for c in self.live.contacts if guid in c.services]
        return {self.last_by_guid[h] for h in holders if h in self.last_by_guid} - {delete.id}


def _group_perform(builder: _Builder) -> Perform:
    steps = builder.steps

    def perform(ops: Any, sid: str) -> None:
        ops.merge_project_managers_group(steps[GROUP_STEP].changes, sid)

    return perform


def _names(fields: Any, name: str) -> list[str]:
    return [str(value) for value in (fields or {}).get(name, ())]


def _stops_all_clients(change: Change) -> bool:
    """A service no longer offered to every client: only safe once assignments are in place."""
    return (change.after or {}).get("all_clients") is False and bool(
        (change.before or {}).get("all_clients")
    )
