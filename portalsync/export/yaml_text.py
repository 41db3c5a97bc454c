"""Deterministic YAML text for config documents: block style, unicode kept, keys in the order given,
and quotes exactly where a YAML reader would otherwise see something other than the string.

PyYAML's safe dumper already quotes strings that YAML 1.1 would resolve to another type (`yes`,
`null`, `0755`, `12:30`). Editors read YAML 1.2 (config.md), which also turns `1e3` and `0o17` into
numbers, so strings matching the 1.2 core schema are quoted as well.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

# YAML 1.2 core schema scalars that are not strings (spec 1.2.2, section 10.3.2).
_YAML12_NOT_STRING = re.compile(
    r"""(?x)
    (?: null | Null | NULL | ~
      | y | Y | n | N  # YAML 1.1 booleans PyYAML reads as strings but other 1.1 readers do not
      | true | True | TRUE | false | False | FALSE
      | [-+]? [0-9]+ | 0o [0-7]+ | 0x [0-9a-fA-F]+
      | [-+]? (?: \.[0-9]+ | [0-9]+ (?: \.[0-9]* )? ) (?: [eE] [-+]? [0-9]+ )?
      | [-+]? \. (?: inf | Inf | INF ) | \. (?: nan | NaN | NAN )
    )\Z
    """
)

_LINE_SEPARATORS = "\x85\u2028\u2029"
_WIDTH = 1 << 30  # never fold a long line: a diff of one changed word stays one line


class ConfigDumper(yaml.SafeDumper):
    """Indents block sequences under their key, as people write them (`clients:\\n  - name:`)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: ConfigDumper, value: str) -> yaml.ScalarNode:
    style: str | None = None
    if any(char in _LINE_SEPARATORS for char in value):
        style = '"'  # escaped: a raw one would be a line break to some readers, not to others
    elif _YAML12_NOT_STRING.match(value):
        style = "'"
    elif "\n" in value:
        style = "|"  # the emitter falls back to quotes when a literal block cannot hold it
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


ConfigDumper.add_representer(str, _represent_str)


def dump(data: Any) -> str:
    """`data` (dicts, lists, str, bool, int, float) as block-style YAML text ending in a newline."""
    return yaml.dump(
        data,
        Dumper=ConfigDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=_WIDTH,
        explicit_start=False,
    )
