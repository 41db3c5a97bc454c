"""The exported text: headed, deterministic, commented where the setup rule is relaxed."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import yaml

from portalsync.config import load_portal, validate_document
from portalsync.export.document import render_per_client, render_single
from portalsync.export.files import write_tree
from portalsync.export.portal import export_portal
from portalsync.live import LivePortal

SCHEMA = "https://example.test/portalsync.schema.json"

EXPECTED_SINGLE = """\
# yaml-language-server: $schema=https://example.test/portalsync.schema.json
version: 1

settings:
  # memoQ's setup rule wants every client to have at least one project manager, contact and
  # service. Some clients of the exported portal do not (each is marked below), so the parts
  # they lack are relaxed to warnings: validate passes and still shows every gap.
  # Complete those clients, then remove these lines.
  setup_rule:
    project_manager: warning
    contact: warning

project_managers:
  - username: mkovacs
    full_name: Mária Kovács
    email: mk@lsp.example

services:
  - name: Legal FR>EN
    description: Contracts
    template: Legal FR-EN
    workflow: quote
    all_clients: false
  - name: 'yes'
    description: ''
    template: Legal FR-EN
    workflow: manual_project
    all_clients: true

clients:
  - name: Société Générale
    description: |-
      Key
      account
    project_managers:
      - mkovacs
    services:
      - Legal FR>EN
    contacts:
      - email: Jean@Client.example
        full_name: Jean
        role: requester
        services:
          - Legal FR>EN
      - email: zoe@client.example
        full_name: Zoé
        role: observer
        services: []
  # No project manager or contact yet (memoQ's setup rule, relaxed in settings).
  - name: 東京翻訳
    project_managers: []
    services: []
    contacts: []
"""


def test_the_single_file_reads_well_and_is_exact(live: LivePortal) -> None:
    assert render_single(export_portal(live), SCHEMA) == EXPECTED_SINGLE


def test_the_output_is_the_same_whatever_order_the_server_lists_things_in(
    live: LivePortal,
) -> None:
    shuffled = LivePortal(
        users=live.users[::-1],
        project_managers_group=live.project_managers_group,
        templates=live.templates,
        services=live.services[::-1],
        clients=live.clients[::-1],
        contacts=live.contacts[::-1],
    )
    assert render_single(export_portal(shuffled), SCHEMA) == EXPECTED_SINGLE


def test_per_client_layout_splits_clients_into_their_own_files(live: LivePortal) -> None:
    files = render_per_client(export_portal(live), SCHEMA)
    assert sorted(map(str, files)) == [
        "clients/client-41fee312.yaml",
        "clients/societe-generale.yaml",
        "portal.yaml",
    ]
    portal = yaml.safe_load(files[PurePosixPath("portal.yaml")])
    assert list(portal) == ["version", "settings", "project_managers", "services"]
    for path, text in files.items():
        assert text.startswith(f"# yaml-language-server: $schema={SCHEMA}\nversion: 1\n")
        if path.parent.name == "clients":
            assert list(yaml.safe_load(text)) == ["version", "clients"]
            assert len(yaml.safe_load(text)["clients"]) == 1


def test_the_files_together_hold_what_the_single_file_holds(live: LivePortal) -> None:
    exported = export_portal(live)
    merged: dict[str, list[object]] = {}
    for text in render_per_client(exported, SCHEMA).values():
        for key, value in yaml.safe_load(text).items():
            if isinstance(value, list):
                merged.setdefault(key, []).extend(value)
    single = yaml.safe_load(render_single(exported, SCHEMA))
    assert {key: sorted(map(repr, value)) for key, value in merged.items()} == {
        key: sorted(map(repr, single[key])) for key in ("project_managers", "services", "clients")
    }


def test_the_export_passes_validate_with_the_gaps_as_warnings(live: LivePortal) -> None:
    data = yaml.safe_load(render_single(export_portal(live), SCHEMA))
    problems = validate_document(data)
    assert [problem.severity for problem in problems] == ["warning", "warning"]
    assert all("東京翻訳" in problem.message for problem in problems)


def test_the_per_client_files_load_as_one_portal(live: LivePortal, tmp_path: Path) -> None:
    exported = export_portal(live)
    write_tree(tmp_path / "portal", render_per_client(exported, SCHEMA))
    portal, warnings = load_portal([str(tmp_path / "portal")])
    assert len(warnings) == 2
    assert sorted(client.name for client in portal.clients) == ["Société Générale", "東京翻訳"]
    assert portal.settings.setup_rule == exported.portal.settings.setup_rule
