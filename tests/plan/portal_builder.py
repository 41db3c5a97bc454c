"""Build a live portal from a DesiredPortal through the API, as an administrator clicking through
memoQweb would (used until and beside apply; apply's tests may reuse it)."""

from __future__ import annotations

from typing import Any

from portalsync.backend.spelling import ROLE_TO_API, WORKFLOW_TO_API
from portalsync.model import DesiredPortal
from portalsync.names import name_key
from portalsync.server.testing import AdminClient


def _ok(answer: Any) -> Any:
    assert answer.status_code < 300, f"{answer.status_code} {answer.text}"
    return answer.json() if answer.content else None


def build_portal(admin: AdminClient, desired: DesiredPortal) -> dict[str, str]:
    """Create everything `desired` declares; return GUIDs by kind:name key."""
    guids: dict[str, str] = {}
    templates = {
        name_key(t["Name"]): t["TemplateGuid"] for t in admin.all_items("/projecttemplates")
    }
    for pm in desired.project_managers:
        guids[f"user:{pm.key}"] = admin.create_project_manager(pm.username, pm.full_name, pm.email)
    for service in desired.services:
        body = {
            "Name": service.name,
            "Description": service.description,
            "TemplateGuid": templates[name_key(service.template)],
            "Workflow": WORKFLOW_TO_API[service.workflow],
            "AllClients": service.all_clients,
        }
        guids[f"service:{service.key}"] = _ok(admin.post("/customerportal/services", body))[
            "ServiceGuid"
        ]
    for client in desired.clients:
        body = {"Name": client.name, "Description": client.description}
        guid = _ok(admin.post("/customerportal/clients", body))["ClientGuid"]
        guids[f"client:{client.key}"] = guid
        users = [guids[f"user:{name_key(n)}"] for n in client.project_managers]
        services = [guids[f"service:{name_key(n)}"] for n in client.services]
        _ok(admin.put(f"/customerportal/clients/{guid}/projectmanagers", {"UserGuids": users}))
        _ok(admin.put(f"/customerportal/clients/{guid}/services", {"ServiceGuids": services}))
        for contact in client.contacts:
            body = {
                "FullName": contact.full_name,
                "EmailAddress": contact.email,
                "Role": ROLE_TO_API[contact.role],
                "Services": [guids[f"service:{name_key(n)}"] for n in contact.services],
            }
            created = _ok(admin.post(f"/customerportal/clients/{guid}/contacts", body))
            guids[f"contact:{contact.key}"] = created["ContactGuid"]
    return guids
