"""portalsync: the memoQ customer portal as code."""

__version__ = "0.1.0"
