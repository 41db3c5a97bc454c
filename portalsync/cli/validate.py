"""`portalsync validate`: load, schema-check and rule-check the config. Never contacts a server."""

from __future__ import annotations

import json

import click

from portalsync.cli.options import config_paths, global_options, output_settings
from portalsync.config import ConfigReport, Problem, check_portal
from portalsync.config.problems import ROOT_PATH
from portalsync.errors import ConfigError, ExitStatus

JSON_FORMAT_VERSION = 1


@click.command("validate")
@config_paths
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: one problem per line on stderr; json: a document on stdout.",
)
@global_options
@click.pass_context
def command(ctx: click.Context, paths: tuple[str, ...], output_format: str) -> None:
    """Check the config files and directories in PATH ... and print every problem.

    Each problem is one line, FILE:LINE:COL: error|warning: PATH: message, sorted.
    Exits 0 when the config is valid (warnings allowed), 3 when it is not.
    With no PATH, reads portalsync.yaml, else the directory portal/.

    \b
    Example:
      portalsync validate portal/
      portalsync validate --format json clients.yaml pms.yaml
    """
    try:
        report = check_portal(paths)
    except ConfigError as error:  # no PATH and no default config
        if output_format != "json":
            raise
        message = str(error).removeprefix("error: ")
        report = ConfigReport((), [Problem(".", 1, 1, "error", ROOT_PATH, message)])
    if output_format == "json":
        click.echo(json.dumps(_as_json(report), indent=2, ensure_ascii=False))
    else:
        _print_text(report)
    if report.errors:
        ctx.exit(int(ExitStatus.INVALID_CONFIG))


def _print_text(report: ConfigReport) -> None:
    quiet = output_settings().quiet
    for problem in report.problems:
        if problem.severity == "error" or not quiet:
            click.echo(str(problem), err=True)
    if quiet:
        return
    if report.portal is None:
        click.echo(f"Invalid: {_counts(report)}.", err=True)
        return
    portal = report.portal
    click.echo(
        f"Valid: {_plural(len(report.files), 'file')}, "
        f"{_plural(len(portal.clients), 'client')}, "
        f"{_plural(len(portal.services), 'service')}, "
        f"{_plural(len(portal.project_managers), 'project manager')}"
        f"{'; ' + _plural(len(report.warnings), 'warning') if report.warnings else ''}.",
        err=True,
    )


def _as_json(report: ConfigReport) -> dict[str, object]:
    return {
        "format_version": JSON_FORMAT_VERSION,
        "valid": not report.errors,
        "files": list(report.files),
        "summary": {"errors": len(report.errors), "warnings": len(report.warnings)},
        "problems": [problem.as_json() for problem in report.problems],
    }


def _counts(report: ConfigReport) -> str:
    return f"{_plural(len(report.errors), 'error')}, {_plural(len(report.warnings), 'warning')}"


def _plural(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
