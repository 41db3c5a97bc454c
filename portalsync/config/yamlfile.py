"""Reading one YAML file safely, fast, and without losing where each value stands.

Only the safe loader is used (the libyaml C one when present). A loader subclass records, while it
constructs, the mark of every mapping key and sequence item in side tables keyed by the id() of
the container (the data tree keeps those objects alive), so any JSON path can be turned back into
line:column. The same pass refuses duplicate keys, non-string keys and alias bombs, substitutes
`${VAR}` and remembers the text of scalars that YAML did not read as strings (for hints).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from typing import Any, Protocol

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from portalsync.config.problems import PathPart, Problem, format_path
from portalsync.gcpause import gc_paused

# Expanded alias/merge nodes allowed per file: far above real use (an anchored list of services
# reused by 100k clients), far below a "billion laughs" document.
MAX_ALIAS_NODES = 1_000_000
YAML11_BOOLEANS = frozenset({"yes", "no", "on", "off"})
_ENV_VAR = re.compile(r"\$(\$)?\{([A-Za-z_][A-Za-z0-9_]*)\}")
_ENV_SCALARS: dict[str, Any] = {"true": True, "false": False}
_ENV_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_MERGE_TAG = "tag:yaml.org,2002:merge"
_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
# Plain scalars PyYAML (YAML 1.1) reads as text but YAML 1.2 editors read as numbers: `1e3`, `0o17`.
_YAML12_NUMBER = re.compile(
    r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+"
)
_NUMBER_START = frozenset("0123456789+-.")
_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# The safe loader's implicit resolvers by first character (regexes that make `12`, `yes` or `~`
# no string), with the wildcard ones appended, as BaseResolver.resolve tries them.
_Resolvers = tuple[tuple[str, re.Pattern[str]], ...]
_WILDCARD_RESOLVERS: _Resolvers = tuple(_BaseLoader.yaml_implicit_resolvers.get(None, ()))
_IMPLICIT_RESOLVERS: dict[str, _Resolvers] = {
    first: (*resolvers, *_WILDCARD_RESOLVERS)
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    if first is not None
}


class Mark(Protocol):
    line: int  # 0-based, as PyYAML keeps them
    column: int


class LoadRefusedError(Exception):
    """The document is refused as a whole (alias bomb, recursive alias)."""

    def __init__(self, mark: Mark | None, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


class Positions:
    """Where each container, key and item of one loaded document stands."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.starts: dict[int, Mark] = {}  # id(container) -> its start
        self.keys: dict[int, dict[Any, Mark]] = {}  # id(mapping) -> key -> mark of the key
        self.items: dict[int, list[Mark]] = {}  # id(list) -> mark of each item
        self.raw: dict[tuple[int, PathPart], str] = {}  # scalars YAML did not read as str
        self.yaml12_numbers: dict[tuple[int, PathPart], str] = {}  # text to PyYAML, not editors

    def locate(self, data: Any, path: tuple[PathPart, ...]) -> tuple[int, int]:
        """1-based line and column of `path` in `data`, or of its nearest known ancestor."""
        mark = self.starts.get(id(data))
        node = data
        for part in path:
            found = self._mark_of(node, part)
            if found is None:
                break
            mark = found
            node = node[part]
        return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)

    def raw_text(self, container: Any, part: PathPart) -> str | None:
        return self.raw.get((id(container), part))

    def _mark_of(self, node: Any, part: PathPart) -> Mark | None:
        if isinstance(node, dict):
            return self.keys.get(id(node), {}).get(part)
        if isinstance(node, list) and isinstance(part, int):
            marks = self.items.get(id(node), [])
            return marks[part] if 0 <= part < len(marks) else None
        return None


class _Note:
    """A problem met while constructing, before the path of its container is known."""

    def __init__(self, container: Any, part: PathPart | None, mark: Mark, message: str) -> None:
        self.container, self.part, self.mark, self.message = container, part, mark, message


class _PositionLoader(_BaseLoader):  # type: ignore[misc]
    def __init__(self, stream: bytes, positions: Positions) -> None:
        super().__init__(stream)
        self.positions = positions
        self.notes: list[_Note] = []
        self.missing_env: dict[Node, list[str]] = {}
        self.alias_budget = MAX_ALIAS_NODES
        self.sizes: dict[int, int] = {}
        # A merge key is a plain `<<` or an explicit tag (`!!merge`, or through a %TAG handle),
        # so a file with neither cannot have one and its mappings skip the per-mapping search.
        self.may_merge = b"<<" in stream or b"!" in stream

    def resolve(self, kind: type[Node], value: str, implicit: tuple[bool, bool]) -> str:
        """BaseResolver.resolve for scalars, with less work: libyaml calls it for every scalar.

        Most scalars start with a letter no implicit resolver claims (`Client 12`, `email`): they
        are strings after one dict lookup, without the list concatenation of the original; an
        untagged mapping or list gets its default tag without the call to the original.
        """
        if not self.yaml_path_resolvers:
            if kind is ScalarNode:
                if implicit[0]:
                    for tag, regexp in _IMPLICIT_RESOLVERS.get(value[:1], _WILDCARD_RESOLVERS):
                        if regexp.match(value):
                            return tag
                return _STR_TAG
            if kind is MappingNode:
                return _MAP_TAG
            if kind is SequenceNode:
                return _SEQ_TAG
        resolved: str = super().resolve(kind, value, implicit)
        return resolved

    def construct_str(self, node: ScalarNode) -> str:
        value: str = node.value
        return self._substitute(value, node) if "${" in value else value

    def construct_map(self, node: MappingNode) -> Iterator[dict[Any, Any]]:
        data: dict[Any, Any] = {}
        yield data
        self.fill_mapping(data, node)

    def construct_seq(self, node: SequenceNode) -> Iterator[list[Any]]:
        data: list[Any] = []
        yield data
        self.fill_sequence(data, node)

    def fill_mapping(self, data: dict[Any, Any], node: MappingNode) -> None:
        key_marks: dict[Any, Mark] = {}
        self.positions.starts[id(data)] = node.start_mark
        self.positions.keys[id(data)] = key_marks
        pairs = node.value
        if self.may_merge and any(key_node.tag == _MERGE_TAG for key_node, _ in pairs):
            self._fill_merged_mapping(data, node, key_marks)
            return
        # The hot loop of a big load: plain string keys and values skip construct_object.
        for key_node, value_node in pairs:
            if key_node.tag == _STR_TAG and key_node.__class__ is ScalarNode:
                key = key_node.value
            else:
                key = self._key(data, key_node)
                if key is None:
                    continue
            if key in key_marks:
                self._duplicate(data, key, key_marks[key], key_node.start_mark)
                continue
            key_marks[key] = key_node.start_mark
            if value_node.tag == _STR_TAG and value_node.__class__ is ScalarNode:
                value = value_node.value
                data[key] = self._env_value(data, key, value_node) if "${" in value else value
                if value[:1] in _NUMBER_START:
                    self._yaml12_number(data, key, value_node)
            else:
                data[key] = self._value(data, key, value_node, key_node.start_mark)

    def _fill_merged_mapping(
        self, data: dict[Any, Any], node: MappingNode, key_marks: dict[Any, Mark]
    ) -> None:
        """The general path: merged pairs first (they may be overridden), own pairs last."""
        own_count = self._expand_merges(node)
        merged_count = len(node.value) - own_count
        own_keys: dict[Any, Mark] = {}
        for index, (key_node, value_node) in enumerate(node.value):
            key = self._key(data, key_node)
            if key is None:
                continue
            if index >= merged_count:
                if key in own_keys:
                    self._duplicate(data, key, own_keys[key], key_node.start_mark)
                    continue
                own_keys[key] = key_node.start_mark
            key_marks[key] = key_node.start_mark
            data[key] = self._value(data, key, value_node, key_node.start_mark)

    def fill_sequence(self, data: list[Any], node: SequenceNode) -> None:
        marks: list[Mark] = []
        self.positions.starts[id(data)] = node.start_mark
        self.positions.items[id(data)] = marks
        for index, item_node in enumerate(node.value):
            marks.append(item_node.start_mark)
            if item_node.tag == _STR_TAG and item_node.__class__ is ScalarNode:
                value = item_node.value
                data.append(self._env_value(data, index, item_node) if "${" in value else value)
                if value[:1] in _NUMBER_START:
                    self._yaml12_number(data, index, item_node)
            else:
                data.append(self._value(data, index, item_node, node.start_mark))

    def _yaml12_number(self, container: Any, part: PathPart, node: ScalarNode) -> None:
        if not node.style and _YAML12_NUMBER.fullmatch(node.value):  # plain: None or ""
            self.positions.yaml12_numbers[(id(container), part)] = node.value

    def _env_value(self, container: Any, part: PathPart, node: ScalarNode) -> Any:
        value = self._substitute(node.value, node)
        self._env_notes(container, part, node)
        if node.style:  # quoted: text whatever the variable holds
            return value
        # Plain: read the result as YAML would have read it written there, so
        # `prune: ${PRUNE}` with PRUNE=false is a boolean (as with envsubst before parsing).
        return (
            _ENV_SCALARS.get(value, value) if not _ENV_NUMBER.fullmatch(value) else _number(value)
        )

    def _env_notes(self, container: Any, part: PathPart, node: Node) -> None:
        for name in self.missing_env.pop(node, ()):
            message = f"undefined environment variable '{name}'"
            self.notes.append(_Note(container, part, node.start_mark, message))

    def _key(self, data: dict[Any, Any], key_node: Node) -> Any:
        if not isinstance(key_node, ScalarNode):
            self.notes.append(_Note(data, None, key_node.start_mark, "a key must be plain text"))
            return None
        key = self.construct_object(key_node)
        if not isinstance(key, str):
            text = str(key_node.value)
            message = f"key {text!r} is read as {_kind(key)}; quote it"
            self.notes.append(_Note(data, text, key_node.start_mark, message))
            return text
        return key

    def _duplicate(self, data: dict[Any, Any], key: str, first: Mark, mark: Mark) -> None:
        message = f"duplicate key '{key}' (first at line {first.line + 1}:{first.column + 1})"
        self.notes.append(_Note(data, key, mark, message))

    def _value(self, container: Any, part: PathPart, node: Node, where: Mark) -> Any:
        if node in self.constructed_objects:  # an alias: count what it expands to
            self._spend(node, where)
            value = self.construct_object(node)
        else:
            value = self._construct_new(node)
        if value.__class__ is not str and node.__class__ is ScalarNode:
            self.positions.raw[(id(container), part)] = node.value
        if self.missing_env:
            self._env_notes(container, part, node)
        return value

    def _construct_new(self, node: Node) -> Any:
        """construct_object for a node met for the first time, quicker for plain containers.

        A config has one mapping or list per few scalars; for those this does what
        construct_object does through construct_map/construct_seq (the empty container now, its
        filling queued in state_generators, so the order of filling is the same) without its
        bookkeeping, which a container in its first construction never needs.
        """
        if node.__class__ is MappingNode and node.tag == _MAP_TAG and not self.deep_construct:
            mapping: dict[Any, Any] = {}
            self.state_generators.append(_later(self.fill_mapping, mapping, node))
            self.constructed_objects[node] = mapping
            return mapping
        if node.__class__ is SequenceNode and node.tag == _SEQ_TAG and not self.deep_construct:
            sequence: list[Any] = []
            self.state_generators.append(_later(self.fill_sequence, sequence, node))
            self.constructed_objects[node] = sequence
            return sequence
        return self.construct_object(node)

    def _expand_merges(self, node: MappingNode) -> int:
        """Apply `<<` merge keys (merged pairs first, own pairs last); return the own count."""
        own = [pair for pair in node.value if pair[0].tag != _MERGE_TAG]
        if len(own) != len(node.value):
            for key_node, value_node in node.value:
                if key_node.tag == _MERGE_TAG:
                    self._spend(value_node, key_node.start_mark)
            self.flatten_mapping(node)
        return len(own)

    def _spend(self, node: Node, mark: Mark) -> None:
        self.alias_budget -= self._expanded_size(node, mark)
        if self.alias_budget < 0:
            raise LoadRefusedError(
                mark, f"aliases and merge keys expand beyond {MAX_ALIAS_NODES:,} nodes"
            )

    def _expanded_size(self, root: Node, mark: Mark) -> int:
        """How many nodes `root` stands for once every alias in it is expanded."""
        sizes = self.sizes
        in_progress: set[int] = set()
        stack: list[Node] = [root]
        while stack:
            node = stack[-1]
            if id(node) in sizes:
                stack.pop()
                continue
            children = _children(node)
            pending = [child for child in children if id(child) not in sizes]
            if not pending or id(node) in in_progress:
                if pending:
                    raise LoadRefusedError(mark, "an alias refers to the anchor that contains it")
                sizes[id(node)] = 1 + sum(sizes[id(child)] for child in children)
                in_progress.discard(id(node))
                stack.pop()
            else:
                in_progress.add(id(node))
                stack.extend(pending)
        return sizes[id(root)]

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (LookupError, AttributeError, TypeError, ValueError, OverflowError) as error:
            # An explicit tag the value does not fit (`!!bool x`, `!!timestamp x`, `!!int x`,
            # an empty `!!int` or `!!float`, which fails with IndexError):
            # PyYAML's constructors fail with a bare Python error, without a place.
            tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
            value = repr(node.value) if isinstance(node, ScalarNode) else "this value"
            message = f"{value} cannot be read as {tag}"
            raise yaml.constructor.ConstructorError(None, None, message, node.start_mark) from error

    def construct_timestamp(self, node: ScalarNode) -> Any:
        try:
            return self.construct_yaml_timestamp(node)
        except ValueError:  # 2020-13-45 matches the timestamp pattern but is no date
            return node.value

    def _substitute(self, value: str, node: ScalarNode) -> str:
        def replace(match: re.Match[str]) -> str:
            escaped, name = match.group(1), match.group(2)
            if escaped:
                return "${" + name + "}"
            if name not in os.environ:
                self.missing_env.setdefault(node, []).append(name)
                return match.group(0)
            return os.environ[name]

        return _ENV_VAR.sub(replace, value)


def _number(text: str) -> int | float:
    return float(text) if "." in text else int(text)


if not _PositionLoader.yaml_path_resolvers:
    # libyaml calls these two around each of the document's nodes; without path resolvers they
    # do nothing, so builtins that accept the same arguments and do nothing stand in for them
    # (no Python frame per node).
    _PositionLoader.descend_resolver = slice  # descend_resolver(parent, index)
    _PositionLoader.ascend_resolver = tuple  # ascend_resolver()

_PositionLoader.add_constructor("tag:yaml.org,2002:str", _PositionLoader.construct_str)
_PositionLoader.add_constructor("tag:yaml.org,2002:map", _PositionLoader.construct_map)
_PositionLoader.add_constructor("tag:yaml.org,2002:seq", _PositionLoader.construct_seq)
_PositionLoader.add_constructor("tag:yaml.org,2002:timestamp", _PositionLoader.construct_timestamp)


def _later(fill: Callable[[Any, Any], None], data: Any, node: Node) -> Iterator[None]:
    """`fill(data, node)` once the document's other containers exist (as construct_map does)."""
    fill(data, node)
    yield from ()


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [child for pair in node.value for child in pair]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []


def _kind(value: Any) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", type(None): "null"}
    return names.get(type(value), f"a {type(value).__name__}")


def load_yaml(file: str, content: bytes) -> tuple[Any, Positions, list[Problem]]:
    """Parse one file; on a problem that stops parsing, the data is None."""
    positions = Positions(file)
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _line_column(content[: error.start].decode("utf-8", "replace"))
        byte = content[error.start]
        return (
            None,
            positions,
            [_problem(file, line, column, f"not UTF-8 text (byte 0x{byte:02x})")],
        )
    loader = _PositionLoader(content, positions)
    try:
        with gc_paused():
            data = loader.get_single_data()
    except LoadRefusedError as refused:
        line, column = _mark_position(refused.mark)
        return None, positions, [_problem(file, line, column, refused.message)]
    except yaml.MarkedYAMLError as error:
        return None, positions, [_syntax_problem(file, text, error)]
    except (yaml.YAMLError, ValueError, OverflowError) as error:
        # ReaderError (control characters) and constructor value errors (a bad timestamp).
        return None, positions, [_reader_problem(file, text, error)]
    except RecursionError:
        return None, positions, [_problem(file, 1, 1, "YAML nested too deeply")]
    finally:
        loader.dispose()
    return data, positions, _notes_to_problems(file, data, positions, loader.notes)


def _notes_to_problems(
    file: str, data: Any, positions: Positions, notes: list[_Note]
) -> list[Problem]:
    if not notes:
        return []
    paths = container_paths(data)
    problems = []
    for note in notes:
        path = paths.get(id(note.container), ())
        if note.part is not None:
            path = (*path, note.part)
        line, column = _mark_position(note.mark)
        problems.append(_problem(file, line, column, note.message, format_path(path)))
    return problems


def container_paths(data: Any) -> dict[int, tuple[PathPart, ...]]:
    """id() of every container in `data` -> its path (the first path, for shared aliases)."""
    paths: dict[int, tuple[PathPart, ...]] = {}
    stack: list[tuple[Any, tuple[PathPart, ...]]] = [(data, ())]
    while stack:
        node, path = stack.pop()
        if id(node) in paths:
            continue
        if isinstance(node, dict):
            paths[id(node)] = path
            stack.extend((value, (*path, key)) for key, value in node.items())
        elif isinstance(node, list):
            paths[id(node)] = path
            stack.extend((value, (*path, index)) for index, value in enumerate(node))
    return paths


def _syntax_problem(file: str, text: str, error: yaml.MarkedYAMLError) -> Problem:
    line, column = _mark_position(error.problem_mark)
    if _char_at(text, line, column) == "\t":
        return _problem(file, line, column, "tab character: YAML indents with spaces, not tabs")
    message = error.problem or "invalid YAML"
    if error.context and error.context_mark is not None:
        context_line, context_column = _mark_position(error.context_mark)
        message = f"{message} ({error.context} at {context_line}:{context_column})"
    return _problem(file, line, column, f"YAML syntax: {message}")


def _reader_problem(file: str, text: str, error: Exception) -> Problem:
    position = getattr(error, "position", None)
    if isinstance(position, int):
        line, column = _line_column(text[:position])
        character = getattr(error, "character", None)
        if isinstance(character, int):
            character = chr(character)
        if character is not None:
            return _problem(file, line, column, f"control character {character!r} is not allowed")
        return _problem(file, line, column, f"unreadable YAML: {error}")
    return _problem(file, 1, 1, f"unreadable YAML: {error}".splitlines()[0])


def _problem(file: str, line: int, column: int, message: str, path: str = "") -> Problem:
    return Problem(file, line, column, "error", path or format_path(()), message)


def _mark_position(mark: Mark | None) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _line_column(prefix: str) -> tuple[int, int]:
    line = prefix.count("\n") + 1
    return line, len(prefix) - (prefix.rfind("\n") + 1) + 1


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    if 0 < line <= len(lines) and 0 < column <= len(lines[line - 1]):
        return lines[line - 1][column - 1]
    return ""
