"""Notifier tables: the notifications themselves (the personal data stays here, the queue
carries ids), and one row per notification and channel, the record of what reached whom."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.database.engine import UTCDateTime, make_metadata, utcnow


class Base(DeclarativeBase):
    metadata = make_metadata()


class Notification(Base):
    """A NotificationRequestedV1 as received; each channel's task delivers it from here."""

    __tablename__ = "notifications"

    message_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    tracking_code: Mapped[str] = mapped_column(String(32), index=True)
    # A Reporter (name, email, phone); None for an anonymous complainant (the app channel only).
    recipient: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    channels: Mapped[list[str]] = mapped_column(JSON)
    subject: Mapped[str] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    # The deadline the notice names (``deliver.stored_deadline``): a request for information's
    # reply deadline, for the kinds that name it; with an answer, its ``reopen_until``.
    reply_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # An access link's one-time token and expiry, kept sealed as it came (never in clear).
    access_link: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DeliveryStatus(StrEnum):
    # Not yet tried: a chosen channel, written with the notification, before its first try;
    # or a fallback channel queued, written with the decision, so the channel is taken
    # (UNIQUE(message_id, channel)) and never chosen as a fallback twice.
    PENDING = "pending"
    # Never committed: the row is flushed in this state before the send, so a second worker
    # delivering the same message at the same moment waits on the unique key instead of sending.
    SENDING = "sending"
    RETRYING = "retrying"  # the last try failed for a passing reason; the task tries again
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
    gateway_reference: Mapped[str | None] = mapped_column(String(100))  # e.g. the SMS gateway's id
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # tries, re-sends included
    # Re-sends operators asked for after it failed for good.
    resends: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # A channel the complainant did not choose, tried because every chosen one failed for good
    # (``delivery.fallback``).
    fallback: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AttemptOutcome(StrEnum):
    SENT = "sent"
    RETRYING = "retrying"
    FAILED = "failed"


class DeliveryAttempt(Base):
    """One try of one notification on one channel, as it turned out: the delivery's history.

    Keyed by notification and channel, not by the delivery row: a try that failed for a passing
    reason is recorded after its own transaction rolled back (see ``attempts``).
    """

    __tablename__ = "delivery_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notification_id: Mapped[str] = mapped_column(String(36), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    attempt: Mapped[int] = mapped_column(Integer)  # 1 for the first try
    outcome: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str | None] = mapped_column(Text)  # the server's or gateway's answer
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DeliveryTotal(Base):
    """A running count for ``/metrics`` (``delivery_totals``): deliveries per channel and status
    (series "delivery"), tries per channel and outcome (series "attempt")."""

    __tablename__ = "delivery_totals"

    series: Mapped[str] = mapped_column(String(16), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[str] = mapped_column(String(16), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class DeliveryTotalChange(Base):
    """One change of a count, written by the triggers of migration 0013 and folded into
    ``delivery_totals`` by the next scrape."""

    __tablename__ = "delivery_total_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    series: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(16))
    delta: Mapped[int] = mapped_column(Integer)
