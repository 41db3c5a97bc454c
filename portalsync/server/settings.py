"""Everything a server instance is started with."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ServerSettings:
    """Start-up settings: the database, the admin token's source, the seed and the test knobs."""

    db_path: Path
    admin_token: str | None = None  # the token itself (PORTALSYNC_SERVER_ADMIN_TOKEN)
    admin_token_file: Path | None = None  # else read or created here, else beside the database
    seed: Path | None = None
    latency_ms: int = 0
    fault_rate: float = 0.0
    fault_seed: int = 0
    rate_limit: float | None = None

    @property
    def default_token_file(self) -> Path:
        return self.db_path.with_name(self.db_path.name + ".admin-token")
