"""`portalsync serve` (placeholder until its issue lands; its owner replaces this module)."""

from __future__ import annotations

import click

from portalsync.cli.options import global_options
from portalsync.errors import UsageError


@click.command("serve")
@global_options
def command() -> None:
    """Not built yet.

    Example: portalsync serve
    """
    raise UsageError("'portalsync serve' is not built yet")
