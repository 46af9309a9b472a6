from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from services.notifier.channels.registry import ROUTES
from services.notifier.database import get_db
from services.notifier.delivery.deliver import untried_channels
from services.notifier.delivery.jobs import channel_job
from services.notifier.delivery.reports import FINAL
from services.notifier.messages import NEEDS_NOTE, NEEDS_REPLY_DUE
from services.notifier.models import Delivery
from services.notifier.tasks import deliver, notify, try_channels
from shared.database.shared_tables import OutboxMessage, ProcessedMessage
from shared.messaging.consumer import consume_once
from shared.messaging.contracts import (
    DELIVER_EMAIL_TASK,
    DELIVER_SMS_TASK,
    DELIVER_WHATSAPP_TASK,
    INTAKE_ANSWERED_TASK,
    NOTIFY_TASK,
    WORKFLOW_NOTIFIED_V2_TASK,
    Channel,
    ChannelDeliveryV1,
    NotificationDeliveredV1,
    NotificationDeliveredV2,
    NotificationKind,
    NotificationRequestedV1,
    OneTimeLink,
    Reporter,
)
from shared.runtime.settings import get_settings
from shared.runtime.settings.project import SERVICES
from tools.harness.databases import PostgresDatabases, SqliteDatabases
from tools.harness.smtp import RefusingInbox, SmtpServer

CITIZEN_EMAIL = "siti.aminah@example.id"
ACCESS_LINK = NotificationKind.ACCESS_LINK
ANSWER = "Izin usaha Anda telah terbit — silakan unduh melalui OSS dengan NIB Anda."


NOTE = "Mohon lampirkan nomor permohonan izin {dan} tanggal pengajuannya."
# A reply deadline: Friday 18 December 2026 at the office's closing time (16.00 WIB).
REPLY_DUE = datetime(2026, 12, 18, 9, 0, tzinfo=UTC)
# An access link's one-time token, as intake draws it, and its expiry (16.30 WIB).
LINK = OneTimeLink(
    token="q9Zs3v8Kx1Lr0Tn5Wm2Yb7Hc4Jd6Fg8Ae1Up3Io5Rk",
    expires_at=datetime(2026, 12, 18, 9, 30, tzinfo=UTC),
)


def notification(
    kind: NotificationKind = NotificationKind.ANSWER,
    *,
    channels: tuple[Channel, ...] = (Channel.EMAIL, Channel.APP),
    email: str | None = CITIZEN_EMAIL,
    code: str = "PGD-2026-0042",
) -> NotificationRequestedV1:
    return NotificationRequestedV1(
        kind=kind,
        tracking_code=code,
        recipient=Reporter(name="Siti Aminah", email=email, phone="+6281234567890"),
        # An access link never goes to the app's inbox (it would sit there in clear).
        channels=tuple(c for c in channels if c is not Channel.APP or kind is not ACCESS_LINK),
        subject="Izin usaha belum terbit",
        answer=ANSWER if kind is NotificationKind.ANSWER else None,
        note=NOTE if kind in NEEDS_NOTE else None,
        reply_due_at=REPLY_DUE if kind in NEEDS_REPLY_DUE else None,
        access_link=LINK if kind is ACCESS_LINK else None,
    )


def consume(msg: NotificationRequestedV1) -> str:
    """What the worker does with one delivery of ``msg``, in this process: the fan-out, then the
    first try of each channel (each in its own transaction). The fan-out's outcome is returned;
    a channel that failed for a passing reason is left retrying, its task queued."""
    outcome = fan_out(msg)
    try_channels(msg)
    return outcome


def fan_out(msg: NotificationRequestedV1) -> str:
    """The fan-out's transaction alone: the notification and its pending deliveries."""
    return consume_once(get_db(), NOTIFY_TASK, msg, notify)


def deliver_job(task: str, job: ChannelDeliveryV1) -> str:
    """One run of a channel's task body (a Celery retry is another call)."""
    return consume_once(get_db(), task, job, deliver)


def channel_jobs(msg: NotificationRequestedV1) -> list[tuple[str, ChannelDeliveryV1]]:
    """The channel tries still to come for ``msg``: the first try of each chosen channel still
    pending (the fan-out makes it, ``first_try``), and the channel tasks queued in the outbox
    (retries, fallbacks, re-sends)."""
    with get_db().sessions() as session:
        untried = untried_channels(session, msg.message_id)
    jobs = [(ROUTES[c].task, channel_job(msg.message_id, c)) for c in untried]
    jobs += [
        (row.task_name, ChannelDeliveryV1.model_validate(row.payload))
        for row in outbox_rows(None)
        if row.task_name in (DELIVER_EMAIL_TASK, DELIVER_SMS_TASK, DELIVER_WHATSAPP_TASK)
    ]
    return sorted(
        ((t, j) for t, j in jobs if j.notification_id == msg.message_id),
        key=lambda tj: tj[1].channel.value,
    )


def deliveries() -> list[Delivery]:
    with get_db().transaction() as session:
        return list(session.scalars(select(Delivery).order_by(Delivery.id)))


def settled() -> list[Delivery]:
    """The deliveries sent or failed for good (a pending or retrying one is neither)."""
    return [d for d in deliveries() if d.status in FINAL]


def count(model: Any, *where: Any) -> int:
    with get_db().transaction() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def outbox_rows(task: str | None = INTAKE_ANSWERED_TASK) -> list[OutboxMessage]:
    """Outbox rows for ``task`` (by default the answer handed to intake); ``None``: all rows."""
    with get_db().transaction() as session:
        query = select(OutboxMessage)
        if task is not None:
            query = query.where(OutboxMessage.task_name == task)
        return list(session.scalars(query))


def reported_outcomes() -> list[NotificationDeliveredV1]:
    """The outcomes the workflow was told of, one per channel outcome as it records them
    (``record_deliveries``): a later report's repeat of an outcome already told is left out."""
    told: list[NotificationDeliveredV1] = []
    seen: set[tuple[str, str, str, int | None]] = set()
    rows = sorted(outbox_rows(WORKFLOW_NOTIFIED_V2_TASK), key=lambda r: (r.created_at, r.id))
    for row in rows:
        report = NotificationDeliveredV2.model_validate(row.payload)
        for outcome in report.outcomes:
            key = (str(report.notification_id), outcome.channel, outcome.status, outcome.attempts)
            if key in seen:
                continue
            seen.add(key)
            told.append(
                NotificationDeliveredV1(
                    message_id=report.message_id,
                    tracking_code=report.tracking_code,
                    kind=report.kind,
                    notification_id=report.notification_id,
                    **outcome.model_dump(),
                )
            )
    return told


def processed_count() -> int:
    return count(ProcessedMessage)


@pytest.fixture
def database_urls(
    postgres_pool: PostgresDatabases | None, sqlite_pool: SqliteDatabases, tmp_path: Path
) -> dict[str, str]:
    """A fresh notifier database only: the notifier never opens another service's, and the
    suite stays quick (and runs before the other services' migrations exist)."""
    urls = {s: f"sqlite:///{tmp_path / f'not-for-notifier-{s}.db'}" for s in SERVICES}
    urls["notifier"] = (postgres_pool or sqlite_pool).fresh("notifier")
    return urls


@pytest.fixture
def setting(monkeypatch: pytest.MonkeyPatch, configured: dict[str, str]) -> Iterator[Any]:
    """Change one PENGADUAN_ setting for the rest of the test (``None`` unsets it)."""

    def apply(name: str, value: str | None) -> None:
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()

    yield apply
    get_settings.cache_clear()


@pytest.fixture
def refusing_smtp(setting: Any) -> Iterator[RefusingInbox]:
    """An SMTP server that refuses ``GONE`` for good and ``BUSY`` for now, the notifier's."""
    inbox = RefusingInbox()
    server = SmtpServer(inbox=inbox)
    server.start()
    setting("PENGADUAN_SMTP_PORT", str(server.port))
    yield inbox
    server.stop()
