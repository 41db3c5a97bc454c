"""Project templates the server starts with: a built-in set, or a YAML `--seed` file."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

# Stable GUIDs: a template's GUID derives from its name, so a re-seeded database keeps them.
_TEMPLATE_NAMESPACE = uuid.UUID("7d1c3a52-4f0e-4a8e-9a51-2c6f3b0d9e11")


@dataclass(frozen=True)
class Template:
    name: str
    source_language: str
    target_languages: tuple[str, ...]

    @property
    def guid(self) -> str:
        return str(uuid.uuid5(_TEMPLATE_NAMESPACE, self.name))


BUILT_IN_TEMPLATES = (
    Template("General EN-DE/FR/ES", "eng", ("ger", "fre", "spa")),
    Template("Legal FR-EN", "fre", ("eng-GB",)),
    Template("Medical DE-EN", "ger", ("eng-US",)),
    Template("Software EN-multi", "eng-US", ("ger", "fre", "jpn", "zho-CN", "kor", "hun")),
    Template("Marketing EN-HU", "eng", ("hun",)),
    Template("Technical JA-EN", "jpn", ("eng-US",)),
)


class SeedError(ValueError):
    """The seed file is not in the documented format (docs/server.md)."""


def load_seed(path: Path) -> tuple[Template, ...]:
    """Read `project_templates:` from a YAML seed file."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise SeedError(f"{path}: {error}") from None
    if not isinstance(document, dict) or not isinstance(document.get("project_templates"), list):
        raise SeedError(f"{path}: expected a mapping with a 'project_templates' list")
    return tuple(
        _template(path, index, entry) for index, entry in enumerate(document["project_templates"])
    )


def _template(path: Path, index: int, entry: Any) -> Template:
    where = f"{path}: project_templates[{index}]"
    if not isinstance(entry, dict) or set(entry) != {
        "name",
        "source_language",
        "target_languages",
    }:
        raise SeedError(f"{where}: needs exactly name, source_language, target_languages")
    name, source, targets = entry["name"], entry["source_language"], entry["target_languages"]
    if not (isinstance(name, str) and name.strip() and isinstance(source, str) and source):
        raise SeedError(f"{where}: name and source_language must be non-empty strings")
    if not (isinstance(targets, list) and targets and all(isinstance(t, str) for t in targets)):
        raise SeedError(f"{where}: target_languages must be a non-empty list of strings")
    return Template(name, source, tuple(targets))
