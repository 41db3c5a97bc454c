"""observe(): the live portal translated into config shape, GUIDs resolved to names."""

from __future__ import annotations

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
from portalsync.observed import observe


def sample() -> LivePortal:
    return LivePortal(
        users=(
            LiveUser("u1", "mkovacs", "Mária Kovács", "mk@lsp.example", False, 1),
            LiveUser("u2", "admin", "Admin", "", False, 1),
        ),
        project_managers_group=LiveGroup(
            PROJECT_MANAGERS_GROUP, "ProjectManagers", 3, frozenset({"u1"})
        ),
        templates=(LiveTemplate("t1", "Legal FR-EN", "fre", ("eng-GB",)),),
        services=(
            LiveService(
                "s1", "Legal FR>EN", "Contracts", "t1", "quote", False, "fre", ("eng-GB",), 2
            ),
        ),
        clients=(LiveClient("c1", "Société Générale", "Key", ("u1", "u-gone"), ("s1",), 4),),
        contacts=(
            LiveContact(
                "k1", "c1", "Jean@Client.example", "Jean", "requester", ("s1",), "active", 1
            ),
        ),
    )


def test_observe_translates_guids_to_names_and_keeps_the_way_back() -> None:
    observed = observe(sample())
    (client,) = observed.portal.clients
    assert client.project_managers == ("mkovacs", "u-gone")  # a dangling GUID stays visible
    assert client.services == ("Legal FR>EN",)
    assert client.contacts[0].services == ("Legal FR>EN",)
    assert observed.portal.services[0].template == "Legal FR-EN"
    assert [pm.username for pm in observed.portal.project_managers] == ["mkovacs"]
    assert observed.clients["société générale"].guid == "c1"
    assert observed.contacts[("société générale", "jean@client.example")].guid == "k1"
    assert set(observed.users) == {"mkovacs", "admin"}
