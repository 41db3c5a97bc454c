"""The `portalsync` command group: global options, and the one place errors become exit codes."""

from __future__ import annotations

import logging
import sys
from typing import NoReturn

import click

from portalsync import __version__
from portalsync.cli.options import OutputSettings, global_options
from portalsync.errors import ConfigError, ExitStatus, PortalSyncError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="portalsync")
@global_options
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Run the memoQ customer portal as code: validate, plan and apply a YAML portal.

    \b
    Example:
      portalsync validate portal/
      PORTALSYNC_SERVER=https://memoq.example.com portalsync plan portal/
    """
    ctx.ensure_object(OutputSettings)


def _register_commands() -> None:
    # Imported here so each command lives in its own module and registers itself on `cli`.
    from portalsync.cli import apply, demo, export, plan, serve, validate

    for module in (validate, plan, apply, export, serve, demo):
        cli.add_command(module.command)


_register_commands()


def _fail(message: str, status: ExitStatus) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(int(status))


def main(argv: list[str] | None = None) -> NoReturn:
    """Console entry point. Usage errors exit 1, because 2 means "changes" to CI scripts."""
    try:
        result = cli.main(args=argv, prog_name="portalsync", standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.UsageError as error:
        hint = f"Try '{error.ctx.command_path} --help'." if error.ctx else ""
        _fail(f"error: {error.format_message()} {hint}".rstrip(), ExitStatus.ERROR)
    except click.Abort:
        _fail("Aborted.", ExitStatus.ERROR)
    except click.ClickException as error:
        _fail(f"error: {error.format_message()}", ExitStatus.ERROR)
    except ConfigError as error:
        for line in error.problems:
            click.echo(line, err=True)
        sys.exit(int(error.exit_status))
    except PortalSyncError as error:
        _fail(f"error: {error}", error.exit_status)
    except KeyboardInterrupt:
        _fail("Interrupted.", ExitStatus.ERROR)
    except Exception as error:  # the last line of defence: one line, no traceback
        logging.getLogger("portalsync").debug("unexpected error", exc_info=True)
        _fail(f"error: unexpected {type(error).__name__}: {error}", ExitStatus.ERROR)
    sys.exit(int(result) if isinstance(result, int) else 0)
