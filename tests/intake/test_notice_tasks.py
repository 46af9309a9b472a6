"""The intake worker consumes what the notifier says became of a notice (the journey through
real workers is tests/browser/test_tracking_page.py)."""

from __future__ import annotations

from services.intake import tasks
from shared.messaging.contracts import INTAKE_DELIVERED_TASK, INTAKE_UNDELIVERABLE_TASK


def test_the_intake_worker_registers_the_notice_outcome_tasks() -> None:
    assert {INTAKE_UNDELIVERABLE_TASK, INTAKE_DELIVERED_TASK} <= set(tasks.app.tasks)
