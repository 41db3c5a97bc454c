"""Turning HTTP failures into one readable line each. No message ever holds the token."""

from __future__ import annotations

from typing import Any

import requests

from portalsync.errors import ServerError


class ApiError(ServerError):
    """The server answered with an error status (after any retries)."""

    def __init__(self, method: str, path: str, status: int, code: str, message: str) -> None:
        super().__init__(f"{method} {path}: {status} {code}: {message}".rstrip(": "))
        self.method = method
        self.path = path
        self.status = status
        self.code = code
        self.message = message

    @classmethod
    def from_response(cls, method: str, path: str, status: int, body: Any, server: str) -> ApiError:
        code = body.get("Code", "") if isinstance(body, dict) else ""
        message = body.get("Message", "") if isinstance(body, dict) else ""
        if status == 401:
            return AuthError(method, path, status, code or "Unauthorized", _UNAUTHORIZED)
        if status == 403 and not code.startswith("ServiceNotAllowed"):
            return AuthError(method, path, status, code or "Forbidden", _FORBIDDEN)
        return cls(method, path, status, str(code), str(message))


class AuthError(ApiError):
    """401 or 403: the token is wrong, or its user may not do this."""


_UNAUTHORIZED = "the server refused the token: check PORTALSYNC_TOKEN or --token-file"
_FORBIDDEN = "permission denied: the token's user must be a member of Administrators"


def describe_connection_error(error: requests.RequestException, server: str) -> str:
    """One line for a request that got no HTTP answer at all."""
    text = str(error)
    if isinstance(error, requests.exceptions.SSLError):
        if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
            return (
                f"TLS failure talking to {server}: the certificate could not be verified "
                "(pass --ca-bundle FILE for a private CA)"
            )
        return (
            f"TLS failure talking to {server}: the TLS handshake failed "
            "(does the server speak https on this port?)"
        )
    if isinstance(error, requests.exceptions.Timeout):
        return f"no answer from {server} within the timeout (raise it with --timeout)"
    if "Name or service not known" in text or "getaddrinfo" in text or "resolve" in text.lower():
        return f"cannot resolve the host of {server} (DNS lookup failed)"
    if "refused" in text.lower():
        return f"cannot connect to {server}: connection refused (is the server running?)"
    return f"cannot reach {server}: {type(error).__name__}"
