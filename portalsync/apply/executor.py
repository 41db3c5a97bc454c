"""Run a step graph: waves in order, independent steps of a wave concurrently on a thread pool,
dependents of a failed step skipped, and a stop request that lets in-flight steps finish."""

from __future__ import annotations

import threading
from collections import defaultdict, deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Literal

from portalsync.apply.graph import Step
from portalsync.apply.operations import Operations
from portalsync.errors import PortalSyncError

Status = Literal["done", "failed", "skipped", "not_run"]
POLL_SECONDS = 0.2  # how often the scheduler looks at a stop request while steps run


@dataclass(frozen=True)
class StepResult:
    status: Status
    reason: str = ""


Listener = Callable[[Step, StepResult], None]


class Executor:
    def __init__(
        self,
        steps: Sequence[Step],
        operations: Operations,
        *,
        concurrency: int = 8,
        listener: Listener | None = None,
    ) -> None:
        self._steps = {step.id: step for step in steps}
        self._ops = operations
        self._concurrency = concurrency
        self._listener = listener
        self._stop = threading.Event()
        self.results: dict[str, StepResult] = {}
        self._blocked: dict[str, str] = {}  # step -> the reason it cannot run any more
        self._waiting: dict[str, int] = {}  # step -> unfinished dependencies
        self._dependents: defaultdict[str, list[str]] = defaultdict(list)
        self._ready: defaultdict[int, deque[str]] = defaultdict(deque)
        self._unfinished: defaultdict[int, int] = defaultdict(int)

    def stop(self) -> None:
        """Start no new step; the ones in flight finish (safe from a signal handler)."""
        self._stop.set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def run(self) -> dict[str, StepResult]:
        self._index()
        running: dict[Future[StepResult], str] = {}
        with ThreadPoolExecutor(self._concurrency, thread_name_prefix="apply") as pool:
            while True:
                if not self._stop.is_set():
                    self._submit(pool, running)
                if not running:
                    if self._stop.is_set() or not self._advance_when_stuck():
                        break
                    continue
                try:
                    done, _ = wait(running, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
                except KeyboardInterrupt:
                    self.stop()
                    continue
                for future in done:
                    self._finish(running.pop(future), future.result())
        for step_id in self._steps:
            if step_id not in self.results:
                reason = "not started: apply was interrupted" if self.stopped else self._cycle()
                status: Status = "not_run" if self.stopped else "failed"
                self._record(step_id, StepResult(status, reason))
        return self.results

    # -- scheduling ------------------------------------------------------------------------

    def _index(self) -> None:
        for step in self._steps.values():
            deps = {dep for dep in step.needs | step.after if dep in self._steps}
            self._waiting[step.id] = len(deps)
            for dep in deps:
                self._dependents[dep].append(step.id)
            self._unfinished[step.wave] += 1
        for step in self._steps.values():
            if self._waiting[step.id] == 0:
                self._ready[step.wave].append(step.id)
        self._wave = self._lowest_unfinished_wave()

    def _submit(self, pool: ThreadPoolExecutor, running: dict[Future[StepResult], str]) -> None:
        for wave in sorted(w for w in self._ready if w <= self._wave):
            queue = self._ready[wave]
            while queue and len(running) < self._concurrency:
                step = self._steps[queue.popleft()]
                running[pool.submit(self._perform, step)] = step.id

    def _perform(self, step: Step) -> StepResult:
        try:
            step.perform(self._ops, step.id)
        except PortalSyncError as error:
            return StepResult("failed", str(error))
        except Exception as error:  # a bug must fail one step, not the whole apply
            return StepResult("failed", f"unexpected {type(error).__name__}: {error}")
        return StepResult("done")

    def _finish(self, step_id: str, result: StepResult) -> None:
        pending = [(step_id, result)]
        while pending:  # skipping cascades without recursion
            current, outcome = pending.pop()
            self._record(current, outcome)
            for dependent in self._dependents[current]:
                if outcome.status != "done" and current in self._steps[dependent].needs:
                    label = self._steps[current].label
                    self._blocked.setdefault(dependent, f"needs '{label}', which failed")
                self._waiting[dependent] -= 1
                if self._waiting[dependent] == 0:
                    if dependent in self._blocked:
                        pending.append((dependent, StepResult("skipped", self._blocked[dependent])))
                    else:
                        self._ready[self._steps[dependent].wave].append(dependent)

    def _record(self, step_id: str, result: StepResult) -> None:
        self.results[step_id] = result
        wave = self._steps[step_id].wave
        self._unfinished[wave] -= 1
        self._wave = self._lowest_unfinished_wave()
        if self._listener is not None:
            self._listener(self._steps[step_id], result)

    def _lowest_unfinished_wave(self) -> int:
        return min((wave for wave, count in self._unfinished.items() if count > 0), default=0)

    def _advance_when_stuck(self) -> bool:
        """Nothing runs: let a later wave start if it has work (a step of this wave may wait on
        it); False when nothing at all can run any more."""
        later = [wave for wave, queue in self._ready.items() if queue and wave > self._wave]
        if not later:
            return False
        self._wave = min(later)
        return True

    def _cycle(self) -> str:
        return "not run: its changes depend on each other in a circle (run apply again)"
