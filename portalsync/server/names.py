"""Name comparison, duplicated from the engine on purpose: the server shares no code with it."""

from __future__ import annotations

import unicodedata


def name_key(name: str) -> str:
    """Uniqueness key of a name, username or email: NFC, trimmed, case-folded (domain.md)."""
    return unicodedata.normalize("NFC", name).strip().casefold()


def search_key(fragment: str) -> str:
    """Key of a `?q=` fragment: like `name_key` but untrimmed, since spaces may be part of it."""
    return unicodedata.normalize("NFC", fragment).casefold()
