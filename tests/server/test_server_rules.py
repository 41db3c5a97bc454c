"""Domain rules of api.md and the lead's decisions, over HTTP."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from portalsync.server.testing import AdminClient, RunningServer, SamplePortal

PROJECT_MANAGERS = "/groups/00000000-0000-0000-0000-000000000002/users"


def test_built_in_groups_and_templates(admin: AdminClient) -> None:
    groups = {g["Name"]: g["GroupGuid"] for g in admin.all_items("/groups")}
    assert groups == {
        "Administrators": "00000000-0000-0000-0000-000000000001",
        "ProjectManagers": "00000000-0000-0000-0000-000000000002",
    }
    templates = {t["Name"]: t for t in admin.all_items("/projecttemplates")}
    assert templates["Legal FR-EN"]["SourceLanguage"] == "fre"
    assert templates["Software EN-multi"]["TargetLanguages"] == [
        "ger",
        "fre",
        "jpn",
        "zho-CN",
        "kor",
        "hun",
    ]
    assert len(templates) == 6


def test_seed_file_replaces_the_templates(
    server_factory: Callable[..., RunningServer], tmp_path: Path
) -> None:
    seed = tmp_path / "seed.yaml"
    seed.write_text(
        "project_templates:\n"
        "  - name: Only One\n    source_language: eng\n    target_languages: [pol]\n"
    )
    server = server_factory(seed=seed)
    names = [
        t["Name"] for t in AdminClient(server.url, server.token).all_items("/projecttemplates")
    ]
    assert names == ["Only One"]


def test_token_file_is_private(server: RunningServer) -> None:
    token_file = server.db_path.with_name(server.db_path.name + ".admin-token")
    assert token_file.read_text().strip() == server.token
    assert os.stat(token_file).st_mode & 0o777 == 0o600


def test_client_pms_must_be_project_managers(admin: AdminClient, portal: SamplePortal) -> None:
    outsider = admin.post("/users", {"UserName": "outsider"}).json()["UserGuid"]
    path = f"/customerportal/clients/{portal.client}/projectmanagers"
    answer = admin.put(path, {"UserGuids": [portal.pm, outsider]})
    assert answer.status_code == 400
    assert outsider in answer.json()["Message"]
    assert admin.get(path).json() == {"UserGuids": [portal.pm]}


def test_assignments_bump_the_client_version_and_are_embedded(
    admin: AdminClient, portal: SamplePortal
) -> None:
    client = admin.get(f"/customerportal/clients/{portal.client}").json()
    assert client["ProjectManagers"] == [portal.pm]
    assert client["Services"] == [portal.service]
    assert client["Version"] == 3  # created, PMs set, services set
    listed = admin.get("/customerportal/clients", params={"q": "acm"}).json()["Items"]
    assert listed == [client]
    assert admin.get("/customerportal/clients", params={"q": "zzz"}).json()["Items"] == []


def test_contact_services_must_be_available_to_the_client(
    admin: AdminClient, portal: SamplePortal
) -> None:
    body = {"Name": "Everyone", "TemplateGuid": portal.template, "Workflow": "AutomaticProject"}
    other = admin.post("/customerportal/services", body).json()["ServiceGuid"]
    contact = f"/customerportal/contacts/{portal.contact}"
    assert admin.put(contact, {"Services": [other]}).status_code == 400
    admin.put(f"/customerportal/services/{other}", {"AllClients": True})
    assert admin.put(contact, {"Services": [other, portal.service]}).status_code == 200
    # narrowing a service while a contact orders it is refused
    narrowed = admin.put(f"/customerportal/services/{other}", {"AllClients": False})
    assert narrowed.status_code == 409
    assert narrowed.json()["Code"] == "ServiceInUse"
    unassigned = admin.put(
        f"/customerportal/clients/{portal.client}/services", {"ServiceGuids": []}
    )
    assert unassigned.status_code == 409
    assert admin.delete(f"/customerportal/services/{portal.service}").status_code == 409
    assert admin.put(contact, {"Services": []}).status_code == 200
    assert admin.delete(f"/customerportal/services/{portal.service}").status_code == 204
    client = admin.get(f"/customerportal/clients/{portal.client}").json()
    assert client["Services"] == []


def test_contacts_soft_delete_frees_the_email(admin: AdminClient, portal: SamplePortal) -> None:
    path = f"/customerportal/contacts/{portal.contact}"
    duplicate = {"EmailAddress": "ANN@acme.example"}
    clash = admin.post(f"/customerportal/clients/{portal.client}/contacts", duplicate)
    assert clash.status_code == 409
    assert admin.delete(path).status_code == 204
    assert admin.get(path).json()["Status"] == "Deleted"
    assert admin.get("/customerportal/contacts").json()["Items"] == []
    every = admin.get("/customerportal/contacts", params={"includeDeleted": "true"}).json()
    assert [c["ContactGuid"] for c in every["Items"]] == [portal.contact]
    again = admin.post(f"/customerportal/clients/{portal.client}/contacts", duplicate)
    assert again.status_code == 201
    assert admin.put(path, {"FullName": "x"}).status_code == 404


def test_deleting_a_client_deletes_its_contacts_and_frees_its_name(
    admin: AdminClient, portal: SamplePortal
) -> None:
    assert admin.delete(f"/customerportal/clients/{portal.client}").status_code == 204
    contact = admin.get(f"/customerportal/contacts/{portal.contact}").json()
    assert contact["Status"] == "Deleted"
    assert admin.post("/customerportal/clients", {"Name": "ACME"}).status_code == 201
    assert admin.all_items("/customerportal/contacts", {"client": portal.client}) == []


def test_contact_email_change_needs_activation_again(
    admin: AdminClient, portal: SamplePortal
) -> None:
    order = {"ContactEmail": "ann@acme.example", "ServiceGuid": portal.service, "Name": "Job"}
    admin.post(f"/customerportal/clients/{portal.client}/requests", order)
    path = f"/customerportal/contacts/{portal.contact}"
    assert admin.get(path).json()["Status"] == "Active"
    changed = admin.put(path, {"EmailAddress": "ann@new.example"})
    assert changed.json()["Status"] == "Pending"
    assert admin.put(path, {"ClientGuid": portal.client}).status_code == 400  # read-only


def test_user_name_cannot_change(admin: AdminClient, portal: SamplePortal) -> None:
    path = f"/users/{portal.pm}"
    assert admin.put(path, {"UserName": "other"}).status_code == 400
    renamed = admin.put(path, {"UserName": "pm.one", "FullName": "New Name"})
    assert renamed.status_code == 200
    assert renamed.json()["FullName"] == "New Name"
    assert admin.post("/users", {"UserName": "PM.ONE"}).status_code == 409


def test_pm_helper_and_group_versions(admin: AdminClient) -> None:
    before = admin.get(PROJECT_MANAGERS).headers["ETag"]
    admin.create_project_manager("pm.two")
    after = admin.get(PROJECT_MANAGERS)
    assert after.headers["ETag"] != before
    assert len(after.json()["UserGuids"]) == 1
