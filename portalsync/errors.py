"""One error hierarchy; the CLI turns each class into its exit code in one place."""

from __future__ import annotations

import enum


class ExitStatus(enum.IntEnum):
    """Exit codes from the contract (design/cli.md)."""

    OK = 0
    ERROR = 1  # unexpected error or usage error
    CHANGES = 2  # plan --detailed-exitcode: there are changes
    INVALID_CONFIG = 3
    REFUSED = 4  # deletes without --allow-delete, thresholds, stale plan, no confirmation
    SERVER = 5  # unreachable, auth refused, or apply finished with failures


class PortalSyncError(Exception):
    """Base of every error portalsync reports as one readable line."""

    exit_status: ExitStatus = ExitStatus.ERROR


class UsageError(PortalSyncError):
    exit_status = ExitStatus.ERROR


class ConfigError(PortalSyncError):
    """The configuration is invalid; `problems` holds the formatted lines when there are several."""

    exit_status = ExitStatus.INVALID_CONFIG

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or [message]


class RefusedError(PortalSyncError):
    exit_status = ExitStatus.REFUSED


class ServerError(PortalSyncError):
    """The server could not be reached, refused us, or answered nonsense."""

    exit_status = ExitStatus.SERVER


class ApplyFailedError(PortalSyncError):
    exit_status = ExitStatus.SERVER
