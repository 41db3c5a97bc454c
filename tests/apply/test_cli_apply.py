"""`portalsync apply` as a user runs it: refusals before any write, a kill half way, races."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from portalsync.plan import save_plan
from portalsync.server.testing import AdminClient, RunningServer

from .portal import (
    ServerFactory,
    apply_config,
    plan_for,
    portal_config,
    read,
    run_cli,
    snapshot,
    transport_for,
    write_config,
)

WRITES = ("POST", "PUT", "DELETE")


def writes(server: RunningServer) -> int:
    counts = server.requests_by_method()
    return sum(counts[method] for method in WRITES)


def test_without_a_terminal_or_auto_approve_it_refuses_at_once(
    server: RunningServer, tmp_path: Path
) -> None:
    config = write_config(tmp_path, portal_config(1))
    result = run_cli(server, "apply", config)
    assert result.returncode == 4
    assert "--auto-approve" in result.stderr
    assert writes(server) == 0


def test_deletes_need_allow_delete_and_nothing_is_written(
    server: RunningServer, tmp_path: Path
) -> None:
    with transport_for(server) as transport:
        assert apply_config(write_config(tmp_path, portal_config(5)), transport).ok
    server.reset_request_counts()
    config = write_config(tmp_path, portal_config(6))
    refused = run_cli(server, "apply", config, "--auto-approve")
    assert refused.returncode == 4, refused.stderr
    assert "--allow-delete" in refused.stderr
    assert writes(server) == 0
    applied = run_cli(server, "apply", config, "--auto-approve", "--allow-delete", "-q")
    assert applied.returncode == 0, applied.stderr
    assert run_cli(server, "apply", config, "--auto-approve").stdout.strip() == "No changes."


def test_thresholds_need_force(server: RunningServer, tmp_path: Path) -> None:
    strict = portal_config(1, clients=10)
    with transport_for(server) as transport:
        assert apply_config(write_config(tmp_path, strict), transport).ok
    edited = portal_config(2, clients=10)
    del edited["settings"]  # back to the default limits: 30% of clients updated at most
    config = write_config(tmp_path, edited)
    refused = run_cli(server, "apply", config, "--auto-approve")
    assert refused.returncode == 4 and "--force" in refused.stderr
    assert run_cli(server, "apply", config, "--auto-approve", "--force").returncode == 0


def test_killed_half_way_then_applied_again_converges_without_duplicates(
    server_factory: ServerFactory, tmp_path: Path
) -> None:
    server = server_factory(latency_ms=20)
    config = write_config(tmp_path, portal_config(1, clients=30))
    child = _apply_in_background(server, config, after_posts=40)
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=10)
    assert child.returncode == -signal.SIGKILL, "apply finished before it could be killed"
    with transport_for(server) as transport:
        assert plan_for(config, transport).changes, "the kill left nothing to do"
        again = run_cli(server, "apply", config, "--auto-approve")
        assert again.returncode == 0, again.stderr
        assert plan_for(config, transport).changes == ()
        counts = snapshot(read(transport))["counts"]
    assert counts == {"users": 1 + 3, "clients": 30, "contacts": 60, "services": 5}


def test_a_saved_plan_made_stale_by_an_edit_is_refused_naming_what_changed(
    server: RunningServer, admin: AdminClient, tmp_path: Path
) -> None:
    with transport_for(server) as transport:
        assert apply_config(write_config(tmp_path, portal_config(1)), transport).ok
        saved = tmp_path / "plan.json"
        save_plan(plan_for(write_config(tmp_path, portal_config(2)), transport), str(saved))
    client = admin.all_items("/customerportal/clients", params={"q": "Client 004"})[0]
    edit = {"Description": "edited by a colleague"}
    assert admin.put(f"/customerportal/clients/{client['ClientGuid']}", edit).status_code == 200
    server.reset_request_counts()
    refused = run_cli(server, "apply", "--plan", str(saved), "--auto-approve")
    assert refused.returncode == 4
    assert "Client 004" in refused.stderr and "description" in refused.stderr
    assert writes(server) == 0


def test_a_saved_plan_for_another_server_is_refused(
    server_factory: ServerFactory, tmp_path: Path
) -> None:
    first, second = server_factory(), server_factory()
    with transport_for(first) as transport:
        saved = tmp_path / "plan.json"
        save_plan(plan_for(write_config(tmp_path, portal_config(1)), transport), str(saved))
    refused = run_cli(second, "apply", "--plan", str(saved), "--auto-approve")
    assert refused.returncode == 4 and first.url in refused.stderr
    assert writes(second) == 0
    applied = run_cli(first, "apply", "--plan", str(saved), "--auto-approve", "-q")
    assert applied.returncode == 0, applied.stderr


def test_an_edit_during_apply_fails_that_change_with_412_and_the_others_apply(
    server: RunningServer, admin: AdminClient, tmp_path: Path
) -> None:
    with transport_for(server) as transport:
        assert apply_config(write_config(tmp_path, portal_config(3)), transport).ok
        config = write_config(tmp_path, portal_config(4))
        edited: list[str] = []

        def colleague_edits(_step: object, _result: object) -> None:
            # After the first step, someone edits Client 001, whose services are narrowed later.
            if not edited:
                guid = admin.all_items("/customerportal/clients", {"q": "Client 001"})[0]
                answer = admin.put(f"/customerportal/clients/{guid['ClientGuid']}",
                                   {"Description": "edited meanwhile"})  # fmt: skip
                edited.append(str(answer.status_code))

        result = apply_config(config, transport, concurrency=1, listener=colleague_edits)
    assert edited == ["200"]
    failed = [o for o in result.outcomes if o.status == "failed"]
    assert [(o.change.kind, o.change.key) for o in failed] == [("client_services", "Client 001")]
    assert "changed on the server since the plan" in failed[0].reason
    skipped = [o for o in result.outcomes if o.status == "skipped"]
    assert skipped and {(o.change.kind, o.change.client) for o in skipped} == {
        ("contact", "Client 001")
    }  # they wait for their client's services
    assert result.count("applied") == len(result.outcomes) - 1 - len(skipped)


def test_on_a_terminal_only_yes_applies(server: RunningServer, tmp_path: Path) -> None:
    config = write_config(tmp_path, portal_config(1))
    for answer, code in (("y", 4), ("yes", 0)):
        leader, follower = os.openpty()  # a terminal for the child's stdin
        try:
            os.write(leader, f"{answer}\n".encode())
            result = run_cli(server, "apply", config, stdin=follower)
        finally:
            os.close(leader)
            os.close(follower)
        assert result.returncode == code, result.stderr
        assert "Apply these changes? Only 'yes' is accepted: " in result.stderr
        assert "accepted::" not in result.stderr  # the prompt is exactly the documented text
        assert (writes(server) > 0) == (answer == "yes")


def test_end_of_input_at_the_prompt_is_a_refusal(server: RunningServer, tmp_path: Path) -> None:
    config = write_config(tmp_path, portal_config(1))
    leader, follower = os.openpty()
    try:
        os.write(leader, b"\x04")  # Ctrl-D: the terminal's end of input
        result = run_cli(server, "apply", config, stdin=follower)
    finally:
        os.close(leader)
        os.close(follower)
    assert result.returncode == 4, result.stderr
    assert "nothing was changed" in result.stderr
    assert writes(server) == 0


def test_one_apply_converges_on_a_write_failing_six_times_in_a_row(
    server_factory: ServerFactory, tmp_path: Path
) -> None:
    # Seed 750 at rate 0.5 fails the first six writes (the third after committing), then lets
    # writes through: one service create, sent one at a time, must still land exactly once.
    server = server_factory(fault_rate=0.5, fault_seed=750)
    config = tmp_path / "portal.yaml"
    config.write_text(
        "version: 1\nservices:\n  - name: Legal\n    template: Legal FR-EN\n    workflow: quote\n",
        encoding="utf-8",
    )
    result = run_cli(server, "apply", str(config), "--auto-approve", "--concurrency", "1")
    assert result.returncode == 0, result.stderr
    assert server.requests_by_method()["POST"] == 7
    admin = AdminClient(server.url, server.token)
    assert [s["Name"] for s in admin.all_items("/customerportal/services")] == ["Legal"]


def test_ctrl_c_lets_changes_in_flight_finish_and_prints_the_summary(
    server_factory: ServerFactory, tmp_path: Path
) -> None:
    server = server_factory(latency_ms=20)
    config = write_config(tmp_path, portal_config(1, clients=30))
    child = _apply_in_background(server, config, after_posts=20)
    child.send_signal(signal.SIGINT)
    _, stderr = child.communicate(timeout=60)
    assert child.returncode == 5, stderr
    assert "Apply interrupted:" in stderr and "not run" in stderr
    assert "Traceback" not in stderr
    assert run_cli(server, "apply", config, "--auto-approve", "-q").returncode == 0


def _apply_in_background(
    server: RunningServer, config: str, *, after_posts: int
) -> subprocess.Popen[str]:
    """`portalsync apply` as its own process, returned once the server has seen `after_posts`
    POSTs from it (or after a minute), so a test can interrupt it half way."""
    env = {**os.environ, "PORTALSYNC_SERVER": server.url, "PORTALSYNC_TOKEN": server.token}
    child = subprocess.Popen(
        [sys.executable, "-m", "portalsync", "apply", config, "--auto-approve"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    deadline = time.monotonic() + 60
    while server.requests_by_method()["POST"] < after_posts and time.monotonic() < deadline:
        time.sleep(0.01)
    return child
