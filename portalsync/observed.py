"""The live portal seen through the config's eyes: names instead of GUIDs, YAML field names.

Diff and export both start here, so "what the server has" is translated in exactly one place.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

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


def observe(live: LivePortal) -> Observed:
    usernames = {user.guid: user.username for user in live.users}
    templates = {template.guid: template.name for template in live.templates}
    service_names = {service.guid: service.name for service in live.services}
    contacts_of: defaultdict[str, list[LiveContact]] = defaultdict(list)
    for contact in live.contacts:
        contacts_of[contact.client_guid].append(contact)

    def names(guids: tuple[str, ...], table: dict[str, str]) -> tuple[str, ...]:
        # An unknown GUID (a dangling reference on the server) stays visible as itself.
        return tuple(table.get(guid, guid) for guid in guids)

    def as_contact(contact: LiveContact) -> Contact:
        return Contact(
            email=contact.email,
            full_name=contact.full_name,
            role=contact.role,
            services=names(contact.services, service_names),
        )

    def as_client(client: LiveClient) -> Client:
        return Client(
            name=client.name,
            description=client.description,
            project_managers=names(client.project_managers, usernames),
            services=names(client.services, service_names),
            contacts=tuple(as_contact(c) for c in contacts_of.get(client.guid, ())),
        )

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
        clients=tuple(as_client(client) for client in live.clients),
    )
    client_names = {client.guid: name_key(client.name) for client in live.clients}
    return Observed(
        portal=portal,
        users={name_key(user.username): user for user in live.users},
        services={name_key(service.name): service for service in live.services},
        clients={name_key(client.name): client for client in live.clients},
        contacts={
            (client_names[contact.client_guid], name_key(contact.email)): contact
            for contact in live.contacts
            if contact.client_guid in client_names
        },
    )
