"""Step tests against the reference server: each stage of the sequence applies, and the plan
made right after it is empty."""

from __future__ import annotations

from pathlib import Path

from portalsync.server.testing import RunningServer

from .portal import STAGES, apply_config, plan_for, portal_config, transport_for, write_config


def test_each_stage_applies_and_the_next_plan_is_empty(
    server: RunningServer, tmp_path: Path
) -> None:
    with transport_for(server) as transport:
        for stage, title in enumerate(STAGES, start=1):
            config = write_config(tmp_path, portal_config(stage))
            result = apply_config(config, transport)
            assert result.ok, f"stage {stage} ({title}): {result.unfinished}"
            assert result.outcomes, f"stage {stage} ({title}) planned nothing"
            left = plan_for(config, transport).changes
            assert left == (), f"stage {stage} ({title}) left: {left}"


def test_a_contact_waits_for_the_service_opened_to_all_clients_it_orders(
    server: RunningServer, tmp_path: Path
) -> None:
    # The contact's update needed only *created* services: when its service was renamed and
    # opened to every client in the same run, the contact's PUT raced ahead of the service's
    # and the server refused it ("service ... is not available to this client").
    def config(service: dict[str, object], contact_services: list[str]) -> dict[str, object]:
        return {
            "version": 1,
            "project_managers": [{"username": "pm", "full_name": "P", "email": "p@x.example"}],
            "services": [
                {"template": "Legal FR-EN", "workflow": "quote", **service},
                {"name": "T", "template": "Legal FR-EN", "workflow": "quote"},
            ],
            "clients": [
                {
                    "name": "C",
                    "project_managers": ["pm"],
                    "services": ["T"],
                    "contacts": [
                        {"email": "a@x.example", "full_name": "A", "role": "requester",
                         "services": contact_services},
                    ],
                }
            ],
        }  # fmt: skip

    with transport_for(server) as transport:
        first = write_config(tmp_path, config({"name": "S"}, ["T"]))
        assert apply_config(first, transport).ok
        opened = {"name": "S2", "previous_names": ["S"], "all_clients": True}
        second = write_config(tmp_path, config(opened, ["T", "S2"]))
        result = apply_config(second, transport)
        assert result.ok, result.unfinished
        assert plan_for(second, transport).changes == ()
