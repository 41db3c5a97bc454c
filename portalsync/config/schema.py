"""The JSON Schema: a compiled validator for speed, jsonschema to explain what is wrong."""

from __future__ import annotations

import copy
import difflib
import functools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

import fastjsonschema

from portalsync.config.problems import PathPart, format_path
from portalsync.config.yamlfile import Positions

if TYPE_CHECKING:  # jsonschema loads only when a config is wrong: 90 ms off every good run
    import jsonschema

SCHEMA_RESOURCE = "portalsync.schema.json"
_BLANK_PATTERN = "\\S"
_CONTROL_PATTERN = "^(?![\\s\\S]*[\\u0000-\\u001F\\u007F])"

Explained = tuple[tuple[PathPart, ...], str]  # (path, message)


@functools.cache
def schema() -> dict[str, Any]:
    """The schema shipped inside the package (schemas/ in the repository links to it)."""
    text = (
        resources.files("portalsync").joinpath("data").joinpath(SCHEMA_RESOURCE).read_text("utf-8")
    )
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@functools.cache
def _compiled() -> Callable[[Any], Any]:
    # fastjsonschema rewrites $ref in the schema it is given: hand it a copy. Its own email
    # regex is stricter than jsonschema's ('a..b@x.example'), and the two must agree, or the
    # explanation comes out empty: the schema's `pattern` says what an email is, for both.
    validate: Callable[[Any], Any] = fastjsonschema.compile(
        copy.deepcopy(schema()), formats={"email": _has_at_sign}
    )
    return validate


def _has_at_sign(value: str) -> bool:
    return "@" in value  # what jsonschema's FormatChecker checks for "email"


@functools.cache
def _explainer() -> jsonschema.Draft202012Validator:
    import jsonschema

    checker = jsonschema.FormatChecker()
    return jsonschema.Draft202012Validator(schema(), format_checker=checker)


def is_valid(data: Any) -> bool:
    """The fast check: a compiled validator, about ten times quicker than jsonschema."""
    try:
        _compiled()(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def explain(data: Any, positions: Positions) -> list[Explained]:
    """Every schema violation in `data`, each as (path, human message)."""
    found: list[Explained] = []
    typed: set[tuple[PathPart, ...]] = set()  # a wrong type explains every other error there
    empty: set[tuple[PathPart, ...]] = set()  # "must not be empty" says "blank" already
    for error in _explainer().iter_errors(data):
        found.extend(_explain_error(error, data, positions))
        if error.validator == "type":
            typed.add(tuple(error.absolute_path))
        elif error.validator == "minLength":
            empty.add(tuple(error.absolute_path))
    return [
        (path, message)
        for path, message in found
        if not (path in typed and not message.startswith("expected "))
        and not (path in empty and message == _pattern_message(_BLANK_PATTERN, ""))
    ]


@dataclass(frozen=True)
class _Violation:
    """The parts of a jsonschema error that the messages use (its own fields are loosely typed)."""

    path: tuple[PathPart, ...]
    kind: str
    instance: Any
    value: Any  # the schema keyword's value, e.g. the list of required keys
    schema: dict[str, Any]
    message: str

    @classmethod
    def of(cls, error: jsonschema.ValidationError) -> _Violation:
        owner: Any = error.schema
        return cls(
            tuple(error.absolute_path),
            str(error.validator),
            error.instance,
            error.validator_value,
            owner if isinstance(owner, dict) else {},
            error.message,
        )


def _explain_error(
    error: jsonschema.ValidationError, data: Any, positions: Positions
) -> Iterator[Explained]:
    violation = _Violation.of(error)
    path, instance = violation.path, violation.instance
    if violation.kind == "additionalProperties":
        allowed = sorted(violation.schema.get("properties", {}))
        for key in instance:
            if key not in allowed:
                yield (*path, key), _unknown_key(str(key), allowed)
    elif violation.kind == "required":
        for key in violation.value:
            if key not in instance:
                yield path, f"missing required key '{key}'"
    elif violation.kind == "type":
        yield path, _wrong_type(violation, data, positions)
    else:
        yield path, _message(violation)


def _unknown_key(key: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        return f"unknown key '{key}' (did you mean '{close[0]}'?)"
    return f"unknown key '{key}' (allowed: {', '.join(allowed)})"


def _wrong_type(violation: _Violation, data: Any, positions: Positions) -> str:
    got = describe(violation.instance)
    raw = _raw_text(violation.path, data, positions)
    if violation.instance is None and not raw:  # `key:` with nothing after it
        hint = " (write [] for an empty list)" if violation.value == "array" else ""
        return f"expected {_article(violation.value)}, got no value{hint}"
    if raw is not None and violation.value == "string":
        return f"expected a string, but YAML reads {raw} as {got}: quote it"
    return f"expected {_article(violation.value)}, got {got}"


def _raw_text(path: tuple[PathPart, ...], data: Any, positions: Positions) -> str | None:
    if not path:
        return None
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    return positions.raw_text(parent, path[-1])


def _message(violation: _Violation) -> str:
    kind, instance, value = violation.kind, violation.instance, violation.value
    if kind in ("pattern", "format") and violation.schema.get("format") == "email":
        return f"{instance!r} is not a valid email address"
    messages: dict[str, Callable[[], str]] = {
        "enum": lambda: _not_one_of(instance, value),
        "pattern": lambda: _pattern_message(value, violation.message),
        "minLength": lambda: "must not be empty",
        "maxLength": lambda: f"is longer than {value} characters",
        "minimum": lambda: f"{instance} is below the minimum {value}",
        "maximum": lambda: f"{instance} is above the maximum {value}",
        "const": lambda: f"must be {value!r}",
    }
    explain_kind = messages.get(kind)
    return explain_kind() if explain_kind else violation.message


def _pattern_message(pattern: str, default: str) -> str:
    messages = {
        _BLANK_PATTERN: "must not be blank",
        _CONTROL_PATTERN: "must not contain control characters (such as tab or newline)",
    }
    return messages.get(pattern, default)


def _not_one_of(instance: Any, allowed: list[Any]) -> str:
    choices = ", ".join(str(choice) for choice in allowed)
    close = difflib.get_close_matches(str(instance), [str(a) for a in allowed], n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"{instance!r} is not one of: {choices}{hint}"


def _article(expected: Any) -> str:
    names = {
        "string": "a string",
        "boolean": "true or false",
        "integer": "an integer",
        "number": "a number",
        "array": "a list",
        "object": "a mapping",
    }
    if isinstance(expected, list):
        return " or ".join(names.get(str(e), str(e)) for e in expected)
    return names.get(expected, str(expected))


def describe(value: Any) -> str:
    """How a YAML reader would name the kind of a value."""
    kinds: list[tuple[type | tuple[type, ...], str]] = [
        (type(None), "null"),
        (bool, "a boolean"),
        ((int, float), "a number"),
        (str, "a string"),
        (list, "a list"),
        (dict, "a mapping"),
    ]
    for kind, name in kinds:
        if isinstance(value, kind):
            return name
    return f"a {type(value).__name__}"


__all__ = ["describe", "explain", "format_path", "is_valid", "schema"]
