"""Export: the live portal written as config YAML, so a repository can start from a running server.

exported = export_portal(live)                   # sorted, only assigned PMs, setup gaps marked
text = render_single(exported, schema_ref())     # or render_per_client(...) -> {path: text}
"""

from __future__ import annotations

from portalsync.config.schema import schema
from portalsync.export.document import render_per_client, render_single
from portalsync.export.files import write_file, write_tree
from portalsync.export.portal import ExportedPortal, export_portal

__all__ = [
    "ExportedPortal",
    "export_portal",
    "render_per_client",
    "render_single",
    "schema_ref",
    "write_file",
    "write_tree",
]


def schema_ref() -> str:
    """The schema's own `$id`: the same in every export on every machine (a relative path depends
    on where the files end up, an installed path on whose machine ran the export)."""
    return str(schema()["$id"])
