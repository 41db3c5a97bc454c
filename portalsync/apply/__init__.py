"""Apply: carry out a plan's changes on the server, in a safe order, concurrently, idempotently.

`apply_changes` is the library entry point; `portalsync.cli.apply` adds the plan, the safety
checks, the confirmation and the final re-plan around it.
"""

from __future__ import annotations

import signal
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from portalsync.apply.executor import Executor, Listener
from portalsync.apply.operations import Operations
from portalsync.apply.ordering import build_steps
from portalsync.apply.outcome import ApplyResult, change_outcomes
from portalsync.backend.transport import Transport
from portalsync.backend.writer import PortalWriter
from portalsync.changes import Change
from portalsync.live import LivePortal

__all__ = ["ApplyResult", "apply_changes", "count_steps"]


def apply_changes(
    changes: Sequence[Change],
    live: LivePortal,
    transport: Transport,
    *,
    concurrency: int = 8,
    listener: Listener | None = None,
    on_interrupt: Callable[[], None] | None = None,
    run_id: str | None = None,
) -> ApplyResult:
    """Apply `changes` (planned against `live`); never raises for a failed change."""
    steps = build_steps(changes, live)
    run_id = run_id or uuid.uuid4().hex
    operations = Operations(PortalWriter(transport), live, changes, run_id)
    executor = Executor(steps, operations, concurrency=concurrency, listener=listener)

    def interrupt() -> None:
        executor.stop()
        if on_interrupt is not None:
            on_interrupt()

    with _interrupts_call(interrupt):
        results = executor.run()
    return ApplyResult(change_outcomes(changes, steps, results), interrupted=executor.stopped)


def count_steps(changes: Sequence[Change], live: LivePortal) -> int:
    """How many steps apply will run (for a progress bar's length)."""
    return len(build_steps(changes, live))


@contextmanager
def _interrupts_call(handler: Callable[[], None]) -> Iterator[None]:
    """Ctrl-C stops scheduling instead of killing in-flight writes (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, lambda _signum, _frame: handler())
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
