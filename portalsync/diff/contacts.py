"""The diff of contacts: matched by email across the whole portal, so a move between clients and
an email change through `previous_emails` are recognized rather than seen as strangers."""

from __future__ import annotations

from portalsync.changes import Change
from portalsync.diff.fields import Fields, changed_fields, contact_fields
from portalsync.diff.ownership import where
from portalsync.diff.portal import Scope, desired_service_names
from portalsync.errors import ConfigError
from portalsync.live import LiveContact
from portalsync.model import Client, Contact
from portalsync.names import name_key

Place = tuple[str, str]  # (live client name key, email key)
EMAIL_CHANGE = "email change: the contact must activate their access again"


def diff_contacts(scope: Scope) -> None:
    managed = scope.managed_clients()
    live_contacts = scope.observed.contacts
    home = {email: client for client, email in live_contacts}
    claimed: set[Place] = set()
    for client, live in scope.clients.pairs:
        live_key = name_key(live.name) if live else None
        for contact in client.contacts:
            key = contact.key  # a property computing name_key: read once per contact
            place = _locate(client, contact, key, home)
            if place is None:
                scope.changes.append(_create(client, contact))
                continue
            claimed.add(place)
            if place[0] == live_key:
                # place[1] is the live email's key, computed once by the index
                renamed = place[1] != key
                _update(scope, client, contact, live_contacts[place], renamed=renamed)
            elif place[0] in managed:
                _move(
                    scope, client, contact, old_client=managed[place[0]], live=live_contacts[place]
                )
            else:
                raise ConfigError(
                    f"{where(contact.source)}contact '{contact.email}' of client '{client.name}' "
                    f"is live under client '{scope.observed.clients[place[0]].name}', which "
                    "portalsync leaves alone (ignore_clients or prune: false): move it by hand"
                )
    kept = {name_key(live.name) for _, live in scope.clients.pairs if live}
    for place, live_contact in live_contacts.items():
        if place[0] in kept and place not in claimed:
            before = _observed(scope, live_contact)
            scope.changes.append(_delete(managed[place[0]], before, live_contact))


def _locate(client: Client, contact: Contact, key: str, home: dict[str, str]) -> Place | None:
    if not contact.previous_emails:  # the common case, without building the list below
        return (home[key], key) if key in home else None
    previous = [name_key(e) for e in contact.previous_emails if name_key(e) in home]
    if key in home and previous:
        raise ConfigError(
            f"{where(contact.source)}contact '{contact.email}' of client '{client.name}': both "
            f"its email and its previous email '{previous[0]}' are live; delete one on the server"
        )
    email = key if key in home else (previous[0] if previous else None)
    return (home[email], email) if email is not None else None


def _create(client: Client, contact: Contact, note: str | None = None) -> Change:
    return Change(
        "create",
        "contact",
        contact.email,
        None,
        contact_fields(contact),
        client=client.name,
        source=contact.source,
        note=note,
    )


def _delete(client_name: str, before: Fields, live: LiveContact, note: str | None = None) -> Change:
    return Change(
        "delete",
        "contact",
        live.email,
        before,
        None,
        client=client_name,
        destructive=True,
        guid=live.guid,
        version=live.version,
        note=note,
    )


def _observed(scope: Scope, live: LiveContact) -> Fields:
    seen = scope.observed.contact(live)
    fields = contact_fields(seen)
    fields["services"] = desired_service_names(scope, seen.services)
    return fields


def _update(
    scope: Scope, client: Client, contact: Contact, live: LiveContact, *, renamed: bool
) -> None:
    if renamed:
        scope.changes.append(
            Change(
                "rename",
                "contact",
                contact.email,
                {"email": live.email},
                {"email": contact.email},
                client=client.name,
                source=contact.source,
                guid=live.guid,
                version=live.version,
                note=EMAIL_CHANGE,
            )
        )
    if (
        live.full_name == contact.full_name
        and live.role == contact.role
        and scope.observed.services_named(live.services) == contact.services
    ):
        # The common case, decided from the live contact without building its config-shaped
        # form or field dicts (a third of a big plan's diff).
        # Equal service names are the same services: uniqueness covers previous names too.
        return
    fields = ("full_name", "role", "services")
    before, after = changed_fields(_observed(scope, live), contact_fields(contact), fields)
    if after:
        scope.changes.append(
            Change(
                "update",
                "contact",
                contact.email,
                before,
                after,
                client=client.name,
                source=contact.source,
                guid=live.guid,
                version=live.version,
            )
        )


def _move(
    scope: Scope,
    client: Client,
    contact: Contact,
    *,
    old_client: str,
    live: LiveContact,
) -> None:
    """A contact cannot change client on the server: delete it there, create it here."""
    before = _observed(scope, live)
    scope.changes.append(_delete(old_client, before, live, f"moves to client {client.name}"))
    scope.changes.append(_create(client, contact, f"moves from client {old_client}"))
