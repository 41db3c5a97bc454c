"""Schemathesis against the server's own OpenAPI document: no 5xx, answers as documented."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks
from schemathesis.core.result import Ok

from portalsync.server.testing import (
    AdminClient,
    RunningServer,
    build_sample_portal,
    running_server,
)

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]


@pytest.fixture(scope="module")
def api_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with running_server(tmp_path_factory.mktemp("openapi") / "portal.db") as running:
        build_sample_portal(AdminClient(running.url, running.token))
        yield running


def test_api_conforms_to_its_document(api_server: RunningServer) -> None:
    """Every operation, a bounded number of generated examples each (fixed seed)."""
    schema = schemathesis.openapi.from_url(f"{api_server.url}/api/v1/openapi.json")
    results = list(schema.get_all_operations())
    operations = [result.ok() for result in results if isinstance(result, Ok)]
    assert len(operations) == len(results)  # every operation of the document loads
    assert len(operations) >= 30
    api_server.reset_request_counts()
    for operation in operations:
        _exercise(operation, api_server)
    sent = api_server.requests_by_method()
    assert sent["GET"] > 100 and sent["POST"] > 50 and sent["PUT"] > 50 and sent["DELETE"] > 10


def _exercise(operation: Any, api_server: RunningServer) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=12,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,  # the same examples on every run: a failure is reproducible
        database=None,
    )
    def check(case: Any) -> None:
        case.call_and_validate(
            base_url=api_server.url,
            headers={"Authorization": f"MQS-API {api_server.token}"},
            checks=CHECKS,
            timeout=10,
        )

    check()


def test_document_is_served_and_lists_every_path(admin: AdminClient) -> None:
    document = admin.get("/openapi.json").json()
    paths = set(document["paths"])
    for path in (
        "/api/v1/users",
        "/api/v1/users/{user_guid}",
        "/api/v1/groups",
        "/api/v1/groups/{group_guid}/users",
        "/api/v1/projecttemplates",
        "/api/v1/customerportal/services",
        "/api/v1/customerportal/services/{service_guid}",
        "/api/v1/customerportal/clients",
        "/api/v1/customerportal/clients/{client_guid}",
        "/api/v1/customerportal/clients/{client_guid}/projectmanagers",
        "/api/v1/customerportal/clients/{client_guid}/services",
        "/api/v1/customerportal/contacts",
        "/api/v1/customerportal/clients/{client_guid}/contacts",
        "/api/v1/customerportal/contacts/{contact_guid}",
        "/api/v1/customerportal/clients/{client_guid}/requests",
        "/api/v1/projects",
        "/api/v1/auth/login",
        "/api/v1/health",
    ):
        assert path in paths
    assert "HTTPValidationError" not in str(document)
