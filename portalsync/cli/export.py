"""`portalsync export`: the live portal as config YAML, to start a repository from a server."""

from __future__ import annotations

from pathlib import Path

import click

from portalsync.cli.options import (
    ServerOptions,
    concurrency_option,
    connection_options,
    global_options,
    output_settings,
)
from portalsync.errors import UsageError
from portalsync.export import (
    ExportedPortal,
    export_portal,
    render_per_client,
    render_single,
    write_file,
    write_tree,
)
from portalsync.export import schema_ref as default_schema_ref


@click.command("export")
@connection_options
@concurrency_option
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="File to write (single layout; default stdout) or new directory (per-client layout).",
)
@click.option(
    "--layout",
    type=click.Choice(["single", "per-client"]),
    default="single",
    show_default=True,
    help="One file, or portal.yaml plus clients/<slug>.yaml per client.",
)
@click.option(
    "--schema-ref",
    metavar="REF",
    help="What the '$schema' comment points to, e.g. ../schemas/portalsync.schema.json "
    "(default: the schema's $id URL).",
)
@global_options
def command(
    *,
    remote: ServerOptions,
    concurrency: int,
    out: Path | None,
    layout: str,
    schema_ref: str | None,
) -> None:
    """Write the live portal as config YAML, to bootstrap a repository from a server.

    Read only: sends GET requests, exactly as plan does. Running `portalsync plan` on the result
    prints "No changes.". Clients that lack a project manager, contact or service are kept as they
    are, with settings.setup_rule relaxed to warnings and a comment marking each of them.

    \b
    Examples:
      portalsync export --server https://memoq.example.com > portalsync.yaml
      portalsync export --layout per-client --out portal/
    """
    if layout == "per-client" and out is None:
        raise UsageError("--layout per-client writes a directory: pass --out DIRECTORY")
    if layout == "single" and out is not None and out.is_dir():
        raise UsageError(f"--out {out}: is a directory (use --layout per-client, or a file path)")
    _server, live = remote.read_portal(concurrency)
    exported = export_portal(live)
    _write(exported, out, layout, schema_ref or default_schema_ref())
    _report(exported, out)


def _write(exported: ExportedPortal, out: Path | None, layout: str, reference: str) -> None:
    if layout == "per-client":
        assert out is not None  # checked before reading the server
        write_tree(out, render_per_client(exported, reference))
    elif out is None:
        click.echo(render_single(exported, reference), nl=False)
    else:
        write_file(out, render_single(exported, reference))


def _report(exported: ExportedPortal, out: Path | None) -> None:
    if output_settings().quiet:  # -q keeps only errors (cli.md)
        return
    for warning in exported.warnings:
        click.echo(f"warning: {warning}", err=True)
    portal = exported.portal
    where = f" to {out}" if out is not None else ""
    click.echo(
        f"Exported {_plural(len(portal.clients), 'client')}, "
        f"{_plural(len(portal.services), 'service')} and "
        f"{_plural(len(portal.project_managers), 'project manager')}{where}.",
        err=True,
    )
    if exported.gaps:
        gaps = len(exported.gaps)
        click.echo(
            f"note: {_plural(gaps, 'client')} {'breaks' if gaps == 1 else 'break'} memoQ's setup "
            "rule; settings.setup_rule relaxes it to warnings (see the comments in the export).",
            err=True,
        )


def _plural(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
