"""The YAML writer: strings that a reader would take for something else come back as strings."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from portalsync.export.yaml_text import dump

TRICKY = [
    "yes", "no", "on", "off", "Yes", "NO", "y", "n", "true", "False", "null", "Null", "~", "",
    "1e3", "0755", "0o17", "0x1F", "12:30", "1.0", ".5", "-1", "+1", ".inf", ".NaN", "1_000",
    "2024-01-01", " lead", "trail ", "a # b", "#x", "a: b", "- x", "-", "?", "*x", "&x", "!x",
    "%x", "@x", "`x", "|", ">", "[", "{", ",", "'", '"', "it's", "a\nb", "a\nb\n", "a\n\n b \n",
    "tab\tx", "\r\n", "\u2028", "x\x85", "\ufeffx", "<<", "=",
]  # fmt: skip


@pytest.mark.parametrize("value", TRICKY)
def test_a_tricky_string_reads_back_as_itself(value: str) -> None:
    assert yaml.safe_load(dump({"name": value})) == {"name": value}


@pytest.mark.parametrize("value", ["yes", "null", "~", "1e3", "0755", "12:30", "", "0o17", "n"])
def test_strings_that_yaml_1_1_or_1_2_would_retype_are_quoted(value: str) -> None:
    assert dump({"name": value}) == f"name: '{value}'\n"


@pytest.mark.parametrize("value", ["Société Générale", "東京翻訳", "Legal FR>EN", "NaN", "it's"])
def test_ordinary_strings_stay_plain_and_unicode_is_kept(value: str) -> None:
    assert dump({"name": value}) == f"name: {value}\n"


def test_block_style_keeps_key_order_and_indents_lists_under_their_key() -> None:
    text = dump({"z": 1, "a": [{"b": ["x"], "c": []}], "m": True})
    assert text == "z: 1\na:\n  - b:\n      - x\n    c: []\nm: true\n"


def test_multi_line_text_is_a_literal_block() -> None:
    assert dump({"description": "line one\nline two"}) == (
        "description: |-\n  line one\n  line two\n"
    )


def test_long_lines_are_never_folded() -> None:
    value = " ".join(["word"] * 100)
    assert dump({"description": value}) == f"description: {value}\n"


@given(st.text())
def test_any_text_reads_back_as_itself(value: str) -> None:
    assert yaml.safe_load(dump({"name": value, "list": [value]})) == {
        "name": value,
        "list": [value],
    }
