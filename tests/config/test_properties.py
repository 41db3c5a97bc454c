"""Whatever it is fed, the config layer answers with a result or a ConfigError, nothing else."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portalsync.config import Problem, load_portal, validate_document
from portalsync.errors import ConfigError

KEYS = [
    "version", "settings", "prune", "ignore_clients", "thresholds", "max_delete_percent",
    "setup_rule", "contact", "project_managers", "username", "full_name", "email", "services",
    "name", "template", "workflow", "all_clients", "previous_names", "clients", "contacts",
    "role", "description", "previous_emails", "min_existing",
]  # fmt: skip
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.sampled_from(["quote", "requester", "a@b.example", "mkovacs", "Acme", "*"]),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.one_of(st.sampled_from(KEYS), st.text(max_size=6)), children, max_size=5
        ),
    ),
    max_leaves=25,
)
documents = st.one_of(
    values,
    st.fixed_dictionaries({"version": st.just(1)}, optional={k: values for k in KEYS[1:]}),
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def load_text(content: bytes) -> list[Problem]:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "portal.yaml"
        path.write_bytes(content)
        try:
            _, warnings = load_portal([str(path)])
        except ConfigError as error:
            assert error.problems and all(line.startswith(str(path)) for line in error.problems)
            return []
        return warnings


@SETTINGS
@given(st.text(max_size=200))
def test_arbitrary_text(text: str) -> None:
    assert isinstance(load_text(text.encode("utf-8", "surrogatepass")), list)


@SETTINGS
@given(st.binary(max_size=200))
def test_arbitrary_bytes(content: bytes) -> None:
    assert isinstance(load_text(content), list)


@SETTINGS
@given(documents)
def test_arbitrary_data_as_yaml(data: Any) -> None:
    assert isinstance(load_text(yaml.safe_dump(data, allow_unicode=True).encode()), list)


@SETTINGS
@given(documents)
def test_arbitrary_data_validated_directly(data: Any) -> None:
    problems = validate_document(data, "data")
    assert all(isinstance(problem, Problem) for problem in problems)
    assert all(problem.file == "data" for problem in problems)
