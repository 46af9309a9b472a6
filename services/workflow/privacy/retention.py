"""The daily retention sweep (Celery beat, ``RETENTION_SWEEP_TASK``): the cases closed longer
than the retention time ago (``settings.privacy.retention_days``, two years by default) have
their personal data erased (``erasure``).

Closed means a closing status (``shared.sop.CLOSED_STATUSES``) with ``closed_at`` set; for a
case closed after its reopening window, the time counts from the window's end, when it closed.
The due cases are read as the other sweeps read theirs (``sla.sweep.come_due``: locked on
PostgreSQL, skipping what another transaction holds), a batch per transaction, so a long first
sweep after an upgrade commits as it goes and a second sweep at once splits the work.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime, timedelta

from sqlalchemy import or_
from sqlalchemy.orm import Session

from services.workflow.models import Case
from services.workflow.privacy.erasure import erase_case
from services.workflow.sla.sweep import come_due
from shared.attachments import AttachmentStore
from shared.messaging.contracts import ErasureReason
from shared.sop import CLOSED_STATUSES

BATCH = 50


def due_before(now: datetime, retention: timedelta) -> datetime:
    """Cases closed before this moment are due."""
    return now - retention


def erase_batch(
    session: Session,
    now: datetime,
    retention: timedelta,
    store: AttachmentStore,
    *,
    batch: int = BATCH,
) -> tuple[str, ...]:
    """Erase at most ``batch`` due cases; the caller commits. The tracking codes erased."""
    cutoff = due_before(now, retention)
    due = come_due(
        session,
        Case.closed_at,
        cutoff,
        batch,
        Case.status.in_(CLOSED_STATUSES),
        Case.erased_at.is_(None),
        or_(Case.reopen_until.is_(None), Case.reopen_until <= cutoff),
    )
    return tuple(
        case.tracking_code
        for case in due
        if erase_case(session, case, reason=ErasureReason.RETENTION, now=now, store=store)
    )


def sweep_retention(
    transaction: Callable[[], AbstractContextManager[Session]],
    now: datetime,
    retention: timedelta,
    store: AttachmentStore,
    *,
    batch: int = BATCH,
) -> tuple[str, ...]:
    """Erase every due case, one committed transaction per batch."""
    erased: list[str] = []
    while True:
        with transaction() as session:
            done = erase_batch(session, now, retention, store, batch=batch)
        erased.extend(done)
        if len(done) < batch:
            return tuple(erased)
