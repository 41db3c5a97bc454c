"""`portalsync plan` end to end against the reference server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portalsync.config import load_portal
from portalsync.live import PROJECT_MANAGERS_GROUP
from portalsync.server.testing import AdminClient, RunningServer

from .cli_run import PORTAL, connect, run
from .portal_builder import build_portal


@pytest.fixture
def admin(server: RunningServer) -> AdminClient:
    return AdminClient(server.url, server.token)


@pytest.fixture
def built(
    server: RunningServer, admin: AdminClient, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """The test portal, live and in sync with data/portal.yaml."""
    connect(monkeypatch, server)
    return build_portal(admin, load_portal([PORTAL])[0])


def planned(*args: str) -> list[tuple[str, str, str]]:
    result = run("plan", PORTAL, "--format", "json", *args)
    assert result.code == 0, result.err
    return [(c["action"], c["kind"], c["key"]) for c in json.loads(result.out)["changes"]]


def test_empty_server_gets_a_full_create_plan(
    server: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    connect(monkeypatch, server)
    result = run("plan", PORTAL)
    assert result.code == 0, result.err
    assert '+ client "株式会社サクラ"  (' in result.out
    assert f"{PORTAL}:" in result.out  # provenance on every create
    assert result.out.rstrip().endswith("Plan: 17 to add, 0 to change, 0 to rename, 0 to destroy.")
    assert run("plan", PORTAL, "--detailed-exitcode").code == 2


def test_unchanged_portal_prints_no_changes_and_sends_only_gets(
    built: dict[str, str], server: RunningServer
) -> None:
    server.reset_request_counts()
    result = run("plan", PORTAL)
    assert (result.code, result.out) == (0, "No changes.\n")
    assert run("plan", PORTAL, "--detailed-exitcode").code == 0
    counts = server.requests_by_method()
    assert set(counts) == {"GET"}
    # health + six whole-collection listings per run, never one request per object
    assert counts["GET"] == 14


def test_manual_changes_through_the_api_show_as_exactly_those_changes(
    built: dict[str, str], admin: AdminClient
) -> None:
    sakura = built["client:株式会社サクラ"]
    version = admin.get(f"/customerportal/clients/{sakura}").json()["Version"]
    admin.put(
        f"/customerportal/clients/{sakura}",
        {"Name": "株式会社サクラ", "Description": "edited"},
        headers={"If-Match": f'"{version}"'},
    ).raise_for_status()
    admin.post(
        "/customerportal/clients", {"Name": "Stray Ltd", "Description": ""}
    ).raise_for_status()
    admin.post(
        "/customerportal/clients", {"Name": "Test sandbox", "Description": ""}
    ).raise_for_status()
    admin.delete(
        f"/customerportal/contacts/{built['contact:claire@client.example']}"
    ).raise_for_status()
    acme = built["client:acme"]
    version = admin.get(f"/customerportal/clients/{acme}").json()["Version"]
    admin.put(
        f"/customerportal/clients/{acme}",
        {"Name": "ACME Corp", "Description": ""},
        headers={"If-Match": f'"{version}"'},
    ).raise_for_status()
    # Acme was renamed on the server: without previous_names the config's Acme is a new client,
    # ACME Corp a stray, and Ann moves from the one to the other.
    assert planned() == [
        ("create", "client", "Acme"),
        ("update", "client", "株式会社サクラ"),
        ("create", "client_project_managers", "Acme"),
        ("create", "client_services", "Acme"),
        ("delete", "contact", "ann@acme.example"),
        ("create", "contact", "ann@acme.example"),
        ("create", "contact", "claire@client.example"),
        ("delete", "client", "ACME Corp"),
        ("delete", "client", "Stray Ltd"),
    ]
    result = run("plan", PORTAL)
    assert "Apply needs --allow-delete: 3 deletes" in result.out
    assert "[destructive: needs --allow-delete]" in result.out
    assert '    description: "Tokyo office" -> ' not in result.out
    assert '    description: "edited" -> "Tokyo office"' in result.out


def test_rename_through_previous_names_keeps_the_client(
    built: dict[str, str], admin: AdminClient, tmp_path: Path
) -> None:
    text = Path(PORTAL).read_text(encoding="utf-8")
    text = text.replace("[Legal FR>EN]", "[Legal FR>EN (courts)]")
    text = text.replace("[Legal FR>EN,", "[Legal FR>EN (courts),")
    text = text.replace("  - name: Acme\n", "  - name: Acme Europe\n    previous_names: [Acme]\n")
    text = text.replace(
        "  - name: Legal FR>EN\n",
        "  - name: Legal FR>EN (courts)\n    previous_names: [Legal FR>EN]\n",
    )
    config = tmp_path / "renamed.yaml"
    config.write_text(text, encoding="utf-8")
    result = run("plan", str(config), "--format", "json")
    assert result.code == 0, result.err
    changes = json.loads(result.out)["changes"]
    assert [(c["action"], c["kind"], c["key"], c["before"], c["guid"]) for c in changes] == [
        (
            "rename",
            "service",
            "Legal FR>EN (courts)",
            {"name": "Legal FR>EN"},
            built["service:legal fr>en"],
        ),
        ("rename", "client", "Acme Europe", {"name": "Acme"}, built["client:acme"]),
    ]


def test_prune_off_counts_unmanaged_and_says_so(
    built: dict[str, str], admin: AdminClient, tmp_path: Path
) -> None:
    admin.post(
        "/customerportal/clients", {"Name": "Stray Ltd", "Description": ""}
    ).raise_for_status()
    config = portal_variant(tmp_path / "noprune.yaml", "settings:\n", "settings:\n  prune: false\n")
    result = run("plan", str(config))
    assert (result.code, result.out) == (0, "No changes.\n")
    assert "1 client and 0 services on the server are not declared" in result.err


def test_disabled_project_manager_is_a_warning(built: dict[str, str], admin: AdminClient) -> None:
    guid = built["user:ytanaka"]
    user = admin.get(f"/users/{guid}").json()
    admin.put(
        f"/users/{guid}",
        {"FullName": user["FullName"], "EmailAddress": user["EmailAddress"], "IsDisabled": True},
        headers={"If-Match": f'"{user["Version"]}"'},
    ).raise_for_status()
    result = run("plan", PORTAL)
    assert result.out == "No changes.\n"
    assert "warning: project manager 'ytanaka'" in result.err and "disabled" in result.err


def test_missing_template_is_exit_3_naming_the_line(
    server: RunningServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    connect(monkeypatch, server)
    config = portal_variant(tmp_path / "bad.yaml", "template: Legal FR-EN", "template: Legal XX-EN")
    result = run("plan", str(config))
    assert result.code == 3
    assert f"{config}:15:" in result.err and "'Legal XX-EN' does not exist" in result.err


def test_out_saves_a_plan_that_goes_stale_when_the_portal_changes(
    built: dict[str, str], admin: AdminClient, server: RunningServer, tmp_path: Path
) -> None:
    from portalsync.backend.connection import Connection
    from portalsync.backend.reader import PortalReader
    from portalsync.backend.transport import Transport
    from portalsync.plan import load_plan, stale_objects

    out = tmp_path / "plan.json"
    assert run("plan", PORTAL, "--out", str(out)).code == 0
    assert server.token not in out.read_text(encoding="utf-8")
    saved = load_plan(str(out))
    assert saved.server == server.url
    with Transport(Connection(server.url, server.token)) as transport:
        reader = PortalReader(transport)
        assert stale_objects(saved, reader.read_portal()) == []
        members = admin.get(f"/groups/{PROJECT_MANAGERS_GROUP}/users")
        sakura = built["client:株式会社サクラ"]
        version = admin.get(f"/customerportal/clients/{sakura}").json()["Version"]
        admin.put(
            f"/customerportal/clients/{sakura}",
            {"Name": "株式会社サクラ", "Description": "x"},
            headers={"If-Match": f'"{version}"'},
        ).raise_for_status()
        assert members.ok
        assert stale_objects(saved, reader.read_portal()) == [
            f"client '株式会社サクラ' (version {version} -> {version + 1}): "
            'description "Tokyo office" -> "x"'
        ]


def test_reader_holds_only_the_get_function(server: RunningServer) -> None:
    from portalsync.backend.connection import Connection
    from portalsync.backend.reader import PortalReader
    from portalsync.backend.transport import Transport

    with Transport(Connection(server.url, server.token)) as transport:
        reader = PortalReader(transport, concurrency=3)
        assert not any(isinstance(value, Transport) for value in vars(reader).values())
        assert not hasattr(reader, "request") and not hasattr(reader, "post")
        server.reset_request_counts()
        live = reader.read_portal()
    assert server.requests_by_method() == {"GET": 6}
    assert live.project_managers_group.guid == PROJECT_MANAGERS_GROUP
    assert {t.name for t in live.templates} >= {"Legal FR-EN", "Technical JA-EN"}


def portal_variant(path: Path, old: str, new: str) -> Path:
    """The test portal with one edit, written to `path`."""
    path.write_text(Path(PORTAL).read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return path
