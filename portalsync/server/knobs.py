"""Test knobs as ASGI middleware: request counting, latency, rate limit, injected faults.

Faults hit writes only (POST, PUT, DELETE). Half strike before the endpoint runs (nothing is
committed); half after it committed, replacing its answer, so the client never learns the
outcome: the case an Idempotency-Key exists for.
"""

from __future__ import annotations

import asyncio
import json
import math
import random
import threading
import time
from collections import Counter
from typing import Literal

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from portalsync.server.settings import ServerSettings

WRITE_METHODS = frozenset({"POST", "PUT", "DELETE"})
FAULT_STATUSES = (500, 502, 503)
_EXEMPT_PATHS = frozenset({"/api/v1/health"})  # readiness checks are never throttled


class RequestCounter:
    """Requests received, by HTTP method; read from other threads (the test fixture)."""

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()
        self._lock = threading.Lock()

    def add(self, method: str) -> None:
        with self._lock:
            self._counts[method] += 1

    def snapshot(self) -> Counter[str]:
        with self._lock:
            return Counter(self._counts)

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()


class TokenBucket:
    """`rate` requests per second on average, bursts of up to `rate` (at least one)."""

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.capacity = max(1.0, rate)
        self.tokens = self.capacity
        self.stamp = time.monotonic()

    def take(self) -> float:
        """0 when a request may pass now, else the seconds until it could."""
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


class FaultPlan:
    """A seeded, reproducible sequence of faults for write requests."""

    def __init__(self, rate: float, seed: int) -> None:
        self.rate = rate
        # Not for secrets: a seeded generator makes a faulty run reproducible.
        self.random = random.Random(seed)  # noqa: S311

    def draw(self) -> tuple[Literal["before", "after"], int] | None:
        if self.rate <= 0 or self.random.random() >= self.rate:
            return None
        when: Literal["before", "after"] = "before" if self.random.random() < 0.5 else "after"
        return when, self.random.choice(FAULT_STATUSES)


class Knobs:
    """The middleware: wraps the whole app, outermost."""

    def __init__(self, app: ASGIApp, settings: ServerSettings, counter: RequestCounter) -> None:
        self.app = app
        self.counter = counter
        self.latency = settings.latency_ms / 1000
        self.bucket = TokenBucket(settings.rate_limit) if settings.rate_limit else None
        self.faults = FaultPlan(settings.fault_rate, settings.fault_seed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        self.counter.add(method)
        if self.latency:
            await asyncio.sleep(self.latency)
        if self.bucket is not None and scope["path"] not in _EXEMPT_PATHS:
            wait = self.bucket.take()
            if wait:
                retry = str(max(1, math.ceil(wait)))
                await _answer(send, 429, "RateLimited", "too many requests", retry)
                return
        fault = self.faults.draw() if method in WRITE_METHODS else None
        if fault is None:
            await self.app(scope, receive, send)
            return
        when, status = fault
        if when == "after":
            await self.app(scope, receive, _discard)
        await _answer(send, status, "InjectedFault", f"injected fault ({when} the change)")


async def _discard(_message: Message) -> None:
    """Swallow the real answer of a request whose answer the fault replaces."""


async def _answer(
    send: Send, status: int, code: str, message: str, retry_after: str | None = None
) -> None:
    body = json.dumps({"Code": code, "Message": message}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if retry_after is not None:
        headers.append((b"retry-after", retry_after.encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
