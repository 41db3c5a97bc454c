"""The live portal seen through the config's eyes: names instead of GUIDs, YAML field names.

Diff and export both start here, so "what the server has" is translated in exactly one place.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from portalsync.live import LiveClient, LiveContact, LivePortal, LiveService, LiveUser
from portalsync.model import Client, Contact, DesiredPortal, ProjectManager, Service
from portalsync.names import name_key


@dataclass(frozen=True)
class Observed:
    """`portal` is the live state in config shape; the dicts lead from a key back to the live
    object (its GUID and Version), keyed like the config objects' `key` properties."""

    portal: DesiredPortal
    users: dict[str, LiveUser]  # by username key: every user, in the PM group or not
    services: dict[str, LiveService]  # by name key
    clients: dict[str, LiveClient]  # by name key
    contacts: dict[tuple[str, str], LiveContact]  # by (client name key, email key)


@dataclass(frozen=True)
class LiveIndex:
    """Everything `Observed` holds but the config-shaped portal, which is translated one object at
    a time on demand: a large in-sync portal's diff then never builds its tens of thousands of
    config-shaped objects (the bulk of observe()'s cost), only those of objects that changed."""

    users: dict[str, LiveUser]  # by username key
    services: dict[str, LiveService]  # by name key
    clients: dict[str, LiveClient]  # by name key
    contacts: dict[tuple[str, str], LiveContact]  # by (client name key, email key)
    usernames: dict[str, str]  # UserGuid -> username
    template_names: dict[str, str]  # TemplateGuid -> name
    service_names: dict[str, str]  # ServiceGuid -> name
    live: LivePortal

    @cached_property
    def contacts_of(self) -> dict[str, list[LiveContact]]:
        """ClientGuid -> its contacts, in live order; built on first use, as the diff needs it
        only for clients it deletes."""
        contacts_of: defaultdict[str, list[LiveContact]] = defaultdict(list)
        for contact in self.live.contacts:
            contacts_of[contact.client_guid].append(contact)
        return dict(contacts_of)

    def user_names(self, guids: tuple[str, ...]) -> tuple[str, ...]:
        return _names(guids, self.usernames)

    def services_named(self, guids: tuple[str, ...]) -> tuple[str, ...]:
        return _names(guids, self.service_names)

    def contact(self, contact: LiveContact) -> Contact:
        return Contact(
            email=contact.email,
            full_name=contact.full_name,
            role=contact.role,
            services=self.services_named(contact.services),
        )

    def client(self, client: LiveClient) -> Client:
        return Client(
            name=client.name,
            description=client.description,
            project_managers=self.user_names(client.project_managers),
            services=self.services_named(client.services),
            contacts=tuple(self.contact(c) for c in self.contacts_of.get(client.guid, ())),
        )


def _names(guids: tuple[str, ...], table: dict[str, str]) -> tuple[str, ...]:
    # An unknown GUID (a dangling reference on the server) stays visible as itself.
    # map() over the bound get with the GUIDs as defaults is table.get(guid, guid) per GUID,
    # without a generator frame: this runs for every client and contact of a large portal.
    return tuple(map(table.get, guids, guids))


def index(live: LivePortal) -> LiveIndex:
    client_names = {client.guid: name_key(client.name) for client in live.clients}
    return LiveIndex(
        users={name_key(user.username): user for user in live.users},
        services={name_key(service.name): service for service in live.services},
        clients={name_key(client.name): client for client in live.clients},
        contacts={
            (client_names[contact.client_guid], name_key(contact.email)): contact
            for contact in live.contacts
            if contact.client_guid in client_names
        },
        usernames={user.guid: user.username for user in live.users},
        template_names={template.guid: template.name for template in live.templates},
        service_names={service.guid: service.name for service in live.services},
        live=live,
    )


def observe(live: LivePortal) -> Observed:
    seen = index(live)
    templates = seen.template_names
    members = live.project_managers_group.members
    portal = DesiredPortal(
        project_managers=tuple(
            ProjectManager(user.username, user.full_name, user.email)
            for user in live.users
            if user.guid in members
        ),
        services=tuple(
            Service(
                name=service.name,
                template=templates.get(service.template_guid, service.template_guid),
                workflow=service.workflow,
                description=service.description,
                all_clients=service.all_clients,
            )
            for service in live.services
        ),
        clients=tuple(seen.client(client) for client in live.clients),
    )
    return Observed(
        portal=portal,
        users=seen.users,
        services=seen.services,
        clients=seen.clients,
        contacts=seen.contacts,
    )
