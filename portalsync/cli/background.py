"""Running one piece of work beside the command's own."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import TypeVar

T = TypeVar("T")


def in_background(work: Callable[[], T]) -> Future[T]:
    """Start `work` on a daemon thread; `.result()` waits for it and re-raises its error.

    A daemon thread, not an executor: when the command fails first (an invalid config), the
    process exits at once instead of waiting for a slow server to answer work nobody needs.
    """
    future: Future[T] = Future()

    def run() -> None:
        try:
            future.set_result(work())
        except BaseException as error:  # handed to whoever calls .result()
            future.set_exception(error)

    threading.Thread(target=run, name="background", daemon=True).start()
    return future
