"""Options shared by several commands, declared once."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import click

from portalsync.backend.connection import make_connection
from portalsync.backend.reader import PortalReader
from portalsync.backend.transport import Transport
from portalsync.gcpause import gc_paused
from portalsync.live import LivePortal

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class OutputSettings:
    """-v / -q / --no-color, accepted before or after the command name."""

    verbose: bool = False
    quiet: bool = False
    no_color: bool = False


def _settings(ctx: click.Context) -> OutputSettings:
    root = ctx.find_root()
    return root.ensure_object(OutputSettings)


def _set_flag(name: str) -> Callable[[click.Context, click.Parameter, bool], None]:
    def callback(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
        if value:
            setattr(_settings(ctx), name, True)
            if name == "verbose":
                logging.basicConfig(level=logging.DEBUG, format="%(name)s: %(message)s")

    return callback


def global_options(func: F) -> F:
    """-v, -q and --no-color; put on the group and on every command."""
    for flag, name, help_text in reversed(
        [
            (("-v", "--verbose"), "verbose", "Log each request (the token is redacted)."),
            (("-q", "--quiet"), "quiet", "Print errors only."),
            (("--no-color",), "no_color", "Never colour the output (NO_COLOR works too)."),
        ]
    ):
        func = click.option(
            *flag,
            is_flag=True,
            expose_value=False,
            is_eager=True,
            callback=_set_flag(name),
            help=help_text,
        )(func)
    return func


def output_settings() -> OutputSettings:
    """The -v/-q/--no-color settings of the running command."""
    return _settings(click.get_current_context())


def config_paths(func: F) -> F:
    """PATH ... arguments: config files and directories (config.md has the default)."""
    return click.argument(
        "paths",
        nargs=-1,
        metavar="[PATH]...",
        type=click.Path(exists=True, dir_okay=True, path_type=str),
    )(func)


@dataclass(frozen=True)
class ServerOptions:
    """--server, --token-file, --ca-bundle, --insecure and --timeout, as given. The connection is
    built only when a command opens it, so a command can refuse earlier things first."""

    server: str | None
    token_file: str | None
    ca_bundle: str | None
    insecure: bool
    timeout: float

    @contextmanager
    def transport(self) -> Iterator[Transport]:
        """A transport to the server, checked to answer as a memoQweb-style API."""
        connection = make_connection(
            self.server,
            self.token_file,
            ca_bundle=self.ca_bundle,
            insecure=self.insecure,
            timeout=self.timeout,
        )
        if self.insecure:
            click.echo("warning: --insecure: TLS certificates are not verified", err=True)
        with Transport(connection) as transport:
            transport.probe()
            yield transport

    def read_portal(self, concurrency: int) -> tuple[str, LivePortal]:
        """The server's root URL and its whole live portal, read with GET requests only."""
        with self.transport() as transport, gc_paused():
            return transport.server, PortalReader(transport, concurrency=concurrency).read_portal()


def connection_options(func: F) -> F:
    """--server, --token-file, --ca-bundle, --insecure, --timeout (cli.md, Connection), handed to
    the command as one `remote: ServerOptions` argument."""

    @functools.wraps(func)
    def with_remote(
        *args: Any,
        server: str | None,
        token_file: str | None,
        ca_bundle: str | None,
        insecure: bool,
        timeout: float,
        **kwargs: Any,
    ) -> Any:
        remote = ServerOptions(server, token_file, ca_bundle, insecure, timeout)
        return func(*args, remote=remote, **kwargs)

    options = [
        click.option(
            "--server",
            envvar="PORTALSYNC_SERVER",
            metavar="URL",
            help="Server root, e.g. https://memoq.example.com (or PORTALSYNC_SERVER).",
        ),
        click.option(
            "--token-file",
            type=click.Path(exists=True, dir_okay=False, path_type=str),
            help="File holding the API token (or PORTALSYNC_TOKEN). There is no --token flag.",
        ),
        click.option(
            "--ca-bundle",
            envvar="PORTALSYNC_CA_BUNDLE",
            type=click.Path(exists=True, dir_okay=False, path_type=str),
            help="CA bundle for TLS verification (or PORTALSYNC_CA_BUNDLE).",
        ),
        click.option("--insecure", is_flag=True, help="Turn TLS verification off (warns)."),
        click.option(
            "--timeout",
            type=click.FloatRange(min=0.1),
            default=30.0,
            show_default=True,
            help="Seconds per request.",
        ),
    ]
    decorated: Any = with_remote
    for option in reversed(options):
        decorated = option(decorated)
    return decorated  # type: ignore[no-any-return]


def concurrency_option(func: F) -> F:
    return click.option(
        "--concurrency",
        type=click.IntRange(min=1, max=64),
        default=8,
        show_default=True,
        help="Requests in flight at once.",
    )(func)
