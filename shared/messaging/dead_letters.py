"""Messages a consumer could not apply, kept for operators instead of lost.

A task that fails for good (an error no retry fixes, or its retries ran out) is acknowledged by
Celery and would vanish with its message; the base task records it here first, in the consuming
service's own database. ``python -m shared.messaging.dead_letters SERVICE list`` shows them and
``... replay ID`` sends one again through the outbox, once the cause is mended (consumers are
idempotent, so a replay of something that did apply after all changes nothing).
"""

from __future__ import annotations

import argparse
import importlib
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from shared.database.engine import MessagingBase, ServiceDatabase, UTCDateTime, utcnow
from shared.messaging.outbox import OutboxMessage
from shared.runtime.settings.project import SERVICES


class FailedMessage(MessagingBase):
    __tablename__ = "failed_messages"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    message_id: Mapped[str | None] = mapped_column(String(64), index=True)
    task_name: Mapped[str] = mapped_column(String(200))
    payload: Mapped[Any] = mapped_column(JSON)
    error: Mapped[str] = mapped_column(Text)
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    replayed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def record_failure(db: ServiceDatabase, task_name: str, payload: Any, error: BaseException) -> None:
    """Keep the message and why it failed; its own transaction, since the task's rolled back."""
    message_id = payload.get("message_id") if isinstance(payload, dict) else None
    with db.transaction() as session:
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Messages a service could not apply")
    parser.add_argument("service", choices=SERVICES)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list")
    sub.add_parser("replay").add_argument("id")
    args = parser.parse_args(argv)
    db: ServiceDatabase = importlib.import_module(f"services.{args.service}.database").get_db()
    with db.transaction() as session:
        if args.command == "list":
            for failed in pending(session):
                when = f"{failed.failed_at:%Y-%m-%d %H:%M:%S}"
                print(f"{failed.id}\t{when}\t{failed.task_name}\t{failed.error}")
            return 0
        try:
            failed = replay(session, args.id)
        except LookupError as exc:
            print(exc)
            return 1
        print(f"{failed.id}: queued again for {failed.task_name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
