"""Every SOP step's task lands on its role's queue; the other services' tasks on theirs."""

from __future__ import annotations

import pytest

from shared.messaging.celery_app import ALL_QUEUES, make_celery
from shared.messaging.contracts import (
    INTAKE_ANSWERED_TASK,
    INTAKE_DELIVERED_TASK,
    INTAKE_ERASE_TASK,
    INTAKE_STATUS_TASK,
    INTAKE_UNDELIVERABLE_TASK,
    NOTIFIER_ERASE_TASK,
    NOTIFY_TASK,
    RETENTION_SWEEP_TASK,
    SLA_SWEEP_TASK,
    WORKFLOW_ERASURE_TASK,
)
from shared.runtime.settings import Settings
from shared.sop import STEPS, complainant_desk


@pytest.fixture(scope="module")
def router():
    return make_celery(Settings(broker={"redis_url": "redis://127.0.0.1:1/0"})).amqp.router


def _queue(router, task: str) -> str:
    return router.route({}, task)["queue"].name


@pytest.mark.parametrize("step", STEPS, ids=lambda s: f"step{s.number}")
def test_each_step_task_goes_to_its_roles_queue(router, step) -> None:
    assert _queue(router, step.arrive_task) == step.role.value


def test_status_updates_go_to_intake_and_answers_to_the_notifier(router) -> None:
    assert _queue(router, INTAKE_STATUS_TASK) == "intake"
    assert _queue(router, INTAKE_ANSWERED_TASK) == "intake"
    assert _queue(router, NOTIFY_TASK) == "notifier"


def test_what_became_of_a_notice_goes_to_intake(router) -> None:
    assert _queue(router, INTAKE_UNDELIVERABLE_TASK) == "intake"
    assert _queue(router, INTAKE_DELIVERED_TASK) == "intake"


def test_every_queue_is_named_for_a_role_or_a_service() -> None:
    assert set(ALL_QUEUES) == {
        "intake",
        "notifier",
        "admin",
        "kasi",
        "koordinator",
        "tim_koordinasi",
    }


def test_messages_are_json_only() -> None:
    conf = make_celery(Settings(broker={"redis_url": "redis://127.0.0.1:1/0"})).conf
    assert conf.accept_content == ["json"] and conf.task_serializer == "json"
    assert conf.task_acks_late and conf.task_reject_on_worker_lost


def test_beat_sends_the_mutu_baku_sweep_at_the_configured_interval_to_the_admin_queue(
    router,
) -> None:
    conf = make_celery(
        Settings(broker={"redis_url": "redis://127.0.0.1:1/0"}, sla={"sweep_seconds": 45})
    ).conf
    [entry] = [e for e in conf.beat_schedule.values() if e["task"] == SLA_SWEEP_TASK]
    assert entry["task"] == "workflow.sla.sweep"
    assert entry["schedule"] == 45
    assert entry["options"]["expires"] == 45  # a sweep left waiting is dropped, not piled up
    assert _queue(router, SLA_SWEEP_TASK) == "admin"  # the workflow worker consumes it


def test_beat_sends_the_retention_sweep_daily_to_the_admin_queue(router) -> None:
    conf = make_celery(Settings(broker={"redis_url": "redis://127.0.0.1:1/0"})).conf
    [entry] = [e for e in conf.beat_schedule.values() if e["task"] == RETENTION_SWEEP_TASK]
    assert entry["schedule"] == entry["options"]["expires"] == 24 * 60 * 60
    assert _queue(router, RETENTION_SWEEP_TASK) == "admin"
    # The complainant's request goes to the desk that talks with them, as their other messages.
    assert _queue(router, WORKFLOW_ERASURE_TASK) == complainant_desk().value
    assert _queue(router, INTAKE_ERASE_TASK) == "intake"
    assert _queue(router, NOTIFIER_ERASE_TASK) == "notifier"
