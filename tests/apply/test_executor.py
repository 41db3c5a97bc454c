"""The scheduler, with steps that do local work: waves, skips, concurrency, stop, cycles."""

from __future__ import annotations

import threading
import time
from typing import Any

from portalsync.apply.executor import Executor, StepResult
from portalsync.apply.graph import BUILD, RETIRE_CLIENTS, Step
from portalsync.apply.operations import StepError

NO_OPERATIONS: Any = None  # these steps do not talk to a server


def step(step_id: str, log: list[str], *, wave: int = BUILD, fail: bool = False, pause: float = 0,
         needs: tuple[str, ...] = (), after: tuple[str, ...] = ()) -> Step:  # fmt: skip
    def perform(_ops: Any, sid: str) -> None:
        time.sleep(pause)
        log.append(sid)
        if fail:
            raise StepError("the server said no")

    return Step(step_id, f"label {step_id}", (), perform, wave, set(needs), set(after))


def run(*steps: Step, concurrency: int = 4) -> dict[str, StepResult]:
    return Executor(steps, NO_OPERATIONS, concurrency=concurrency).run()


def test_dependents_of_a_failure_are_skipped_and_the_rest_go_on() -> None:
    log: list[str] = []
    results = run(
        step("a", log, fail=True),
        step("b", log, needs=("a",)),
        step("c", log, needs=("b",)),
        step("d", log, after=("a",)),
        step("e", log),
    )
    assert results["a"] == StepResult("failed", "the server said no")
    assert results["b"].status == results["c"].status == "skipped"
    assert "label a" in results["b"].reason
    assert results["d"].status == results["e"].status == "done"
    assert "b" not in log and "c" not in log


def test_a_later_wave_starts_only_when_the_earlier_one_finished() -> None:
    log: list[str] = []
    run(step("late", log, wave=RETIRE_CLIENTS), step("slow", log, pause=0.1), step("x", log))
    assert log[-1] == "late"


def test_independent_steps_run_concurrently() -> None:
    log: list[str] = []
    started = time.perf_counter()
    results = run(*(step(str(n), log, pause=0.1) for n in range(8)), concurrency=8)
    assert time.perf_counter() - started < 0.5
    assert all(result.status == "done" for result in results.values())


def test_stop_lets_running_steps_finish_and_starts_no_more() -> None:
    log: list[str] = []
    steps = [step(f"s{n}", log, pause=0.05) for n in range(20)]
    executor = Executor(steps, NO_OPERATIONS, concurrency=2)
    threading.Timer(0.08, executor.stop).start()
    results = executor.run()
    done = [key for key, result in results.items() if result.status == "done"]
    assert 2 <= len(done) < 20 and sorted(done) == sorted(log)
    assert {r.status for k, r in results.items() if k not in done} == {"not_run"}


def test_a_cycle_fails_its_steps_instead_of_hanging() -> None:
    log: list[str] = []
    results = run(step("a", log, needs=("b",)), step("b", log, needs=("a",)), step("c", log))
    assert results["c"].status == "done"
    assert results["a"].status == results["b"].status == "failed"
    assert "circle" in results["a"].reason


def test_an_unexpected_error_fails_one_step_only() -> None:
    def broken(_ops: Any, _sid: str) -> None:
        raise KeyError("boom")

    log: list[str] = []
    results = run(Step("x", "x", (), broken), step("y", log))
    assert results["x"].status == "failed" and "KeyError" in results["x"].reason
    assert results["y"].status == "done"
