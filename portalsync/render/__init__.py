"""Interchangeable outputs of one plan: text for terminals, JSON for scripts, Markdown for PRs."""

from portalsync.render.json import render_json
from portalsync.render.links import SourceLinker, source_linker
from portalsync.render.markdown import render_markdown
from portalsync.render.text import render_text

__all__ = ["SourceLinker", "render_json", "render_markdown", "render_text", "source_linker"]
