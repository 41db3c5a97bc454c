"""Plan API used by apply: counts, safety rules, saved plans and their staleness."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from portalsync.errors import RefusedError
from portalsync.live import LivePortal
from portalsync.model import DesiredPortal, Thresholds
from portalsync.plan import Plan, SavedPlan, load_plan, make_plan, save_plan, stale_objects

from .factories import desired_portal, empty_live, live_portal, many_clients


def test_summary_counts_every_action() -> None:
    plan = make_plan(desired_portal(), empty_live(), "http://x")
    assert plan.summary() == {"create": 11, "update": 0, "rename": 0, "delete": 0}


def test_deletes_need_allow_delete_and_the_refusal_names_them() -> None:
    desired = desired_portal()
    plan = make_plan(replace(desired, clients=desired.clients[:1]), live_portal(), "http://x")
    assert plan.safety().deletes and not plan.safety().breaches  # 2 clients: below min_existing
    with pytest.raises(RefusedError, match=r"1 delete \(client 'Acme'\) needs --allow-delete"):
        plan.raise_if_unsafe(allow_delete=False, force=False)
    plan.raise_if_unsafe(allow_delete=True, force=False)


def test_delete_threshold_refuses_without_force_with_the_numbers() -> None:
    desired, live = many_clients(20)
    plan = make_plan(replace(desired, clients=desired.clients[3:]), live, "http://x")
    safety = plan.safety()
    assert (safety.existing_clients, safety.deleted_clients) == (20, 3)
    with pytest.raises(RefusedError) as refused:
        plan.raise_if_unsafe(allow_delete=True, force=False)
    assert (
        "max_delete_percent: the plan deletes 3 of 20 clients (15.0%), over the limit of 10%"
        in (str(refused.value))
    )
    plan.raise_if_unsafe(allow_delete=True, force=True)


def test_update_threshold_counts_each_touched_client_once() -> None:
    desired, live = many_clients(10)
    clients = list(desired.clients)
    for n in range(4):  # a description and a contact change on each: still one client each
        contact = replace(clients[n].contacts[0], full_name="Renamed")
        clients[n] = replace(clients[n], description="new", contacts=(contact,))
    plan = make_plan(replace(desired, clients=tuple(clients)), live, "http://x")
    safety = plan.safety()
    assert safety.updated_clients == 4
    assert [b.rule for b in safety.breaches] == ["max_update_percent"]
    assert str(safety.breaches[0]).startswith("max_update_percent: the plan updates 4 of 10")


def test_thresholds_do_not_apply_below_min_existing() -> None:
    desired, live = many_clients(9)
    plan = make_plan(replace(desired, clients=desired.clients[:1]), live, "http://x")
    assert plan.safety().breaches == ()
    strict = replace(desired.settings, thresholds=Thresholds(min_existing=5))
    plan = make_plan(replace(desired, clients=desired.clients[:1], settings=strict), live, "x")
    assert [b.rule for b in plan.safety().breaches] == ["max_delete_percent"]


def saved(
    tmp_path: Path, desired: DesiredPortal | None = None, live: LivePortal | None = None
) -> tuple[Plan, Path, SavedPlan]:
    plan = make_plan(desired or desired_portal(), live or live_portal(), "http://portal.example")
    path = tmp_path / "plan.json"
    save_plan(plan, str(path))
    return plan, path, load_plan(str(path))


def test_saved_plan_round_trips_changes_desired_and_live(tmp_path: Path) -> None:
    desired = desired_portal()
    acme = replace(desired.clients[1], name="Acme Corp", previous_names=("Acme",), description="x")
    plan, _, loaded = saved(tmp_path, desired=replace(desired, clients=(desired.clients[0], acme)))
    assert loaded.plan.changes == plan.changes
    assert loaded.plan.desired == plan.desired
    assert [c.source for c in loaded.plan.desired.clients] == [
        c.source for c in plan.desired.clients
    ]
    assert loaded.plan.live == plan.live
    assert loaded.server == "http://portal.example"
    assert loaded.config_digest == "d" * 64
    assert loaded.plan.summary() == plan.summary()
    # The rebuilt plan re-plans to the same changes without any YAML.
    assert make_plan(loaded.plan.desired, loaded.plan.live, "x").changes == plan.changes


def test_saved_plan_holds_no_token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTALSYNC_TOKEN", "secret-token-value")
    _, path, _ = saved(tmp_path)
    assert "secret-token-value" not in path.read_text(encoding="utf-8")
    assert json.loads(path.read_text(encoding="utf-8"))["format_version"] == 1


def test_current_plan_is_not_stale(tmp_path: Path) -> None:
    _, _, loaded = saved(tmp_path)
    assert stale_objects(loaded, live_portal()) == []


def test_stale_objects_names_each_changed_object_and_field(tmp_path: Path) -> None:
    _, _, loaded = saved(tmp_path)
    live = live_portal()
    acme = replace(live.clients[1], description="edited", services=("s-med",), version=6)
    extra = replace(live.clients[1], guid="c-new", name="Newcomer", version=1)
    live = replace(live, clients=(acme, extra), contacts=live.contacts[1:])
    assert stale_objects(loaded, live) == [
        'client \'Acme\' (version 5 -> 6): description "" -> "edited"; '
        'services removed "Legal FR>EN"',
        "client 'Newcomer' was created since the plan",
        "client 'Société Générale' was deleted since the plan",
        "contact 'jean@client.example of Société Générale' was deleted since the plan",
    ]


def test_a_service_rename_does_not_make_referencing_clients_stale(tmp_path: Path) -> None:
    _, _, loaded = saved(tmp_path)
    live = live_portal()
    legal = replace(live.services[0], name="Legal (courts)", version=2)
    live = replace(live, services=(legal, live.services[1]))
    assert stale_objects(loaded, live) == [
        'service \'Legal FR>EN\' (version 1 -> 2): name "Legal FR>EN" -> "Legal (courts)"'
    ]


def test_ignored_clients_never_make_a_plan_stale(tmp_path: Path) -> None:
    live = live_portal()
    sandbox = replace(live.clients[1], guid="c-t", name="Test 1")
    live = replace(live, clients=(*live.clients, sandbox))
    _, _, loaded = saved(tmp_path, desired=desired_portal(ignore_clients=("test *",)), live=live)
    changed = replace(
        live, clients=(*live.clients[:2], replace(sandbox, description="x", version=9))
    )
    assert stale_objects(loaded, changed) == []
