"""`portalsync serve`: run the bundled reference server (design/api.md, docs/server.md)."""

from __future__ import annotations

from pathlib import Path

import click

from portalsync.cli.options import global_options
from portalsync.errors import UsageError


@click.command("serve")
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("portal.db"),
    show_default=True,
    help="SQLite database (created on first start).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8080,
    show_default=True,
    help="Port to listen on; 0 picks a free one (the server prints its URL).",
)
@click.option(
    "--admin-token-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The admin's token (created with mode 0600 if missing). Default: <db>.admin-token.",
)
@click.option(
    "--seed",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="YAML file of project templates, replacing the built-in ones.",
)
@click.option(
    "--latency-ms",
    type=click.IntRange(min=0),
    default=0,
    help="Test knob: delay added to every request.",
)
@click.option(
    "--fault-rate",
    type=click.FloatRange(0.0, 1.0),
    default=0.0,
    help="Test knob: fraction of writes that fail with 500/502/503.",
)
@click.option(
    "--fault-seed", type=int, default=0, help="Seed of the injected faults (reproducible runs)."
)
@click.option(
    "--rate-limit",
    type=click.FloatRange(min=0.1),
    help="Test knob: requests per second, then 429 with Retry-After.",
)
@global_options
def command(  # noqa: PLR0917 (click passes every option)
    db_path: Path,
    host: str,
    port: int,
    admin_token_file: Path | None,
    seed: Path | None,
    latency_ms: int,
    fault_rate: float,
    fault_seed: int,
    rate_limit: float | None,
) -> None:
    """Run the reference memoQweb-style server over a SQLite database.

    The admin's token comes from PORTALSYNC_SERVER_ADMIN_TOKEN (the token itself), or
    --admin-token-file, or the file <db>.admin-token beside the database (created on first
    start, mode 0600). The server says where the token is, never what it is.

    \b
    Example:
      portalsync serve --db portal.db --port 8080
      PORTALSYNC_TOKEN=$(cat portal.db.admin-token) portalsync plan --server http://127.0.0.1:8080
    """
    import os

    try:
        from portalsync.server.runner import serve
        from portalsync.server.seed import SeedError
        from portalsync.server.settings import ServerSettings
    except ImportError as error:
        raise UsageError(
            f"the server needs its extra: pip install 'portalsync[server]' ({error})"
        ) from None
    settings = ServerSettings(
        db_path,
        admin_token=os.environ.get("PORTALSYNC_SERVER_ADMIN_TOKEN") or None,
        admin_token_file=admin_token_file,
        seed=seed,
        latency_ms=latency_ms,
        fault_rate=fault_rate,
        fault_seed=fault_seed,
        rate_limit=rate_limit,
    )
    try:
        serve(settings, host, port, lambda line: click.echo(line, err=True))
    except (SeedError, ValueError, OSError) as error:
        raise UsageError(str(error)) from None
