"""`portalsync export` end to end: read only, and `portalsync plan` on the result finds nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from portalsync.cli import main
from portalsync.live import PROJECT_MANAGERS_GROUP
from portalsync.server.testing import AdminClient, RunningServer


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(args)
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


@pytest.fixture
def portal(server: RunningServer, admin: AdminClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """A client with no PM, contact or service, and a service named like a YAML boolean."""
    monkeypatch.setenv("PORTALSYNC_SERVER", server.url)
    monkeypatch.setenv("PORTALSYNC_TOKEN", server.token)
    template = admin.all_items("/projecttemplates")[0]["TemplateGuid"]
    service = {"Name": "yes", "Description": "", "TemplateGuid": template, "Workflow": "Quote"}
    admin.post("/customerportal/services", service).raise_for_status()
    admin.post("/customerportal/clients", {"Name": "CON", "Description": "1e3"}).raise_for_status()
    server.reset_request_counts()


@pytest.mark.usefixtures("portal")
def test_per_client_export_reads_only_and_plans_no_changes(
    server: RunningServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(
        ["export", "--layout", "per-client", "--out", str(tmp_path / "p")], capsys
    )
    assert status == 0, err
    assert out == ""
    assert set(server.requests_by_method()) == {"GET"}
    assert sorted(p.name for p in (tmp_path / "p" / "clients").iterdir())[0].startswith("con-")
    assert "Exported 1 client, 1 service and 0 project managers to " in err
    assert "note: 1 client breaks memoQ's setup rule" in err
    status, out, err = run(["plan", str(tmp_path / "p")], capsys)
    assert (status, out) == (0, "No changes.\n"), err


@pytest.mark.usefixtures("portal")
def test_single_export_goes_to_stdout_and_plans_no_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _err = run(["export", "--schema-ref", "../schema.json"], capsys)
    assert status == 0
    assert out.startswith("# yaml-language-server: $schema=../schema.json\nversion: 1\n")
    assert "  - name: 'yes'\n" in out
    (tmp_path / "portalsync.yaml").write_text(out, encoding="utf-8")
    status, out, err = run(["plan", str(tmp_path / "portalsync.yaml")], capsys)
    assert (status, out) == (0, "No changes.\n"), err


def test_per_client_layout_needs_a_directory(capsys: pytest.CaptureFixture[str]) -> None:
    status, _out, err = run(["export", "--layout", "per-client"], capsys)
    assert status == 1
    assert "--out DIRECTORY" in err


@pytest.mark.parametrize("quiet", [False, True])
def test_quiet_export_prints_no_warning(
    quiet: bool,
    server: RunningServer,
    admin: AdminClient,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PORTALSYNC_SERVER", server.url)
    monkeypatch.setenv("PORTALSYNC_TOKEN", server.token)
    user = admin.create_project_manager("ex.pm", "Ex PM", "ex.pm@lsp.example")
    client = admin.post("/customerportal/clients", {"Name": "Acme"}).json()["ClientGuid"]
    path = f"/customerportal/clients/{client}/projectmanagers"
    assert admin.put(path, {"UserGuids": [user]}).ok
    group = admin.get(f"/groups/{PROJECT_MANAGERS_GROUP}/users")  # the user leaves the group
    others = [guid for guid in group.json()["UserGuids"] if guid != user]
    etag = {"If-Match": group.headers["ETag"]}
    assert admin.put(f"/groups/{PROJECT_MANAGERS_GROUP}/users", {"UserGuids": others}, etag).ok
    status, out, err = run(["export", *(["-q"] if quiet else [])], capsys)
    assert status == 0
    assert "username: ex.pm" in out
    if quiet:
        assert err == ""
    else:
        assert "warning: user 'ex.pm' is assigned to a client but not in the ProjectManagers" in err
