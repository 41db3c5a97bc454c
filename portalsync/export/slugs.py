"""File names for per-client files: stable, and safe on every file system.

A slug is the name folded to ASCII (NFKD, accents dropped), lower-cased, with every run of other
characters turned into one hyphen. A name with no ASCII letter or digit left (Japanese, say) gets
`client-<hash>`; a Windows device name (`con`, `nul`, `com1` ...) or a slug shared by several
clients gets `-<hash>` appended. The hash is of the name itself, so the same portal always gives the
same file names, whatever order the server lists clients in.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

MAX_SLUG = 60  # leaves room for the hash suffix and `.yaml` well under every 255-byte limit
_HASH_LENGTH = 8

# Device names Windows reserves with any extension (`con.yaml` cannot be created there).
_WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul", "conin", "conout", "clock"]
    + [f"{device}{n}" for device in ("com", "lpt") for n in range(10)]
)


def name_hash(name: str, length: int = _HASH_LENGTH) -> str:
    """A short, stable hash of the exact name."""
    return hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:length]


def base_slug(name: str) -> str:
    """The slug of one name, before collisions with other names are considered."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    slug = slug[:MAX_SLUG].rstrip("-")
    if not slug:
        return f"client-{name_hash(name)}"
    if slug in _WINDOWS_RESERVED:
        return f"{slug}-{name_hash(name)}"
    return slug


def client_slugs(names: Iterable[str]) -> dict[str, str]:
    """A unique slug for each name; every name in a group sharing a slug gets its hash appended."""
    names = sorted(set(names))
    by_slug: defaultdict[str, list[str]] = defaultdict(list)
    for name in names:
        by_slug[base_slug(name)].append(name)
    slugs: dict[str, str] = {}
    for slug, group in by_slug.items():
        for name in group:
            slugs[name] = slug if len(group) == 1 else f"{slug}-{name_hash(name)}"
    return _unique(slugs)


def _unique(slugs: dict[str, str]) -> dict[str, str]:
    # A suffixed slug could in theory equal another name's plain slug ("acme" + hash versus a client
    # literally named "acme <that hash>"); lengthen the hash until no two names share a file.
    length = _HASH_LENGTH
    while len(set(slugs.values())) < len(slugs) and length < 64:  # 64: the whole sha256
        length += 4
        seen: defaultdict[str, list[str]] = defaultdict(list)
        for name, slug in slugs.items():
            seen[slug].append(name)
        for group in seen.values():
            if len(group) > 1:
                for name in group:
                    slugs[name] = f"{base_slug(name)}-{name_hash(name, length)}"
    return slugs
