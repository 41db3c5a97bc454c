"""`portalsync serve`: the app under uvicorn, with graceful shutdown on SIGTERM and SIGINT."""

from __future__ import annotations

from collections.abc import Callable

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
    uvicorn.run(app, host=host, port=port, log_level="info", lifespan="on")
