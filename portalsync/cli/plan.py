"""`portalsync plan`: read the live portal, diff it against the config, print it for review."""

from __future__ import annotations

import os
import sys

import click

from portalsync.cli.background import in_background
from portalsync.cli.options import (
    ServerOptions,
    concurrency_option,
    config_paths,
    connection_options,
    global_options,
    output_settings,
)
from portalsync.config import load_portal
from portalsync.errors import ExitStatus
from portalsync.gcpause import gc_paused
from portalsync.plan import Plan, make_plan, save_plan
from portalsync.render import render_json, render_markdown, render_text, source_linker


@click.command("plan")
@config_paths
@connection_options
@concurrency_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="text for terminals, json for scripts, markdown for pull-request comments.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True, path_type=str),
    help="Also save the plan for 'portalsync apply --plan FILE' (never holds the token).",
)
@click.option(
    "--detailed-exitcode", is_flag=True, help="Exit 2 when there are changes (drift detection)."
)
@global_options
@click.pass_context
def command(
    ctx: click.Context,
    *,
    paths: tuple[str, ...],
    remote: ServerOptions,
    concurrency: int,
    output_format: str,
    out: str | None,
    detailed_exitcode: bool,
) -> None:
    """Compare the config in PATH ... with the live server and print what would change.

    Read only: it sends nothing but GET requests. Every create, update and rename names the
    file:line that asks for it. Exits 0 (or 2 with --detailed-exitcode when there are changes),
    3 for an invalid config, 5 when the server cannot be read.

    \b
    Example:
      PORTALSYNC_SERVER=https://memoq.example.com PORTALSYNC_TOKEN=... portalsync plan portal/
      portalsync plan portal/ --format markdown > plan.md
      portalsync plan portal/ --out plan.json --detailed-exitcode
    """
    settings = output_settings()
    # The server answers while the config loads: the read waits on the network, the load on
    # the CPU. An invalid config still wins (exit 3) whatever the server does meanwhile.
    reading = in_background(lambda: remote.read_portal(concurrency))
    desired, problems = load_portal(list(paths))
    server, live = reading.result()
    with gc_paused():
        plan = make_plan(desired, live, server)
    if not settings.quiet:
        for problem in problems:
            click.echo(str(problem), err=True)
        for warning in plan.warnings:
            click.echo(f"warning: {warning}", err=True)
    color = _use_color(settings.no_color) and output_format == "text"
    click.echo(_render(plan, output_format, color), nl=False, color=color)
    if out:
        save_plan(plan, out)
        if not settings.quiet:
            click.echo(f"Saved the plan to {out}.", err=True)
    if detailed_exitcode and plan.changes:
        ctx.exit(int(ExitStatus.CHANGES))


def _render(plan: Plan, output_format: str, color: bool) -> str:
    if output_format == "json":
        return render_json(plan)
    if output_format == "markdown":
        return render_markdown(plan, link=source_linker(os.environ, os.getcwd()))
    return render_text(plan, color=color)


def _use_color(no_color_flag: bool) -> bool:
    """Colour only on a terminal, and never with --no-color or NO_COLOR (any value)."""
    return sys.stdout.isatty() and not no_color_flag and "NO_COLOR" not in os.environ
