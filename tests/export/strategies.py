"""Hypothesis strategies for whole live portals, consistent the way the server keeps them."""

from __future__ import annotations

from hypothesis import strategies as st

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
from portalsync.model import ROLES, WORKFLOWS
from portalsync.names import name_key

# Strings a YAML reader would take for something else, and names that are hard on file systems.
TRICKY = [
    "yes", "No", "on", "OFF", "null", "~", "true", "1e3", "0755", "0o17", "12:30", "1.0", "-1",
    ".inf", "2024-01-01", "a # b", "a: b", "- x", "#hash", "*star", "&amp", "!bang", "%pct",
    "@at", "`tick", "'quote", '"dq"', "[x]", "{x}", "Société Générale", "東京翻訳", "Ωμέγα",
    "con", "NUL", "com1", "a/b", "..", "C:\\temp", "emoji 🎉", "cafe\u0301",
]  # fmt: skip

_name_chars = st.characters(blacklist_categories=["Cc", "Cs"], blacklist_characters="\x00")
NAMES = st.one_of(
    st.sampled_from(TRICKY),
    st.text(_name_chars, min_size=1, max_size=24).filter(lambda text: text.strip() != ""),
)
DESCRIPTIONS = st.one_of(
    st.just(""),
    st.sampled_from(TRICKY),
    st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=40),
)
_local = st.from_regex(r"[a-zA-Z0-9][a-zA-Z0-9_+-]{0,8}(\.[a-zA-Z0-9_+-]{1,4})?", fullmatch=True)
# Local parts the server accepts (its pattern is the schema's) though RFC 5322 would not.
_contact_local = st.one_of(
    _local, st.sampled_from(["a..b", ".lead", "trail.", "o'neil", "jürgen", "x%y", "a!b#c"])
)


def unique_names(min_size: int, max_size: int) -> st.SearchStrategy[list[str]]:
    return st.lists(NAMES, min_size=min_size, max_size=max_size, unique_by=name_key)


@st.composite
def live_portals(draw: st.DrawFn, templates: tuple[LiveTemplate, ...]) -> LivePortal:
    """A live portal over `templates` (the server's own, for server round trips)."""
    usernames = draw(st.lists(_local, min_size=1, max_size=4, unique_by=name_key))
    users = tuple(
        LiveUser(f"u{i}", username, draw(NAMES), f"{username}@lsp.example", False, 1)
        for i, username in enumerate(usernames)
    )
    members = draw(st.sets(st.sampled_from([user.guid for user in users])))
    services = tuple(
        LiveService(
            f"s{i}",
            name,
            draw(DESCRIPTIONS),
            draw(st.sampled_from(templates)).guid,
            draw(st.sampled_from(WORKFLOWS)),
            draw(st.booleans()),
            "",
            (),
            1,
        )
        for i, name in enumerate(draw(unique_names(0, 4)))
    )
    clients: list[LiveClient] = []
    contacts: list[LiveContact] = []
    for i, name in enumerate(draw(unique_names(0, 5))):
        client = LiveClient(
            f"c{i}",
            name,
            draw(DESCRIPTIONS),
            tuple(draw(_subset(sorted(members)))),
            tuple(draw(_subset([service.guid for service in services]))),
            1,
        )
        clients.append(client)
        orderable = [s.guid for s in services if s.all_clients or s.guid in client.services]
        for j, local in enumerate(draw(st.lists(_contact_local, max_size=3, unique_by=name_key))):
            contacts.append(
                LiveContact(
                    f"k{i}-{j}",
                    client.guid,
                    f"{local}@client{i}.example",
                    draw(NAMES),
                    draw(st.sampled_from(ROLES)),
                    tuple(draw(_subset(orderable))),
                    "active",
                    1,
                )
            )
    group = LiveGroup(PROJECT_MANAGERS_GROUP, "ProjectManagers", 1, frozenset(members))
    return LivePortal(users, group, templates, services, tuple(clients), tuple(contacts))


def _subset(items: list[str]) -> st.SearchStrategy[list[str]]:
    if not items:
        return st.just([])
    return st.lists(st.sampled_from(items), unique=True, max_size=len(items))
