"""`portalsync serve`: the app under uvicorn, with graceful shutdown on SIGTERM and SIGINT."""

from __future__ import annotations

import signal
import socket
import sqlite3
from collections.abc import Callable
from types import FrameType

import uvicorn

from portalsync.server.app import create_app
from portalsync.server.settings import ServerSettings


def serve(settings: ServerSettings, host: str, port: int, say: Callable[[str], None]) -> None:
    """Serve until a signal; uvicorn finishes in-flight requests, then the database closes.

    Raises OSError with one readable line when the address cannot be listened on or the
    database cannot be opened, before anything is served.
    """
    listener = listen(host, port)
    try:
        app = create_app(settings)
    except sqlite3.Error as error:
        listener.close()
        raise OSError(f"cannot open the database {settings.db_path}: {error}") from None
    except BaseException:
        listener.close()
        raise
    if app.token_file is not None:
        say(f"admin token (user 'admin') is in {app.token_file}")
    else:
        say("admin token (user 'admin') set from PORTALSYNC_SERVER_ADMIN_TOKEN")
    say(f"serving {settings.db_path} at http://{host}:{listener.getsockname()[1]}/api/v1")
    # uvicorn's access log has method, path and status; never headers, so never the token.
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, lifespan="on"))
    # uvicorn shuts down gracefully on these signals, then re-raises them to the handlers it
    # found; quiet ones make that a normal exit (status 0) instead of a kill or a traceback.
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, _ignore)
    try:
        server.run(sockets=[listener])
    finally:
        listener.close()
    say("stopped; the database is closed")


def listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket, bound here so that a busy port is one clear error, not a trace."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
        )[0]
        listener = socket.socket(family, kind, proto)
    except OSError as error:
        raise OSError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(address)
        listener.listen(2048)
    except OSError as error:
        listener.close()
        raise OSError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    return listener


def _ignore(_number: int, _frame: FrameType | None) -> None:
    """Stand-in handler for after uvicorn's own shutdown."""
