"""SIGKILLed workers lose nothing and do nothing twice.

Each test arms a fault checkpoint in one worker (``PENGADUAN_FAULT_PAUSE_AT``), so the kill lands
at an exact point of a task: before its transaction commits, or after it committed but before
the message was acknowledged. The worker is then started again and the broker redelivers the
unacknowledged message once its visibility timeout (6 s in tests) has passed.
"""

from __future__ import annotations

from shared.sop import Role
from tools.harness.desk import Desk
from tools.harness.processes import wait_for


def _kill_at(system: Desk, worker: str, checkpoint: str) -> None:
    system.restart_worker(worker, {"PENGADUAN_FAULT_PAUSE_AT": checkpoint})


# The message reaches the checkpoint by its first publish or, should that be lost between the
# broker's pop and its unacked record, by the outbox's second copy (shared.messaging.relay).
REACHED = 180


def _await_checkpoint_and_kill(system: Desk, worker: str) -> None:
    process = system.workers[worker]
    process.wait_for_output("FAULT-CHECKPOINT-REACHED", timeout=REACHED)
    process.kill()


def _history_counts(system: Desk, case_id: str) -> dict[tuple[str, int | None], int]:
    counts: dict[tuple[str, int | None], int] = {}
    for event in system.case(case_id)["history"]:
        key = (event["kind"], event["step"])
        counts[key] = counts.get(key, 0) + 1
    return counts


def test_worker_killed_after_committing_a_step_arrival_applies_it_once(system: Desk) -> None:
    _kill_at(system, "workflow", "workflow.step.2.arrive:after-commit")
    filed = system.file_complaint()
    system.walk(filed["tracking_code"], range(1, 2))
    _await_checkpoint_and_kill(system, "workflow")

    restarted = system.restart_worker("workflow")
    restarted.wait_for_output("already applied", timeout=60)  # the redelivery, recognised

    case_id = system.walk(filed["tracking_code"], range(2, 6))
    system.wait_for_status(filed, "answered")
    counts = _history_counts(system, case_id)
    assert all(counts[("completed", n)] == 1 for n in range(1, 6))
    assert all(counts[("arrived", n)] == 1 for n in range(1, 6))
    assert len(system.answer_emails()) == 1


def test_worker_killed_before_committing_a_step_arrival_applies_it_after_restart(
    system: Desk,
) -> None:
    _kill_at(system, "workflow", "workflow.step.2.arrive:before-commit")
    filed = system.file_complaint()
    system.walk(filed["tracking_code"], range(1, 2))
    _await_checkpoint_and_kill(system, "workflow")

    assert system.workflow.get("/api/v1/worklist", headers=system.headers(Role.KASI)).json() == []
    system.restart_worker("workflow")
    case_id = system.walk(filed["tracking_code"], range(2, 6))
    system.wait_for_status(filed, "answered")
    counts = _history_counts(system, case_id)
    assert counts[("arrived", 2)] == 1 and counts[("completed", 2)] == 1


def test_notifier_killed_after_sending_sends_no_second_email(system: Desk) -> None:
    _kill_at(system, "notifier", "notifier.notification.send:email:after-commit")
    filed = system.file_complaint()
    _await_checkpoint_and_kill(system, "notifier")  # the acknowledgement went out, then the kill
    assert len(system.emails_to()) == 1

    restarted = system.restart_worker("notifier")
    restarted.wait_for_output("already applied", timeout=60)

    system.walk(filed["tracking_code"])
    system.wait_for_status(filed, "answered")
    wait_for(lambda: len(system.emails_to()) >= 4, 30, "the answer email")
    emails = system.emails_to()
    assert len(emails) == 4  # acknowledgement, registration, verification, answer
    assert all(filed["tracking_code"] in m.get_content() for m in emails)
