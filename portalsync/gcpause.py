"""Pausing Python's cyclic garbage collector around bursts of allocation.

Loading a big config, decoding a big listing and diffing create millions of small objects that
refcounting frees on its own; the cyclic GC would rescan all of them again and again meanwhile
(a quarter to a third of a 10k-client plan). A short-lived command pauses it for those bursts.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic GC for the block; nested pauses keep it off until the outermost ends."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
