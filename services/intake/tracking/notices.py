"""Notices that reached the complainant on none of their channels.

The notifier tells intake (``NoticeUndeliverableV1``) when every channel of a notice failed for
good; intake keeps it, and the tracking page says which notice did not arrive, on which
channels, and what to do, until an operator's re-send gets through (``NoticeDeliveredV1``).
Plain functions taking a ``Session``: they flush, the consumer commits.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, Field
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.intake.app_channel.live_events import Note, announce_after_commit
from services.intake.models import Complaint, UndeliverableNotice
from services.intake.tracking.applied import complaint_for_message
from shared.messaging.contracts import Channel, NoticeDeliveredV1, NoticeUndeliverableV1

log = logging.getLogger(__name__)

# What each notice told the complainant, as they would name it ("pemberitahuan <label>").
KIND_LABELS = {
    "filed": "laporan diterima",
    "registered": "laporan teregister",
    "verified": "laporan diverifikasi",
    "information_requested": "permintaan kelengkapan data",
    "information_reminder": "pengingat batas waktu tanggapan",
    "closed_no_response": "laporan ditutup karena tidak ada tanggapan",
    "declined": "laporan tidak dapat ditindaklanjuti",
    "duplicate": "laporan digabungkan",
    "answer": "jawaban pengaduan",
}
CHANNEL_WORDS = {
    Channel.EMAIL.value: "email",
    Channel.SMS.value: "SMS",
    Channel.APP.value: "aplikasi",
    Channel.WHATSAPP.value: "WhatsApp",
}


def record_undeliverable(session: Session, msg: NoticeUndeliverableV1) -> None:
    """Keep the failed notice for its complaint, once per message."""
    complaint = complaint_for_message(
        session, msg.tracking_code, msg.message_id, UndeliverableNotice
    )
    if complaint is None:
        return
    session.add(
        UndeliverableNotice(
            complaint_id=complaint.id,
            message_id=str(msg.message_id),
            notification_id=str(msg.notification_id),
            kind=msg.kind.value,
            channels=[c.value for c in msg.channels],
            failed_at=msg.occurred_at,
        )
    )
    # A live page fetches itself again on this note and shows the warning.
    announce_after_commit(session, complaint.tracking_code, Note("notice"))
    session.flush()
    log.warning(
        "%s notice for %s reached no channel (%s)",
        msg.kind,
        complaint.tracking_code,
        ", ".join(msg.channels),
    )


def record_delivered(session: Session, msg: NoticeDeliveredV1) -> None:
    """A re-send got through: the notice is no longer said to have reached no channel. A notice
    never told undeliverable has no row, and nothing changes."""
    mended = session.execute(
        update(UndeliverableNotice)
        .where(
            UndeliverableNotice.notification_id == str(msg.notification_id),
            UndeliverableNotice.delivered_at.is_(None),
        )
        .values(delivered_at=msg.occurred_at)
        .execution_options(synchronize_session=False)
    )
    if mended.rowcount:  # type: ignore[attr-defined]
        announce_after_commit(session, msg.tracking_code, Note("notice"))
        log.info("%s notice for %s delivered by a re-send", msg.notification_id, msg.tracking_code)


class UndeliveredNoticeOut(BaseModel):
    """One notice that did not arrive, as the citizens' API gives it."""

    kind: str = Field(description="Jenis pemberitahuan (kode tetap)", examples=["answer"])
    channels: list[str] = Field(description="Saluran yang semuanya gagal", examples=[["sms"]])
    failed_at: datetime


@dataclass(frozen=True)
class Undelivered:
    """One notice that did not arrive, as the tracking page says it."""

    label: str  # "jawaban pengaduan"
    channels: str  # "email dan SMS"
    failed_at: datetime
    out: UndeliveredNoticeOut  # the same, for the API


def undelivered(session: Session, complaint: Complaint) -> list[Undelivered]:
    """The complaint's notices that reached no channel, oldest first; one line per notice (a
    re-send that failed again is the same notice), none once a re-send got through."""
    rows = session.scalars(
        select(UndeliverableNotice)
        .where(
            UndeliverableNotice.complaint_id == complaint.id,
            UndeliverableNotice.delivered_at.is_(None),
        )
        .order_by(UndeliverableNotice.failed_at, UndeliverableNotice.id)
    )
    latest = {row.notification_id: row for row in rows}
    return [
        Undelivered(
            label=KIND_LABELS.get(row.kind, "perkembangan laporan"),
            channels=channel_words(row.channels),
            failed_at=row.failed_at,
            out=UndeliveredNoticeOut(kind=row.kind, channels=row.channels, failed_at=row.failed_at),
        )
        for row in latest.values()
    ]


def channel_words(channels: list[str]) -> str:
    """``["email", "sms"]`` as a sentence names them: "email dan SMS"."""
    words = [CHANNEL_WORDS.get(c, c) for c in channels]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " dan " + words[-1]
