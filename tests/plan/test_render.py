"""The three outputs of one plan, against golden files; the JSON against its published schema.

Regenerate the golden files after an intended change: PORTALSYNC_UPDATE_GOLDEN=1 pytest tests/plan
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

from portalsync.model import Client, Contact
from portalsync.plan import Plan, make_plan
from portalsync.plan.saved import saved_document
from portalsync.render import render_json, render_markdown, render_text, source_linker
from portalsync.render.markdown import LIMIT

from .factories import at, desired_portal, live_portal

GOLDEN = Path(__file__).parent / "golden"
SCHEMA = Path(__file__).parents[2] / "schemas" / "plan.schema.json"


def review_plan() -> Plan:
    """One of every kind of change, Unicode names included."""
    desired, live = desired_portal(), live_portal()
    sg, acme = desired.clients
    jean = replace(
        sg.contacts[0],
        email="jean.dupont@client.example",
        previous_emails=("jean@client.example",),
        role="manager",
    )
    newcomer = Client(
        "株式会社サクラ",
        "Tokyo",
        ("mkovacs",),
        ("Medical DE>EN",),
        (Contact("sato@sakura.example", "佐藤 健", "requester", source=at(50)),),
        source=at(45),
    )
    desired = replace(
        desired,
        clients=(
            replace(sg, description="Key account since 2019", contacts=(jean,)),
            replace(
                acme,
                name="Acme Corp",
                previous_names=("Acme",),
                services=("Medical DE>EN",),
                contacts=(),
            ),
            newcomer,
        ),
    )
    stray = replace(live.clients[1], guid="c-stray", name="Stray Ltd", version=1)
    live = replace(live, clients=(*live.clients, stray))
    return make_plan(desired, live, "https://memoq.example.com")


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("PORTALSYNC_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_text_output() -> None:
    check_golden("plan.txt", render_text(review_plan()))


def test_json_output_matches_golden_and_schema() -> None:
    text = render_json(review_plan())
    check_golden("plan.json", text)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(json.loads(text), schema, cls=jsonschema.Draft202012Validator)


def test_saved_plan_document_matches_the_schema_too() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    document = json.loads(json.dumps(saved_document(review_plan())))
    jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)


def test_markdown_output_links_sources_in_github_actions() -> None:
    env = {
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": "lsp/portal",
        "GITHUB_SHA": "0123abc",
        "GITHUB_WORKSPACE": "/repo",
    }
    check_golden("plan.md", render_markdown(review_plan(), link=source_linker(env, "/repo")))


def test_gitlab_links_and_none_outside_ci() -> None:
    env = {"CI_PROJECT_URL": "https://gitlab.example/lsp/portal", "CI_COMMIT_SHA": "abc"}
    link = source_linker(env, "/builds/lsp/portal")
    assert link is not None
    assert link(at(7)) == "https://gitlab.example/lsp/portal/-/blob/abc/portal/clients.yaml#L7"
    assert source_linker({}, "/x") is None


def test_no_changes_reads_no_changes_everywhere() -> None:
    plan = make_plan(desired_portal(), live_portal(), "https://memoq.example.com")
    assert render_text(plan) == "No changes.\n"
    assert "No changes." in render_markdown(plan)
    assert json.loads(render_json(plan))["changes"] == []


def test_colour_only_when_asked() -> None:
    plan = review_plan()
    assert "\x1b[" not in render_text(plan)
    assert "\x1b[31m" in render_text(plan, color=True)


@pytest.mark.parametrize("clients", [3000])
def test_markdown_is_capped_with_a_note_saying_what_was_cut(clients: int) -> None:
    desired = desired_portal()
    template = desired.clients[1]
    many = tuple(
        replace(
            template,
            name=f"New client {n:05}",
            contacts=(replace(template.contacts[0], email=f"c{n}@x.example"),),
        )
        for n in range(clients)
    )
    live = replace(live_portal(), clients=(), contacts=())
    plan = make_plan(replace(desired, clients=many), live, "https://memoq.example.com")
    text = render_markdown(plan)
    assert len(text) < LIMIT
    assert "New clients (new portal access): 3000" in text
    assert "Cut to stay below 60,000 characters:" in text
    assert text.count("<details>") == text.count("</details>")


@pytest.mark.parametrize(
    ("clients", "services", "line", "warning"),
    [
        (
            1,
            0,
            "Left alone: 1 unmanaged client and 0 unmanaged services (prune: false).",
            "1 client and 0 services on the server are not declared and are left alone "
            "(prune: false)",
        ),
        (
            2,
            1,
            "Left alone: 2 unmanaged clients and 1 unmanaged service (prune: false).",
            "2 clients and 1 service on the server are not declared and are left alone "
            "(prune: false)",
        ),
    ],
)
def test_unmanaged_counts_read_as_english(
    clients: int, services: int, line: str, warning: str
) -> None:
    from portalsync.diff import LeftAlone
    from portalsync.plan.core import _left_alone_warnings
    from portalsync.render.words import left_alone_line

    left = LeftAlone(0, clients, services, 3)
    plan = replace(review_plan(), left_alone=left)
    assert left_alone_line(plan) == line
    assert _left_alone_warnings(left) == (warning,)
