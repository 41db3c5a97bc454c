"""The one function every HTTP request passes through: auth header, timeout, TLS, bounded retries
with backoff, error mapping and redaction (STYLE.md habit 7).

Reads are always retried on transient failures. A write is retried only when it carries an
`Idempotency-Key`, because only then can a retry after a lost answer not act twice.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import requests
import urllib3
from requests.adapters import HTTPAdapter

from portalsync.backend.connection import Connection
from portalsync.backend.errors import ApiError, describe_connection_error
from portalsync.errors import ServerError

log = logging.getLogger("portalsync.http")

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
PROBE_ATTEMPTS = 3
MAX_PAGES = 1_000_000  # a listing longer than this is a server bug, not a portal


@dataclass(frozen=True)
class RetryPolicy:
    # 0.3 ** 10: a write failing every try of a server that fails 30% of writes is a
    # one-in-100,000 event, so one apply of a few hundred changes converges.
    attempts: int = 10  # tries that failed (connection error, 5xx), the first included
    throttled: int = 30  # extra tries after a 429: slowing down is not failing
    base_delay: float = 0.1  # seconds, doubled each retry, with full jitter
    max_delay: float = 5.0
    max_retry_after: float = 30.0  # cap on a server's Retry-After

    def delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.max_retry_after)
        return random.uniform(0, min(self.max_delay, self.base_delay * 2**attempt))  # noqa: S311 - jitter, not crypto


@dataclass(frozen=True)
class ApiResponse:
    status: int
    body: Any
    etag_version: int | None


class Transport:
    """Keep-alive sessions, each used by one thread at a time, so concurrent apply shares nothing
    mutable. A session goes back to an idle pool after each request: the number of sessions (and
    open connections) stays at the highest concurrency seen, however many thread pools come and
    go over the transport's life."""

    def __init__(
        self,
        connection: Connection,
        *,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._connection = connection
        self._retry = retry or RetryPolicy()
        self._sleep = sleep
        self._sessions: list[requests.Session] = []
        self._idle: list[requests.Session] = []
        self._lock = threading.Lock()
        if connection.verify is False:
            # --insecure was asked for and warned about once (cli/options.py); urllib3 would
            # add a multi-line warning per connection to stderr.
            urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)

    @property
    def server(self) -> str:
        return self._connection.server

    def probe(self) -> None:
        """Check that a memoQweb-style API answers at the server root, before real work."""
        try:
            # Few tries: a wrong URL or a stopped server should be reported in a moment.
            self.request("GET", "/health", attempts=PROBE_ATTEMPTS)
        except ApiError as error:
            if error.status == 404:
                raise ServerError(
                    f"no memoQweb-style API at {self.server} (404 on /api/v1/health): "
                    "check --server"
                ) from None
            raise

    def get(self, path: str, params: Mapping[str, str] | None = None) -> ApiResponse:
        return self.request("GET", path, params=params)

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        body: Any = None,
        if_match: int | None = None,
        idempotency_key: str | None = None,
        attempts: int | None = None,
    ) -> ApiResponse:
        """Send one API request (path relative to /api/v1); raise ApiError or ServerError.

        `attempts` lowers the policy's number of tries for this request."""
        headers = {
            "Authorization": f"MQS-API {self._connection.token}",
            "Accept": "application/json",
        }
        if if_match is not None:
            headers["If-Match"] = f'"{if_match}"'
        if idempotency_key is not None:
            headers["Idempotency-Key"] = idempotency_key
        retryable = method == "GET" or idempotency_key is not None
        budget = min(attempts or self._retry.attempts, self._retry.attempts)
        failures = throttles = 0
        while True:
            try:
                response = self._send(method, path, params, body, headers)
            except requests.RequestException as error:
                failures += 1
                # A certificate that fails verification fails the same way on every try.
                permanent = isinstance(error, requests.exceptions.SSLError)
                if not retryable or permanent or failures >= budget:
                    raise ServerError(describe_connection_error(error, self.server)) from None
                self._sleep(self._retry.delay(failures - 1, None))
                continue
            status = response.status_code
            if retryable and status == 429 and throttles < self._retry.throttled:
                throttles += 1
                self._sleep(self._retry.delay(throttles - 1, _retry_after(response)))
                continue
            if retryable and status in RETRY_STATUSES - {429}:
                failures += 1
                if failures < budget:
                    self._sleep(self._retry.delay(failures - 1, _retry_after(response)))
                    continue
            return self._interpret(method, path, response)

    def close(self) -> None:
        with self._lock:
            for session in self._sessions:
                session.close()
            self._sessions.clear()
            self._idle.clear()

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _checkout(self) -> requests.Session:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        session = requests.Session()
        session.verify = self._connection.verify
        session.trust_env = True
        session.mount("http://", HTTPAdapter(pool_maxsize=4))
        session.mount("https://", HTTPAdapter(pool_maxsize=4))
        with self._lock:
            self._sessions.append(session)
        return session

    def _checkin(self, session: requests.Session) -> None:
        with self._lock:
            if session in self._sessions:  # not closed meanwhile
                self._idle.append(session)

    def _send(
        self,
        method: str,
        path: str,
        params: Mapping[str, str] | None,
        body: Any,
        headers: dict[str, str],
    ) -> requests.Response:
        url = self._connection.api_root + path
        started = time.perf_counter()
        # verify per request, not only on the session: requests lets REQUESTS_CA_BUNDLE or
        # CURL_CA_BUNDLE override a session's verify, which would undo --ca-bundle and --insecure.
        session = self._checkout()
        try:
            response = session.request(
                method,
                url,
                params=params,
                json=body,
                headers=headers,
                timeout=self._connection.timeout,
                verify=self._connection.verify,
            )
        finally:
            self._checkin(session)
        elapsed = (time.perf_counter() - started) * 1000
        log.debug("%s %s -> %d (%.0f ms)", method, path, response.status_code, elapsed)
        return response

    def _interpret(self, method: str, path: str, response: requests.Response) -> ApiResponse:
        if response.status_code == 204 or not response.content:
            body: Any = None
        else:
            try:
                body = response.json()
            except ValueError:
                kind = response.headers.get("Content-Type", "no content type")
                raise ServerError(
                    f"{method} {self.server}/api/v1{path} answered {response.status_code} with "
                    f"non-JSON ({kind}): is this a memoQweb-style API?"
                ) from None
        if response.status_code >= 400:
            raise ApiError.from_response(method, path, response.status_code, body, self.server)
        return ApiResponse(response.status_code, body, _etag_version(response))


def paginate(
    get: Callable[[str, Mapping[str, str] | None], ApiResponse],
    path: str,
    params: Mapping[str, str] | None = None,
    *,
    limit: int = 1000,
) -> Iterator[dict[str, Any]]:
    """Every item of a cursor-paginated collection; bounded, and refuses a cursor that repeats."""
    query = {**(params or {}), "limit": str(limit)}
    seen: set[str] = set()
    for _page in range(MAX_PAGES):
        body = get(path, query).body
        if not isinstance(body, dict) or not isinstance(body.get("Items"), list):
            raise ServerError(f"GET {path}: the answer is not a listing ({{'Items': [...]}})")
        yield from body["Items"]
        cursor = body.get("Next")
        if not cursor:
            return
        if cursor in seen:
            raise ServerError(f"GET {path}: the server repeated a page cursor")
        seen.add(cursor)
        query = {**query, "after": str(cursor)}
    raise ServerError(f"GET {path}: more than {MAX_PAGES} pages")


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def _etag_version(response: requests.Response) -> int | None:
    etag = response.headers.get("ETag", "").strip().removeprefix("W/").strip('"')
    return int(etag) if etag.isdigit() else None
