"""A minute to recover (issue 26): a step task held by a SIGKILLed worker runs again within 60 s,
and a live worker holding a message longer than the visibility timeout keeps it.

Real processes: the desk's APIs and workers, and a second workflow worker of the same queues.
One workflow worker pauses at a step task's checkpoint (``PENGADUAN_FAULT_PAUSE_AT``) before its
transaction commits, holding the message unacknowledged in kombu's ``unacked`` hash.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from shared.sop import Role
from tools.harness.desk import Desk
from tools.harness.environment import desk_environment
from tools.harness.processes import ServiceProcess, start_worker, wait_for
from tools.harness.smtp import SmtpServer

STEP_TASK = "workflow.step.2.arrive"
PAUSE = {"PENGADUAN_FAULT_PAUSE_AT": f"{STEP_TASK}:before-commit"}
ISSUE_BOUND = 60.0  # seconds: issue 26's "runs again within 60 s"
SHORT = {"broker_visibility_timeout": "3", "broker_restore_interval": "1"}


@pytest.fixture
def service_env(
    tmp_path: Path,
    broker_url: str,
    database_urls: dict[str, str],
    smtp_server: SmtpServer,
    request: pytest.FixtureRequest,
) -> dict[str, str]:
    """The production broker timings (30 s visibility, 5 s restores), unlike the 6 s of the
    other journeys; a test may pass shorter ones (``SHORT``) as the fixture's parameter."""
    return desk_environment(
        tmp_path, broker_url, database_urls, smtp_server.port, **getattr(request, "param", {})
    )


@pytest.fixture
def broker(broker_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(broker_url)
    yield client
    client.close()


def _paused_with_a_second_worker(system: Desk) -> tuple[ServiceProcess, ServiceProcess, str]:
    """The workflow worker paused in step 2's arrival of a new case, and a second one running."""
    paused = system.restart_worker("workflow", PAUSE)
    filed = system.file_complaint()
    system.walk(filed["tracking_code"], range(1, 2))
    paused.wait_for_output("FAULT-CHECKPOINT-REACHED", timeout=180)
    # Only now: the second worker of the same queues must not take the message first.
    second = system.workers["workflow-b"] = start_worker(
        "workflow", system.env, system.logs, name="workflow-b"
    )
    return paused, second, filed["tracking_code"]


def _arrivals_at_step_2(system: Desk, tracking_code: str) -> int:
    item = system.wait_for_work(Role.KASI, tracking_code, 2, timeout=ISSUE_BOUND)
    history = system.case(item["case_id"])["history"]
    return sum(1 for event in history if (event["kind"], event["step"]) == ("arrived", 2))


def _held_step_task(broker: redis.Redis) -> str | None:
    """The delivery tag of the step task in kombu's unacked hash, if it is there."""
    for tag, entry in broker.hgetall("unacked").items():
        raw = json.loads(entry)[0]
        if raw["headers"]["task"] == STEP_TASK:
            return tag.decode()
    return None


def test_a_step_task_held_by_a_killed_worker_runs_again_within_a_minute(system: Desk) -> None:
    paused, second, tracking_code = _paused_with_a_second_worker(system)

    paused.kill()  # the whole process group: main process and pool child
    killed_at = time.monotonic()
    system.wait_for_work(Role.KASI, tracking_code, 2, timeout=ISSUE_BOUND + 30)
    recovered_in = time.monotonic() - killed_at
    # The one timing assertion: the issue's bound, with the production defaults (30 s
    # visibility refreshed every 10 s, restores every 5 s; worst case about 35 s).
    assert recovered_in < ISSUE_BOUND
    assert f"{STEP_TASK}[" in second.output()  # the second worker ran it
    assert _arrivals_at_step_2(system, tracking_code) == 1


@pytest.mark.parametrize("service_env", [SHORT], indirect=True)
def test_a_live_worker_keeps_a_message_it_holds_past_the_visibility_timeout(
    system: Desk, broker: redis.Redis
) -> None:
    # Every worker of the desk restores, each with the 3 s timeout (``SHORT``, for all).
    paused, second, tracking_code = _paused_with_a_second_worker(system)
    tag = wait_for(lambda: _held_step_task(broker), 30, "the step task in the unacked hash")
    first_score = broker.zscore("unacked_index", str(tag))
    assert first_score is not None

    def refreshed_past_three_timeouts() -> bool:
        score = broker.zscore("unacked_index", str(tag))
        assert score is not None, "the held message was given back to its queue"
        return score - first_score > 3 * 3

    # The score is the worker's own clock at each refresh: three timeouts after delivery, every
    # worker's restore has long been free to take it, had it not been refreshed.
    wait_for(refreshed_past_three_timeouts, 60, "three timeouts of refreshes")
    assert f"{STEP_TASK}[" not in second.output()  # never delivered to the second worker

    paused.kill()  # and when the holder dies, the second worker gets it after all
    assert _arrivals_at_step_2(system, tracking_code) == 1
    assert f"{STEP_TASK}[" in second.output()
