"""Each broken config in tests/fixtures/invalid/ is reported with its exact place and message."""

from __future__ import annotations

from pathlib import Path

import pytest

from portalsync.config import check_portal

FIXTURES = Path(__file__).parent.parent / "fixtures" / "invalid"
NOT_A_CONFIG = "a portalsync config is a mapping that starts with 'version: 1'"
SETUP = "memoQ's setup rule; settings.setup_rule.{0}: warning relaxes it"

# fixture name -> every line it produces, without the leading "FILE:"
EXPECTED: dict[str, list[str]] = {
    "alias_bomb": ["7:4: error: (root): aliases and merge keys expand beyond 1,000,000 nodes"],
    "bad_email": ["5:5: error: project_managers[0].email: 'bob@' is not a valid email address"],
    "bad_role_enum": [
        "17:9: error: clients[0].contacts[0].role: 'admin' is not one of: "
        "requester, observer, manager"
    ],
    "bad_workflow_enum": [
        "9:5: error: services[0].workflow: 'quotes' is not one of: "
        "quote, manual_project, automatic_project (did you mean 'quote'?)"
    ],
    "binary_garbage": ["1:1: error: (root): not UTF-8 text (byte 0x89)"],
    "blank_name": ["11:5: error: clients[0].name: must not be blank"],
    "client_without_contact": [
        f"11:5: error: clients[0]: client 'Acme' has no contact ({SETUP.format('contact')})"
    ],
    "client_without_project_manager": [
        "11:5: error: clients[0]: client 'Acme' has no project manager "
        f"({SETUP.format('project_manager')})"
    ],
    "client_without_service": [
        f"11:5: error: clients[0]: client 'Acme' has no service ({SETUP.format('service')})"
    ],
    "contact_service_not_offered": [
        "21:20: error: clients[0].contacts[0].services[0]: service 'Medical DE>EN' is not "
        "offered to client 'Acme' (add it to the client's services, or set all_clients: true "
        "on the service)"
    ],
    "control_character_in_name": [
        "11:5: error: clients[0].name: must not contain control characters (such as tab or newline)"
    ],
    "duplicate_client_name_differs_in_accents": [
        "18:5: error: clients[1].name: duplicate client name 'Cafe\u0301 Noir' (same as "
        "'Café Noir' at {file}:11:5)"
    ],
    "duplicate_client_name_differs_in_case": [
        "18:5: error: clients[1].name: duplicate client name 'ACME' (same as 'Acme' at {file}:11:5)"
    ],
    "duplicate_client_name_trailing_space": [
        "18:5: error: clients[1].name: duplicate client name 'Acme ' (same as 'Acme' at "
        "{file}:11:5)"
    ],
    "duplicate_contact_email": [
        "22:9: error: clients[1].contacts[0].email: duplicate contact email 'BOB@acme.example' "
        "(same as 'bob@acme.example' at {file}:15:9)"
    ],
    "duplicate_key": [
        "10:5: error: services[0].workflow: duplicate key 'workflow' (first at line 9:5)"
    ],
    "duplicate_pm_username": [
        "6:5: error: project_managers[1].username: duplicate project manager username "
        "'MKovacs ' (same as 'mkovacs' at {file}:3:5)"
    ],
    "duplicate_settings_key": [
        "4:1: error: settings: duplicate key 'settings' (first at line 2:1)"
    ],
    "empty_file": [f"1:1: error: (root): empty file: not a portalsync config ({NOT_A_CONFIG})"],
    "explicit_tag_does_not_fit": [
        "3:10: error: (root): YAML syntax: 'maybe' cannot be read as !!bool"
    ],
    # PyYAML's int and float constructors fail on an empty value with IndexError, which escaped
    # as "unexpected IndexError" (exit 1).
    "explicit_empty_number_tag": ["4:25: error: (root): YAML syntax: '' cannot be read as !!float"],
    "ignore_pattern_matches_declared_client": [
        "3:20: error: settings.ignore_clients[0]: ignore_clients pattern 'ac*' matches "
        "declared client 'Acme' at {file}:13:5"
    ],
    "merge_key_duplicate": [
        "2:1: error: base: unknown key 'base' "
        "(allowed: clients, project_managers, services, settings, version)",
        "6:3: error: settings.prune: duplicate key 'prune' (first at line 5:3)",
    ],
    "missing_required_key": ["7:5: error: services[0]: missing required key 'template'"],
    "missing_version": [
        f"1:1: error: (root): not a portalsync config: no 'version: 1' ({NOT_A_CONFIG})"
    ],
    "name_read_as_boolean": [
        "11:5: error: clients[0].name: expected a string, but YAML reads NO as a boolean: quote it"
    ],
    "name_read_as_number": [
        "11:5: error: clients[0].name: expected a string, but YAML reads 1.0 as a number: quote it"
    ],
    "name_read_as_number_by_editors": [
        "7:5: error: services[0].name: YAML 1.2 editors read 1e3 as a number, PyYAML as text: "
        "quote it ('1e3')",
        "10:30: error: services[0].previous_names[1]: YAML 1.2 editors read 0o17 as a number, "
        "PyYAML as text: quote it ('0o17')",
    ],
    "name_read_as_sexagesimal": [
        "11:5: error: clients[0].name: expected a string, but YAML reads 12:30 as a number: "
        "quote it"
    ],
    "non_string_key": ["2:1: error: 1: key '1' is read as a number; quote it"],
    "previous_name_clashes_with_client": [
        "19:22: error: clients[1].previous_names[0]: duplicate client name 'acme' "
        "(same as 'Acme' at {file}:11:5)"
    ],
    "recursive_alias": ["2:10: error: (root): an alias refers to the anchor that contains it"],
    "service_referenced_by_previous_name": [
        "14:16: error: clients[0].services[0]: 'Legal French' is a previous name of service "
        "'Legal FR>EN': use the current name"
    ],
    "syntax_error_unclosed_bracket": [
        "5:13: error: (root): YAML syntax: did not find expected ',' or ']' "
        "(while parsing a flow sequence at 4:15)"
    ],
    "tab_indentation": ["4:1: error: (root): tab character: YAML indents with spaces, not tabs"],
    "threshold_out_of_range": [
        "4:5: error: settings.thresholds.max_delete_percent: 150 is above the maximum 100"
    ],
    "threshold_not_a_number": [
        "4:5: error: settings.thresholds.max_delete_percent: must be a number, not .nan"
    ],
    "top_level_list": [
        f"1:1: error: (root): not a portalsync config: the top level is a list ({NOT_A_CONFIG})"
    ],
    "typo_in_nested_key": [
        "18:9: error: clients[0].contacts[0].servces: unknown key 'servces' "
        "(did you mean 'services'?)"
    ],
    "undeclared_project_manager": [
        "12:33: error: clients[0].project_managers[1]: undeclared project manager 'jdoe'"
    ],
    "undeclared_service": ["13:29: error: clients[0].services[1]: undeclared service 'Medical'"],
    "undefined_env_var": [
        "4:16: error: project_managers[0].full_name: undefined environment variable "
        "'PORTALSYNC_TEST_UNDEFINED_NAME'"
    ],
    "unknown_top_level_key": [
        "10:1: error: project_manager: unknown key 'project_manager' "
        "(did you mean 'project_managers'?)"
    ],
    "unsupported_version": [
        "1:1: error: version: unsupported version 2: this portalsync reads version 1"
    ],
    "value_missing": [
        "3:5: error: project_managers[0].username: expected a string, got no value",
        "4:5: error: project_managers[0].full_name: must not be empty",
        "6:1: error: services: expected a list, got no value (write [] for an empty list)",
    ],
    "workflow_read_as_boolean": [
        "5:5: error: services[0].workflow: expected a string, but YAML reads no as a boolean: "
        "quote it"
    ],
    "yaml11_boolean": [
        "3:3: error: settings.prune: 'yes' is a YAML 1.1 boolean that YAML 1.2 editors reject: "
        "write true"
    ],
}


def test_every_fixture_has_an_expectation() -> None:
    assert sorted(path.stem for path in FIXTURES.glob("*.yaml")) == sorted(EXPECTED)
    assert len(EXPECTED) >= 25


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_is_reported_exactly(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PORTALSYNC_TEST_UNDEFINED_NAME", raising=False)
    file = str(FIXTURES / f"{name}.yaml")
    report = check_portal([file])
    expected = [f"{file}:{line.format(file=file)}" for line in EXPECTED[name]]
    assert [str(problem) for problem in report.problems] == expected
    assert report.portal is None
