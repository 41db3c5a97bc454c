"""`portalsync apply`: plan (or load a saved plan), check it is safe, confirm, apply, plan again."""

from __future__ import annotations

import os
import sys

import click

from portalsync.apply import ApplyResult, apply_changes, count_steps
from portalsync.apply.outcome import describe, summary_lines
from portalsync.apply.progress import Progress
from portalsync.backend.reader import PortalReader
from portalsync.backend.transport import Transport
from portalsync.cli.options import (
    ServerOptions,
    concurrency_option,
    config_paths,
    connection_options,
    global_options,
    output_settings,
)
from portalsync.config import load_portal
from portalsync.errors import ApplyFailedError, RefusedError, UsageError
from portalsync.plan import Plan, load_plan, make_plan, stale_objects
from portalsync.render.text import render_text

PROMPT = "Apply these changes? Only 'yes' is accepted:"


@click.command("apply")
@config_paths
@click.option(
    "--plan",
    "plan_file",
    type=click.Path(exists=True, dir_okay=False, path_type=str),
    help="Apply a plan saved by 'plan --out FILE', only if the server still matches it.",
)
@click.option("--auto-approve", is_flag=True, help="Do not ask for confirmation (CI).")
@click.option("--allow-delete", is_flag=True, help="Allow deleting clients, services, contacts.")
@click.option("--force", is_flag=True, help="Go over the safety thresholds (not deletes).")
@connection_options
@concurrency_option
@global_options
def command(
    *,
    paths: tuple[str, ...],
    plan_file: str | None,
    auto_approve: bool,
    allow_delete: bool,
    force: bool,
    remote: ServerOptions,
    concurrency: int,
) -> None:
    """Make the server match the config in PATH ... (or a saved plan), then plan again.

    Shows the plan and asks for 'yes' on a terminal; without a terminal, --auto-approve is
    required. Deletes need --allow-delete, plans over the safety thresholds --force.
    Exits 0 when the server matches, 3 for an invalid config, 4 when refused, 5 when some
    change failed or the server still differs afterwards.

    \b
    Example:
      portalsync apply portal/
      portalsync apply --plan plan.json --auto-approve --allow-delete
    """
    if not auto_approve and not sys.stdin.isatty():
        raise RefusedError("no terminal to confirm on: pass --auto-approve to apply without asking")
    if plan_file and paths:
        raise UsageError("give either config PATHs or --plan FILE, not both")
    with remote.transport() as transport:
        reader = PortalReader(transport, concurrency=concurrency)
        plan = _saved_plan(plan_file, reader, transport.server) if plan_file else None
        plan = plan or _fresh_plan(paths, reader, transport.server)
        if not plan.changes:
            click.echo("No changes.")
            return
        _show(plan)
        plan.raise_if_unsafe(allow_delete=allow_delete, force=force)
        if not auto_approve:
            _confirm()
        result = _apply(plan, transport, concurrency)
        _finish(plan, result, reader, transport.server)


def _fresh_plan(paths: tuple[str, ...], reader: PortalReader, server: str) -> Plan:
    desired, warnings = load_portal(paths)
    quiet = output_settings().quiet
    for warning in warnings:
        if not quiet:
            click.echo(str(warning), err=True)
    return make_plan(desired, reader.read_portal(), server)


def _saved_plan(path: str, reader: PortalReader, server: str) -> Plan:
    """The saved plan, refused when made for another server or when its objects changed."""
    saved = load_plan(path)
    if saved.server.rstrip("/") != server:
        raise RefusedError(
            f"{path} was planned against {saved.server}, not {server}: plan again for this server"
        )
    changed = stale_objects(saved, reader.read_portal())
    if changed:
        lines = "\n".join(f"  {line}" for line in changed)
        raise RefusedError(f"{path} is stale: the server changed since the plan:\n{lines}")
    return saved.plan


def _show(plan: Plan) -> None:
    """The plan on stdout, as `portalsync plan` prints it."""
    settings = output_settings()
    if not settings.quiet:
        for warning in plan.warnings:
            click.echo(f"warning: {warning}", err=True)
    color = sys.stdout.isatty() and not settings.no_color and "NO_COLOR" not in os.environ
    click.echo(render_text(plan, color=color), nl=False, color=color)


def _confirm() -> None:
    try:
        answer = click.prompt(PROMPT, default="", show_default=False, err=True, prompt_suffix=" ")
    except click.Abort:  # Ctrl-C or end of input at the prompt: not a yes
        click.echo("", err=True)
        answer = ""
    if answer.strip() != "yes":
        raise RefusedError("apply cancelled: nothing was changed")


def _apply(plan: Plan, transport: Transport, concurrency: int) -> ApplyResult:
    quiet = output_settings().quiet
    total = count_steps(plan.changes, plan.live)
    with Progress(total, quiet=quiet) as progress:
        return apply_changes(
            plan.changes,
            plan.live,
            transport,
            concurrency=concurrency,
            listener=progress,
            on_interrupt=lambda: progress.note("Stopping: letting changes in flight finish..."),
        )


def _finish(plan: Plan, result: ApplyResult, reader: PortalReader, server: str) -> None:
    """Summary, then the second plan: anything still different is a failure (exit 5)."""
    for line in summary_lines(result):
        click.echo(line, err=True)
    if result.interrupted:
        raise ApplyFailedError("apply was interrupted; run it again to finish")
    again = make_plan(plan.desired, reader.read_portal(), server)
    if again.changes:
        click.echo("Still different after apply:", err=True)
        for change in again.changes:
            click.echo(f"  {describe(change)}", err=True)
    if not result.ok:
        failed = len(result.unfinished)
        raise ApplyFailedError(f"{failed} change{'s' if failed != 1 else ''} not applied")
    if again.changes:
        raise ApplyFailedError("the server still differs from the config after apply")
