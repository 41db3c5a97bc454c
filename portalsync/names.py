"""How the portal compares names: case-insensitive after Unicode NFC and trimming (domain.md)."""

from __future__ import annotations

import unicodedata


def name_key(name: str) -> str:
    """The comparison key of a client or service name, a username or an email address."""
    return unicodedata.normalize("NFC", name).strip().casefold()
