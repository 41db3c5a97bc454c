"""The API spells enum values in PascalCase (`ManualProject`), the config in snake_case
(`manual_project`): one table each, and its inverse, for the reader and the writer."""

from __future__ import annotations

from portalsync.model import Role, Workflow

WORKFLOW_FROM_API: dict[str, Workflow] = {
    "Quote": "quote",
    "ManualProject": "manual_project",
    "AutomaticProject": "automatic_project",
}
ROLE_FROM_API: dict[str, Role] = {
    "Requester": "requester",
    "Observer": "observer",
    "Manager": "manager",
}
WORKFLOW_TO_API: dict[str, str] = {config: api for api, config in WORKFLOW_FROM_API.items()}
ROLE_TO_API: dict[str, str] = {config: api for api, config in ROLE_FROM_API.items()}
