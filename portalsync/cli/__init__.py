"""The `portalsync` command group: global options, and the one place errors become exit codes."""

from __future__ import annotations

import importlib
import logging
import sys
from typing import NoReturn

import click

from portalsync import __version__
from portalsync.cli.options import OutputSettings, global_options
from portalsync.errors import ConfigError, ExitStatus, PortalSyncError

# Each command's module is imported only when that command runs: `plan` need not pay for the
# apply engine or the server stack at start-up.
COMMAND_MODULES = {
    "validate": "portalsync.cli.validate",
    "plan": "portalsync.cli.plan",
    "apply": "portalsync.cli.apply",
    "export": "portalsync.cli.export",
    "serve": "portalsync.cli.serve",
    "demo": "portalsync.cli.demo",
}


class LazyGroup(click.Group):
    """A group whose commands live in their own modules, imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMAND_MODULES})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMAND_MODULES.get(cmd_name)
        if module is None:
            return super().get_command(ctx, cmd_name)
        command: click.Command = importlib.import_module(module).command
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
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
        if type(error).__name__ == "NoArgsIsHelpError":  # `portalsync` alone: the help, no prefix
            _fail(error.format_message(), ExitStatus.ERROR)
        message = error.format_message().rstrip()
        message += "" if message.endswith((".", "?", "!")) else "."
        hint = f" Try '{error.ctx.command_path} --help'." if error.ctx else ""
        _fail(f"error: {message}{hint}", ExitStatus.ERROR)
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
