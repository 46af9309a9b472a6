"""A worker's pool child killed while bookkeeping rows linger in its relay thread loses none of
them (``shared.messaging.relay_thread``): they stay leased to it, and once the lease runs out the
poll of the worker's main process sends them; the pool's new child carries on. A worker stopped
gracefully (SIGTERM to its main process) sends them before it exits.

The linger (10 s) and the lease (20 s) are stretched so the kill surely lands while the row
waits: the test sees the row committed, leased and unpublished, kills the child, and sees it
still unpublished after the kill."""

from __future__ import annotations

import os
import signal
from typing import Any

import psutil
from sqlalchemy import select

from shared.database.engine import ServiceDatabase
from shared.database.shared_tables import OutboxMessage
from shared.messaging.contracts import INTAKE_STATUS_TASK
from shared.sop import STEPS
from tools.harness.desk import Desk
from tools.harness.processes import wait_for

LINGERING = {"PENGADUAN_OUTBOX_BATCH_LINGER_SECONDS": "10", "PENGADUAN_OUTBOX_CLAIM_SECONDS": "20"}


def status_rows(db: ServiceDatabase) -> list[OutboxMessage]:
    with db.sessions() as session:
        return list(
            session.scalars(
                select(OutboxMessage).where(OutboxMessage.task_name == INTAKE_STATUS_TASK)
            )
        )


def test_a_pool_child_killed_with_lingering_rows_loses_none(system: Desk) -> None:
    worker = system.restart_worker("workflow", LINGERING)
    assert worker.process is not None
    [child] = psutil.Process(worker.process.pid).children()
    db = ServiceDatabase("workflow", system.env["PENGADUAN_WORKFLOW_DATABASE_URL"])
    try:
        filed = system.file_complaint()  # the case opens in step 1: a status change for intake

        def lingering() -> list[OutboxMessage]:
            rows = status_rows(db)
            return [r for r in rows if r.published_at is None and r.claimed_until is not None]

        [row] = wait_for(lingering, 60, "the status change waiting in the relay thread")  # type: ignore[misc]
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=20)
        [after_kill] = [r for r in status_rows(db) if r.id == row.id]
        assert after_kill.published_at is None  # it was in the killed thread, not yet sent

        def published() -> Any:
            return [r for r in status_rows(db) if r.id == row.id and r.published_at is not None]

        wait_for(published, 90, "the main process's poll to send the row after its lease")
        tracked = system.wait_for_status(filed, STEPS[0].status)
        assert [e["status"] for e in tracked["timeline"]].count(STEPS[0].status) == 1
        # The pool's new child works on: the complaint goes through the five steps.
        system.walk(filed["tracking_code"])
        system.wait_for_status(filed, "answered")
    finally:
        db.engine.dispose()


def test_a_worker_stopped_gracefully_sends_what_lingers_before_it_exits(system: Desk) -> None:
    worker = system.restart_worker("workflow", LINGERING)
    assert worker.process is not None
    db = ServiceDatabase("workflow", system.env["PENGADUAN_WORKFLOW_DATABASE_URL"])
    try:
        system.file_complaint()

        def lingering() -> list[OutboxMessage]:
            rows = status_rows(db)
            return [r for r in rows if r.published_at is None and r.claimed_until is not None]

        [row] = wait_for(lingering, 60, "the status change waiting in the relay thread")  # type: ignore[misc]
        # SIGTERM to the main process only, as `docker compose stop` sends it: warm shutdown.
        worker.process.send_signal(signal.SIGTERM)
        worker.process.wait(timeout=60)
        [after_stop] = [r for r in status_rows(db) if r.id == row.id]
        # Sent by the pool child's thread as it stopped, not left to a poll after its lease.
        assert after_stop.published_at is not None
    finally:
        db.engine.dispose()
