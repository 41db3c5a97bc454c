"""A small hand-built live portal: two PMs (one unassigned), a client lacking setup parts."""

from __future__ import annotations

import pytest

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


@pytest.fixture
def live() -> LivePortal:
    return LivePortal(
        users=(
            LiveUser("u1", "mkovacs", "Mária Kovács", "mk@lsp.example", False, 1),
            LiveUser("u2", "idle", "Idle PM", "idle@lsp.example", False, 1),
            LiveUser("u3", "admin", "Admin", "", False, 1),
        ),
        project_managers_group=LiveGroup(
            PROJECT_MANAGERS_GROUP, "ProjectManagers", 3, frozenset({"u1", "u2"})
        ),
        templates=(LiveTemplate("t1", "Legal FR-EN", "fre", ("eng-GB",)),),
        services=(
            LiveService("s2", "yes", "", "t1", "manual_project", True, "fre", ("eng-GB",), 1),
            LiveService(
                "s1", "Legal FR>EN", "Contracts", "t1", "quote", False, "fre", ("eng-GB",), 2
            ),
        ),
        clients=(
            LiveClient("c2", "東京翻訳", "", (), (), 1),
            LiveClient("c1", "Société Générale", "Key\naccount", ("u1",), ("s1", "s-gone"), 4),
        ),
        contacts=(
            LiveContact("k2", "c1", "zoe@client.example", "Zoé", "observer", (), "active", 1),
            LiveContact(
                "k1", "c1", "Jean@Client.example", "Jean", "requester", ("s1",), "pending", 1
            ),
        ),
    )
