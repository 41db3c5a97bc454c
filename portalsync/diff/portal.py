"""The diff of project managers, services and clients (contacts live in contacts.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from portalsync.changes import Change, Kind
from portalsync.diff.fields import (
    Fields,
    changed_fields,
    client_fields,
    project_manager_fields,
    same_name,
    service_fields,
    sorted_names,
)
from portalsync.diff.ownership import Matching, is_ignored, match_by_name, where
from portalsync.errors import ConfigError
from portalsync.live import LiveClient, LivePortal, LiveService
from portalsync.model import Client, DesiredPortal, Service
from portalsync.names import name_key
from portalsync.observed import LiveIndex, index

SERVICE_FIELDS = ("description", "template", "workflow", "all_clients")


@dataclass
class Scope:
    """What the diff works on: the live portal minus ignored clients, and who is what."""

    desired: DesiredPortal
    live: LivePortal
    observed: LiveIndex  # the live portal by key; config-shaped objects built on demand
    services: Matching[Service, LiveService]
    clients: Matching[Client, LiveClient]
    ignored_clients: frozenset[str]  # name keys of live clients matching ignore_clients
    service_names: dict[str, str] = field(default_factory=dict)  # live name key -> desired name
    template_names: dict[str, str] = field(default_factory=dict)  # TemplateGuid -> name
    changes: list[Change] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def prune(self) -> bool:
        return self.desired.settings.prune

    def managed_clients(self) -> dict[str, str]:
        """Name key of every live client the config owns -> the name it goes by in the plan."""
        owners = {name_key(live.name): client.name for client, live in self.clients.pairs if live}
        if self.prune:
            owners.update({name_key(c.name): c.name for c in self.clients.unclaimed})
        return owners


def make_scope(desired: DesiredPortal, live: LivePortal) -> Scope:
    observed = index(live)
    patterns = desired.settings.ignore_clients
    ignored = frozenset(key for key, c in observed.clients.items() if is_ignored(c.name, patterns))
    owned = {key: c for key, c in observed.clients.items() if key not in ignored}
    services = match_by_name("service", desired.services, observed.services)
    scope = Scope(
        desired=desired,
        live=live,
        observed=observed,
        services=services,
        clients=match_by_name("client", desired.clients, owned),
        ignored_clients=ignored,
    )
    # A renamed service keeps its identity: clients and contacts that reference it by its old
    # (live) name reference the declared one, so they do not look changed.
    scope.service_names = {name_key(lv.name): s.name for s, lv in services.pairs if lv}
    scope.template_names = observed.template_names
    return scope


def desired_service_names(scope: Scope, live_names: tuple[str, ...]) -> list[str]:
    return sorted_names(_desired_service_names(scope, live_names))


def _desired_service_names(scope: Scope, live_names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(scope.service_names.get(name_key(n), n) for n in live_names)


def diff_project_managers(scope: Scope) -> None:
    members = scope.live.project_managers_group.members
    for pm in scope.desired.project_managers:
        user = scope.observed.users.get(pm.key)
        if user is None:
            scope.changes.append(
                Change(
                    "create",
                    "project_manager",
                    pm.username,
                    None,
                    project_manager_fields(pm),
                    source=pm.source,
                )
            )
            continue
        live_fields = {"full_name": user.full_name, "email": user.email}
        before, after = changed_fields(live_fields, project_manager_fields(pm), live_fields)
        if user.guid not in members:
            before["project_managers_group"], after["project_managers_group"] = False, True
        if before or after:
            scope.changes.append(
                Change(
                    "update",
                    "project_manager",
                    pm.username,
                    before,
                    after,
                    source=pm.source,
                    guid=user.guid,
                    version=user.version,
                )
            )
        if user.is_disabled:
            scope.warnings.append(
                f"project manager '{pm.username}' ({pm.source}) is disabled on the server: "
                "portalsync does not enable users; enable it there or remove it from the config"
            )


def diff_services(scope: Scope) -> None:
    templates = {name_key(name) for name in scope.template_names.values()}
    for service, live in scope.services.pairs:
        if name_key(service.template) not in templates:
            raise ConfigError(
                f"{where(service.source)}service '{service.name}': template "
                f"'{service.template}' does not exist on the server"
            )
        desired = service_fields(service)
        if live is None:
            scope.changes.append(
                Change("create", "service", service.name, None, desired, source=service.source)
            )
            continue
        observed = _observed_service(scope, live)
        _rename_and_update(
            scope,
            "service",
            service,
            live,
            observed=observed,
            desired=desired,
            fields=SERVICE_FIELDS,
        )
    for live in scope.services.unclaimed:
        _delete_or_leave(scope, "service", live, _observed_service(scope, live))


def _observed_service(scope: Scope, live: LiveService) -> Fields:
    templates = scope.template_names
    return {
        "name": live.name,
        "description": live.description,
        "template": templates.get(live.template_guid, live.template_guid),
        "workflow": live.workflow,
        "all_clients": live.all_clients,
    }


def diff_clients(scope: Scope) -> None:
    for client, live in scope.clients.pairs:
        if live is None:
            scope.changes.append(
                Change(
                    "create",
                    "client",
                    client.name,
                    None,
                    client_fields(client),
                    source=client.source,
                )
            )
            _assignments(scope, client, None, (), ())
            continue
        # Only the names of the live client's PMs and services are needed here, not its whole
        # config-shaped form (contacts included), which observe() would build for every client.
        _rename_and_update(
            scope,
            "client",
            client,
            live,
            observed={"name": live.name, "description": live.description},
            desired=client_fields(client),
            fields=("description",),
        )
        _assignments(
            scope,
            client,
            live,
            scope.observed.user_names(live.project_managers),
            _desired_service_names(scope, scope.observed.services_named(live.services)),
        )
    for live in scope.clients.unclaimed:
        seen = scope.observed.client(live)
        before = {
            **client_fields(seen),
            "project_managers": sorted_names(seen.project_managers),
            "services": sorted_names(seen.services),
        }
        count = len(seen.contacts)
        note = (
            f"{count} contact{'s lose' if count != 1 else ' loses'} portal access"
            if count
            else None
        )
        _delete_or_leave(scope, "client", live, before, note)


def _assignments(
    scope: Scope,
    client: Client,
    live: LiveClient | None,
    pms: tuple[str, ...],
    services: tuple[str, ...],
) -> None:
    """`pms` and `services` are the live client's, in any order: they are sorted for display only
    when they differ, which in a large in-sync portal is almost never."""
    lists: tuple[tuple[Kind, str, tuple[str, ...], tuple[str, ...]], ...] = (
        ("client_project_managers", "project_managers", pms, client.project_managers),
        ("client_services", "services", services, client.services),
    )
    for kind, field_name, old, new in lists:
        # Equal in the same order (the usual case) settles it without normalizing every name.
        if old == new or {name_key(n) for n in old} == {name_key(n) for n in new}:
            continue
        after = {field_name: sorted_names(new)}
        if live is None:
            change = Change("create", kind, client.name, None, after, source=client.source)
        else:
            change = Change(
                "update",
                kind,
                client.name,
                {field_name: sorted_names(old)},
                after,
                source=client.source,
                guid=live.guid,
                version=live.version,
            )
        scope.changes.append(change)


def _rename_and_update(
    scope: Scope,
    kind: Kind,
    declared: Service | Client,
    live: LiveService | LiveClient,
    *,
    observed: Fields,
    desired: Fields,
    fields: tuple[str, ...],
) -> None:
    name, source = declared.name, declared.source
    if not same_name(live.name, name):
        scope.changes.append(
            Change(
                "rename",
                kind,
                name,
                {"name": live.name},
                {"name": name},
                source=source,
                guid=live.guid,
                version=live.version,
            )
        )
    before, after = changed_fields(observed, desired, fields)
    if after:
        scope.changes.append(
            Change(
                "update",
                kind,
                name,
                before,
                after,
                source=source,
                guid=live.guid,
                version=live.version,
            )
        )


def _delete_or_leave(
    scope: Scope,
    kind: Kind,
    live: LiveService | LiveClient,
    before: Fields,
    note: str | None = None,
) -> None:
    name = live.name
    if not scope.prune:
        return  # counted as unmanaged by the plan
    scope.changes.append(
        Change(
            "delete",
            kind,
            name,
            before,
            None,
            destructive=True,
            guid=live.guid,
            version=live.version,
            note=note,
        )
    )
