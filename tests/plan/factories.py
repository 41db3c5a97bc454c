"""Hand-built desired and live portals for the pure tests: one of each kind, in sync."""

from __future__ import annotations

from dataclasses import replace

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
from portalsync.model import (
    Client,
    Contact,
    DesiredPortal,
    ProjectManager,
    Service,
    Settings,
    Source,
)


def at(line: int) -> Source:
    return Source("portal/clients.yaml", line, 5)


def desired_portal(**settings: object) -> DesiredPortal:
    return DesiredPortal(
        settings=Settings(**settings),  # type: ignore[arg-type]
        project_managers=(ProjectManager("mkovacs", "Mária Kovács", "mk@lsp.example", at(3)),),
        services=(
            Service("Legal FR>EN", "Legal FR-EN", "quote", "Contracts", source=at(8)),
            Service("Medical DE>EN", "Medical DE-EN", "manual_project", source=at(12)),
        ),
        clients=(
            Client(
                "Société Générale",
                "Key account",
                ("mkovacs",),
                ("Legal FR>EN",),
                (
                    Contact(
                        "jean@client.example",
                        "Jean Dupont",
                        "requester",
                        ("Legal FR>EN",),
                        source=at(22),
                    ),
                ),
                source=at(17),
            ),
            Client(
                "Acme",
                "",
                ("mkovacs",),
                ("Legal FR>EN", "Medical DE>EN"),
                (Contact("ann@acme.example", "Ann", "manager", ("Medical DE>EN",), source=at(31)),),
                source=at(27),
            ),
        ),
        files=("portal/clients.yaml",),
        digest="d" * 64,
    )


def live_portal() -> LivePortal:
    """The live twin of desired_portal(), plus an admin user and a user outside the PM group."""
    return LivePortal(
        users=(
            LiveUser("u-mk", "mkovacs", "Mária Kovács", "mk@lsp.example", False, 1),
            LiveUser("u-admin", "admin", "Administrator", "", False, 1),
        ),
        project_managers_group=LiveGroup(
            PROJECT_MANAGERS_GROUP, "ProjectManagers", 2, frozenset({"u-mk"})
        ),
        templates=(
            LiveTemplate("t-legal", "Legal FR-EN", "fre", ("eng",)),
            LiveTemplate("t-med", "Medical DE-EN", "ger", ("eng",)),
        ),
        services=(
            LiveService(
                "s-legal", "Legal FR>EN", "Contracts", "t-legal", "quote", False, "fre", ("eng",), 1
            ),
            LiveService(
                "s-med", "Medical DE>EN", "", "t-med", "manual_project", False, "ger", ("eng",), 1
            ),
        ),
        clients=(
            LiveClient("c-sg", "Société Générale", "Key account", ("u-mk",), ("s-legal",), 3),
            LiveClient("c-acme", "Acme", "", ("u-mk",), ("s-med", "s-legal"), 5),
        ),
        contacts=(
            LiveContact(
                "k-jean",
                "c-sg",
                "jean@client.example",
                "Jean Dupont",
                "requester",
                ("s-legal",),
                "active",
                1,
            ),
            LiveContact(
                "k-ann", "c-acme", "ann@acme.example", "Ann", "manager", ("s-med",), "pending", 2
            ),
        ),
    )


def empty_live() -> LivePortal:
    live = live_portal()
    return replace(
        live,
        users=live.users[1:],
        project_managers_group=replace(live.project_managers_group, members=frozenset()),
        services=(),
        clients=(),
        contacts=(),
    )


def many_clients(count: int) -> tuple[DesiredPortal, LivePortal]:
    """`count` identical clients on both sides (for thresholds)."""
    desired, live = desired_portal(), live_portal()
    template = desired.clients[1]
    clients = tuple(
        replace(
            template,
            name=f"Client {n:03}",
            contacts=(replace(template.contacts[0], email=f"c{n}@example.com"),),
        )
        for n in range(count)
    )
    live_clients = tuple(
        replace(live.clients[1], guid=f"c-{n}", name=f"Client {n:03}") for n in range(count)
    )
    contacts = tuple(
        replace(live.contacts[1], guid=f"k-{n}", client_guid=f"c-{n}", email=f"c{n}@example.com")
        for n in range(count)
    )
    return (
        replace(desired, clients=clients),
        replace(live, clients=live_clients, contacts=contacts),
    )
