"""`portalsync apply` (placeholder until its issue lands; its owner replaces this module)."""

from __future__ import annotations

import click

from portalsync.cli.options import global_options
from portalsync.errors import UsageError


@click.command("apply")
@global_options
def command() -> None:
    """Not built yet.

    Example: portalsync apply
    """
    raise UsageError("'portalsync apply' is not built yet")
