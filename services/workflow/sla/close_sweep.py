"""The end of the reopening window (``shared.sop.REOPENING``): an answered case whose window
passed with no reopening is closed (*ditutup*), its record says so and intake is told the
status.

Run by the Mutu Baku sweep's task, in its transaction, with the same discipline (``sweep``,
``reply_sweep``): the due cases are read by the one locked, batched query (``come_due``), each
close is a compare-and-set UPDATE pinned to the window that was read, and the status message's
id is derived from the case and its window, so a rerun or a second sweep adds nothing. The
close bumps the version: a reopening consumed at that moment fails its optimistic check,
retries, and finds the case closed.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from services.workflow.cases.history import SYSTEM_ACTOR, record
from services.workflow.models import Case
from services.workflow.sla.sweep import BATCH, come_due
from shared.messaging.contracts import INTAKE_STATUS_TASK, CaseStatusChangedV1
from shared.messaging.outbox import enqueue_once
from shared.sop import ANSWERED, CLOSED

log = logging.getLogger(__name__)

MESSAGE_NAMESPACE = uuid.UUID("8e0f4c2a-71b5-4d39-b6a8-5c3d9e1f2a47")


def sweep_closes(session: Session, now: datetime, *, batch: int = BATCH) -> tuple[str, ...]:
    """Close the answered cases whose window passed by ``now``; the caller commits. The
    tracking codes this sweep closed."""
    due = come_due(
        session,
        Case.reopen_until,
        now,
        batch,
        Case.status == ANSWERED,
        Case.current_step.is_(None),
        Case.reopen_until < now,  # the window's end is inside it (``reopen_window.is_open``)
    )
    return tuple(case.tracking_code for case in due if _close(session, case, now))


def _close(session: Session, case: Case, now: datetime) -> bool:
    claimed = session.execute(
        update(Case)
        .where(
            Case.id == case.id,
            Case.status == ANSWERED,
            Case.current_step.is_(None),
            Case.reopen_until == case.reopen_until,
            Case.reopen_until < now,
        )
        .values(status=CLOSED, version=Case.version + 1)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        log.info("case %s: close after the reopening window already claimed", case.id)
        return False
    set_committed_value(case, "status", CLOSED)
    set_committed_value(case, "version", case.version + 1)
    until = case.reopen_until.isoformat() if case.reopen_until else ""
    event = record(
        session,
        case,
        CLOSED,
        actor=SYSTEM_ACTOR,
        occurred_at=now,
        output={"reopen_until": until, "status": CLOSED},
    )
    enqueue_once(
        session,
        INTAKE_STATUS_TASK,
        CaseStatusChangedV1(
            message_id=uuid.uuid5(MESSAGE_NAMESPACE, f"{case.id}|{until}|{CLOSED}"),
            occurred_at=now,
            tracking_code=case.tracking_code,
            status=CLOSED,
            sequence=event.sequence,
        ),
    )
    log.info("case %s closed: no reopening by %s", case.id, until)
    return True
