"""The schema itself, the examples against an independent validator, and the validate command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from portalsync.cli import cli
from portalsync.config.schema import schema

REPO = Path(__file__).parent.parent.parent
SCHEMA_FILE = REPO / "schemas" / "portalsync.schema.json"
EXAMPLES = [REPO / "examples" / "clients.yaml", *(REPO / "examples" / "multi-file").rglob("*.yaml")]


def test_schema_passes_its_meta_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(schema())
    assert json.loads(SCHEMA_FILE.read_text("utf-8")) == schema()  # the symlink ships the same


def test_every_property_has_title_and_description() -> None:
    def properties(node: object) -> list[tuple[str, dict[str, object]]]:
        found = []
        if isinstance(node, dict):
            for name, child in node.get("properties", {}).items():
                found.append((name, child))
            for child in node.values():
                found.extend(properties(child))
        elif isinstance(node, list):
            for child in node:
                found.extend(properties(child))
        return found

    found = properties(schema())
    assert len(found) > 25
    assert [name for name, child in found if not child.get("title")] == []
    assert [name for name, child in found if not child.get("description")] == []


def test_examples_pass_check_jsonschema() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--schemafile", str(SCHEMA_FILE)]
        + [str(path) for path in EXAMPLES],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(EXAMPLES) == 5


def test_validate_examples_exit_0() -> None:
    for target in ("examples/clients.yaml", "examples/multi-file/"):
        result = CliRunner().invoke(cli, ["validate", str(REPO / target)])
        assert result.exit_code == 0, result.output
        assert "Valid:" in result.output


def test_validate_invalid_exits_3_with_sorted_lines(tmp_path: Path) -> None:
    bad = tmp_path / "p.yaml"
    bad.write_text("version: 1\nclients:\n  - name: A\n    servces: []\n  - nam: B\n")
    result = CliRunner().invoke(cli, ["validate", str(bad)])
    assert result.exit_code == 3
    lines = result.output.splitlines()
    assert lines[:2] == [
        f"{bad}:4:5: error: clients[0].servces: unknown key 'servces' (did you mean 'services'?)",
        f"{bad}:5:5: error: clients[1]: missing required key 'name'",
    ]
    assert "Traceback" not in result.output


def test_validate_json_format(tmp_path: Path) -> None:
    bad = tmp_path / "p.yaml"
    bad.write_text("version: 1\nsettings:\n  prune: off\n")
    result = CliRunner().invoke(cli, ["validate", "--format", "json", str(bad)])
    assert result.exit_code == 3
    document = json.loads(result.stdout)
    assert document["valid"] is False
    assert document["summary"] == {"errors": 1, "warnings": 0}
    assert document["problems"][0] == {
        "file": str(bad),
        "line": 3,
        "column": 3,
        "severity": "error",
        "path": "settings.prune",
        "message": "'off' is a YAML 1.1 boolean that YAML 1.2 editors reject: write false",
    }


def test_validate_as_a_process_never_tracebacks(tmp_path: Path) -> None:
    garbage = tmp_path / "g.yaml"
    garbage.write_bytes(b"\x00\x01\x02version: 1")
    result = subprocess.run(
        [sys.executable, "-m", "portalsync", "validate", str(garbage)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 3
    assert result.stderr.startswith(f"{garbage}:1:1: error: (root): control character")


def test_missing_path_is_a_usage_error_naming_path(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "nope.yaml")])
    assert "Invalid value for '[PATH]...'" in result.output
    assert "Usage: cli validate [OPTIONS] [PATH]..." in result.output


def test_validate_json_without_any_config_is_still_a_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["validate", "--format", "json"])
    assert result.exit_code == 3
    document = json.loads(result.stdout)
    assert document["valid"] is False
    assert document["files"] == []
    assert document["problems"][0]["message"].startswith("no configuration: pass a PATH")
