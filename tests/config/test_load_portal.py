"""load_portal and validate_document: the portal they build and the problems they report."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from portalsync.config import Problem, check_portal, load_portal, validate_document
from portalsync.errors import ConfigError
from portalsync.model import Source

REPO = Path(__file__).parent.parent.parent
EXAMPLE = REPO / "examples" / "clients.yaml"
MULTI = REPO / "examples" / "multi-file"

HEAD = """version: 1
project_managers:
  - username: mkovacs
    full_name: Mária Kovács
    email: maria@lsp.example
services:
  - name: Legal FR>EN
    template: Legal FR-EN
    workflow: quote
"""
CLIENT = """clients:
  - name: {name}
    project_managers: [mkovacs]
    services: [Legal FR>EN]
    contacts:
      - email: {email}
        full_name: Bob
        role: requester
"""


def write(path: Path, text: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_example_builds_the_whole_portal() -> None:
    portal, warnings = load_portal([str(EXAMPLE)])
    assert warnings == []
    assert len(portal.clients) == 12
    assert len(portal.services) == 6
    assert {pm.username for pm in portal.project_managers} >= {"mkovacs", "ytanaka"}
    sgt = portal.clients[0]
    assert sgt.previous_names == ("SGT",)
    assert sgt.source == Source(str(EXAMPLE), 59, 5)
    assert sgt.contacts[1].source == Source(str(EXAMPLE), 69, 9)
    assert portal.settings.ignore_clients == ("Test *", "Sandbox*")
    assert portal.settings.source == Source(str(EXAMPLE), 5, 1)
    assert portal.files == (str(EXAMPLE),)
    assert len(portal.digest) == 64


def test_multi_file_example_merges_in_sorted_order() -> None:
    portal, warnings = load_portal([str(MULTI)])
    assert warnings == []
    assert [Path(file).name for file in portal.files] == [
        "budapesti-butorgyar.yaml",
        "sakura-seiki.yaml",
        "weingut-haberle.yaml",
        "portal.yaml",
    ]
    assert [client.name for client in portal.clients] == [
        "Budapesti Bútorgyár Zrt.",
        "株式会社さくら精機",
        "Weingut Häberle",
    ]
    assert portal.settings.setup_rule.contact == "warning"
    assert all(client.source is not None for client in portal.clients)


def test_relative_paths_stay_relative(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    portal, _ = load_portal(["examples/multi-file/"])
    assert portal.files[0] == "examples/multi-file/clients/budapesti-butorgyar.yaml"
    assert str(portal.clients[0].source) == "examples/multi-file/clients/budapesti-butorgyar.yaml:5"


def test_digest_covers_paths_and_bytes(tmp_path: Path) -> None:
    file = write(tmp_path / "p.yaml", HEAD + CLIENT.format(name="Acme", email="b@a.example"))
    portal, _ = load_portal([file])
    content = Path(file).read_bytes()
    expected = hashlib.sha256(f"{file}\0{len(content)}\0".encode() + content).hexdigest()
    assert portal.digest == expected


def test_settings_in_two_files_names_the_first(tmp_path: Path) -> None:
    first = write(tmp_path / "a.yaml", "version: 1\nsettings:\n  prune: false\n")
    second = write(tmp_path / "b.yaml", "version: 1\nsettings:\n  prune: true\n")
    report = check_portal([str(tmp_path)])
    assert [str(p) for p in report.problems] == [
        f"{second}:2:1: error: settings: settings may appear in one file only ({first}:2:1)"
    ]


def test_duplicate_across_files_names_the_earlier_file(tmp_path: Path) -> None:
    first = write(tmp_path / "a.yaml", HEAD + CLIENT.format(name="Acme", email="b@a.example"))
    second = write(
        tmp_path / "b.yaml", "version: 1\n" + CLIENT.format(name='"ACME "', email="c@a.example")
    )
    with pytest.raises(ConfigError) as raised:
        load_portal([first, second])
    assert raised.value.problems == [
        f"{second}:3:5: error: clients[0].name: duplicate client name 'ACME ' "
        f"(same as 'Acme' at {first}:11:5)"
    ]
    assert str(raised.value) == "invalid configuration: 1 error, 0 warnings"


def test_setup_rule_relaxed_to_warning(tmp_path: Path) -> None:
    relax = "settings:\n  setup_rule:\n    contact: warning\n"
    text = HEAD + relax + CLIENT.format(name="Acme", email="b@a.example").split("    contacts")[0]
    file = write(tmp_path / "p.yaml", text)
    portal, warnings = load_portal([file])
    assert portal.clients[0].contacts == ()
    assert [(w.severity, w.path) for w in warnings] == [("warning", "clients[0]")]


def test_all_clients_service_satisfies_the_setup_rule(tmp_path: Path) -> None:
    text = HEAD + "    all_clients: true\n" + CLIENT.format(name="Acme", email="b@a.example")
    text = text.replace("    services: [Legal FR>EN]\n    contacts", "    contacts")
    portal, warnings = load_portal([write(tmp_path / "p.yaml", text)])
    assert portal.clients[0].services == () and warnings == []


def test_environment_variables_are_substituted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PM_EMAIL", "env@lsp.example")
    text = HEAD.replace("maria@lsp.example", "${PM_EMAIL}") + CLIENT.format(
        name="Price $${NOT_A_VAR}", email="b@a.example"
    )
    portal, _ = load_portal([write(tmp_path / "p.yaml", text)])
    assert portal.project_managers[0].email == "env@lsp.example"
    assert portal.clients[0].name == "Price ${NOT_A_VAR}"


def test_plain_variables_are_read_as_yaml_would_quoted_ones_stay_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PRUNE", "false")
    monkeypatch.setenv("MAX_DELETE", "12.5")
    monkeypatch.setenv("YEAR", "2024")
    text = (
        "version: 1\nsettings:\n  prune: ${PRUNE}\n  thresholds:\n"
        "    max_delete_percent: ${MAX_DELETE}\n    min_existing: ${YEAR}\n"
        + HEAD.removeprefix("version: 1\n").replace("maria@lsp.example", "m${YEAR}@lsp.example")
        + CLIENT.format(name='"${YEAR}"', email="b@a.example")
    )
    portal, _ = load_portal([write(tmp_path / "p.yaml", text)])
    assert portal.settings.prune is False
    assert portal.settings.thresholds.max_delete_percent == 12.5
    assert portal.settings.thresholds.min_existing == 2024
    assert portal.project_managers[0].email == "m2024@lsp.example"
    assert portal.clients[0].name == "2024"


def test_merge_keys_expand_and_may_be_overridden(tmp_path: Path) -> None:
    text = (
        "version: 1\nsettings:\n  thresholds: &limits {max_delete_percent: 5, min_existing: 3}\n"
        "  setup_rule:\n    <<: {contact: warning, service: warning}\n    service: error\n"
    )
    portal, _ = load_portal([write(tmp_path / "p.yaml", text)])
    assert portal.settings.thresholds.max_delete_percent == 5
    assert portal.settings.setup_rule.contact == "warning"
    assert portal.settings.setup_rule.service == "error"


def test_default_is_portalsync_yaml_then_portal_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match="no configuration"):
        load_portal([])
    write(tmp_path / "portal" / "a.yaml", "version: 1\n")
    assert load_portal([])[0].files == ("portal/a.yaml",)
    write(tmp_path / "portalsync.yaml", "version: 1\n")
    assert load_portal([])[0].files == ("portalsync.yaml",)


def test_missing_path_and_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    report = check_portal([str(tmp_path / "nope.yaml"), str(tmp_path / "empty")])
    assert [p.message for p in report.problems] == [
        "no *.yaml or *.yml files in this directory",
        "no such file or directory",
    ]


def test_problem_formats_as_one_line() -> None:
    problem = Problem("p.yaml", 14, 9, "error", "clients[2].contacts[0].email", "bad")
    assert str(problem) == "p.yaml:14:9: error: clients[2].contacts[0].email: bad"


def test_validate_document_checks_schema_and_rules() -> None:
    data = {"version": 1, "clients": [{"name": "Acme", "project_managers": ["ghost"]}]}
    messages = [p.message for p in validate_document(data, "export")]
    assert "undeclared project manager 'ghost'" in messages
    assert all(p.file == "export" for p in validate_document(data, "export"))
    assert validate_document({"version": 1}) == []
    assert validate_document({"version": 1, "extra": 1})[0].message.startswith("unknown key")


def test_fifo_is_reported_not_read(tmp_path: Path) -> None:
    # Reading a FIFO blocks until a writer comes: validate would hang instead of reporting.
    os.mkfifo(tmp_path / "given.yaml")
    (tmp_path / "dir").mkdir()
    os.mkfifo(tmp_path / "dir" / "inside.yml")
    report = check_portal([str(tmp_path / "given.yaml"), str(tmp_path / "dir")])
    assert [(Path(p.file).name, p.message) for p in report.problems] == [
        ("inside.yml", "not a regular file"),
        ("given.yaml", "not a regular file"),
    ]
