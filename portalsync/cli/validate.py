"""`portalsync validate` (placeholder until its issue lands; its owner replaces this module)."""

from __future__ import annotations

import click

from portalsync.cli.options import global_options
from portalsync.errors import UsageError


@click.command("validate")
@global_options
def command() -> None:
    """Not built yet.

    Example: portalsync validate
    """
    raise UsageError("'portalsync validate' is not built yet")
