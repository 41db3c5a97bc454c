"""How the portal compares names: case-insensitive after Unicode NFC and trimming (domain.md)."""

from __future__ import annotations

import functools
import unicodedata


# A plan compares the same names many times over (every reference to a PM, service or client);
# caching the key makes that a dict lookup. Bounded, so a long-lived process stays small.
@functools.lru_cache(maxsize=1 << 18)
def name_key(name: str) -> str:
    """The comparison key of a client or service name, a username or an email address."""
    return unicodedata.normalize("NFC", name).strip().casefold()
