"""Notifier tables: one row per notification and channel, the record of what reached whom."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db import UTCDateTime, make_metadata, utcnow


class Base(DeclarativeBase):
    metadata = make_metadata()


class DeliveryStatus(StrEnum):
    # Never committed: the row is flushed in this state before the send, so a second worker
    # delivering the same message at the same moment waits on the unique key instead of sending.
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"  # refused for good (no address, 5xx); retrying cannot help


class Delivery(Base):
    """One notification on one channel. UNIQUE(message_id, channel) makes it happen once."""

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("message_id", "channel"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[str] = mapped_column(String(36))  # the NotificationRequestedV1's id
    kind: Mapped[str] = mapped_column(String(32))
    tracking_code: Mapped[str] = mapped_column(String(32), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    recipient: Mapped[str | None] = mapped_column(String(320))  # None: the reporter gave none
    status: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str | None] = mapped_column(Text)  # why it failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # tries, counting task retries
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
