"""`portalsync demo`: the README's first command."""

from __future__ import annotations

import click

from portalsync.cli.options import global_options


@click.command("demo")
@global_options
def command() -> None:
    """Show plan and apply on the example portal, against a throwaway reference server.

    Starts the reference server in-process on a free port with a temporary database, applies the
    packaged example portal (showing the plan first), shows that a second plan is empty, edits a
    client through the API as a colleague would, and shows the drift plan detects. Needs no
    arguments, no network and no token; leaves no file behind.

    \b
    Example:
      pip install 'portalsync[server]' && portalsync demo
    """
    from portalsync.demo import run_demo

    run_demo(click.echo)
