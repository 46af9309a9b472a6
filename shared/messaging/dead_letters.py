"""Messages a consumer could not apply, kept for operators instead of lost.

A task that fails for good (an error no retry fixes, or its retries ran out) is acknowledged by
Celery and would vanish with its message; the base task records it here first, in the consuming
service's own database (``shared.database.shared_tables.FailedMessage``). ``python -m
tools.dead_letters SERVICE list`` shows them and ``... replay ID`` sends one again through the
outbox, once the cause is mended (consumers are idempotent, so a replay of something that did
apply after all changes nothing).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.database.engine import ServiceDatabase, utcnow
from shared.database.shared_tables import FailedMessage, OutboxMessage


def record_failure(db: ServiceDatabase, task_name: str, payload: Any, error: BaseException) -> None:
    """Keep the message and why it failed; its own transaction, since the task's rolled back."""
    with db.transaction() as session:
        keep(session, task_name, payload, error)


def keep(session: Session, task_name: str, payload: Any, error: BaseException) -> None:
    """Keep the message in ``session``'s transaction: a batch's item that failed is kept in the
    transaction that applies the batch's other items, so the two commit together."""
    message_id = payload.get("message_id") if isinstance(payload, dict) else None
    session.add(
        FailedMessage(
            id=str(uuid.uuid4()),
            message_id=str(message_id)[:64] if message_id else None,
            task_name=task_name,
            payload=payload,
            error=f"{type(error).__name__}: {error}"[:10000],
            failed_at=utcnow(),
        )
    )


def pending(session: Session) -> list[FailedMessage]:
    return list(
        session.scalars(
            select(FailedMessage)
            .where(FailedMessage.replayed_at.is_(None))
            .order_by(FailedMessage.failed_at)
        )
    )


def replay(session: Session, failed_id: str) -> FailedMessage:
    """Queue the message again (through this service's outbox, so it leaves with the commit)."""
    failed = session.get(FailedMessage, failed_id)
    if failed is None:
        raise LookupError(f"no failed message {failed_id}")
    if failed.replayed_at is not None:
        raise LookupError(f"failed message {failed_id} was replayed at {failed.replayed_at}")
    session.add(
        OutboxMessage(
            id=str(uuid.uuid4()),
            task_name=failed.task_name,
            payload=failed.payload,
            created_at=utcnow(),
        )
    )
    failed.replayed_at = utcnow()
    return failed
