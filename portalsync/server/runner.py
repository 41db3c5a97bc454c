"""`portalsync serve`: the app under uvicorn, with graceful shutdown on SIGTERM and SIGINT."""

from __future__ import annotations

import signal
from collections.abc import Callable
from types import FrameType

import uvicorn

from portalsync.server.app import create_app
from portalsync.server.settings import ServerSettings


def serve(settings: ServerSettings, host: str, port: int, say: Callable[[str], None]) -> None:
    """Serve until a signal; uvicorn finishes in-flight requests, then the database closes."""
    app = create_app(settings)
    if app.token_file is not None:
        say(f"admin token (user 'admin') is in {app.token_file}")
    else:
        say("admin token (user 'admin') set from PORTALSYNC_SERVER_ADMIN_TOKEN")
    say(f"serving {settings.db_path} at http://{host}:{port}/api/v1")
    # uvicorn's access log has method, path and status; never headers, so never the token.
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, lifespan="on"))
    # uvicorn shuts down gracefully on these signals, then re-raises them to the handlers it
    # found; quiet ones make that a normal exit (status 0) instead of a kill or a traceback.
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, _ignore)
    server.run()
    say("stopped; the database is closed")


def _ignore(_number: int, _frame: FrameType | None) -> None:
    """Stand-in handler for after uvicorn's own shutdown."""
