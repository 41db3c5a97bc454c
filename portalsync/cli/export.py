"""`portalsync export` (placeholder until its issue lands; its owner replaces this module)."""

from __future__ import annotations

import click

from portalsync.cli.options import global_options
from portalsync.errors import UsageError


@click.command("export")
@global_options
def command() -> None:
    """Not built yet.

    Example: portalsync export
    """
    raise UsageError("'portalsync export' is not built yet")
