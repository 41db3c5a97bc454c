"""Where the server is and how to authenticate: from flags and the environment, never from YAML."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from portalsync.errors import UsageError

API_PREFIX = "/api/v1"


@dataclass(frozen=True)
class Connection:
    server: str  # the server root, without a trailing slash
    token: str = field(repr=False)  # repr=False: never lands in a log line or traceback
    timeout: float = 30.0
    verify: bool | str = True  # a CA bundle path, or False with --insecure

    @property
    def api_root(self) -> str:
        return self.server + API_PREFIX


def normalize_server_url(url: str) -> str:
    """Check the URL's shape and drop a trailing slash (and a pasted /api/v1)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(
            f"--server: '{url}' is not an http(s) URL such as https://memoq.example.com"
        )
    root = url.strip().rstrip("/")
    if root.endswith(API_PREFIX):
        root = root[: -len(API_PREFIX)]
    return root


def read_token(token_file: str | None) -> str:
    """The token from --token-file or PORTALSYNC_TOKEN; there is deliberately no --token flag."""
    token = _raw_token(token_file)
    # An HTTP header carries visible ASCII only; say so here rather than fail in requests later.
    if any(not "!" <= char <= "~" for char in token):
        where = f"--token-file {token_file}" if token_file else "PORTALSYNC_TOKEN"
        raise UsageError(
            f"{where}: the token has spaces, line breaks or non-ASCII characters inside it"
        )
    return token


def _raw_token(token_file: str | None) -> str:
    if token_file:
        try:
            token = Path(token_file).read_text(encoding="utf-8").strip()
        except OSError as error:
            reason = error.strerror or type(error).__name__
            raise UsageError(f"--token-file {token_file}: cannot read it ({reason})") from None
        except UnicodeDecodeError:
            raise UsageError(f"--token-file {token_file}: not UTF-8 text") from None
        if not token:
            raise UsageError(f"--token-file {token_file}: the file is empty")
        return token
    token = os.environ.get("PORTALSYNC_TOKEN", "").strip()
    if not token:
        raise UsageError("no API token: set PORTALSYNC_TOKEN or pass --token-file FILE")
    return token


def make_connection(
    server: str | None,
    token_file: str | None,
    *,
    ca_bundle: str | None = None,
    insecure: bool = False,
    timeout: float = 30.0,
) -> Connection:
    """Build the connection settings from the shared CLI options (cli/options.py)."""
    if not server:
        raise UsageError("no server: pass --server URL or set PORTALSYNC_SERVER")
    verify: bool | str = ca_bundle or True
    if insecure:
        verify = False
    return Connection(normalize_server_url(server), read_token(token_file), timeout, verify)
