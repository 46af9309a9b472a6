"""The tables every service's database carries: the outbox, the inbox (messages already
processed) and the failed messages. Declared here once; the Alembic steps that made them are in
``shared.database.shared_steps`` (every worker imports these tables, none needs Alembic).
``shared.messaging`` reads and writes these tables.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.database.engine import UTCDateTime, make_metadata, utcnow


class MessagingBase(DeclarativeBase):
    """Outbox and inbox tables: the same definition, created in every service's database."""

    metadata = make_metadata()


class OutboxMessage(MessagingBase):
    __tablename__ = "outbox"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the message_id
    task_name: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # The request the message descends from, sent on as a task header (shared.runtime.log_context).
    request_id: Mapped[str | None] = mapped_column(String(64))
    # When the redrive pass looked at the row, sending one extra copy if no consumer had confirmed
    # it (see shared.messaging.relay.OutboxRelay.redrive_due).
    redriven_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_outbox_redrive", "redriven_at", "published_at"),)


class ProcessedMessage(MessagingBase):
    """Message ids a consumer already acted on, committed with the effect itself."""

    __tablename__ = "processed_messages"

    message_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    task_name: Mapped[str] = mapped_column(String(200))
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FailedMessage(MessagingBase):
    """A message its consumer could not apply, kept for operators
    (``shared.messaging.dead_letters``)."""

    __tablename__ = "failed_messages"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    message_id: Mapped[str | None] = mapped_column(String(64), index=True)
    task_name: Mapped[str] = mapped_column(String(200))
    payload: Mapped[Any] = mapped_column(JSON)
    error: Mapped[str] = mapped_column(Text)
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    replayed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
