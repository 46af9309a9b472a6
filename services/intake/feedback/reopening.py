"""The complainant's request for an answered case to be reopened (*dibuka kembali*): allowed
once per answer, while the answer is the last word and before ``reopen_until``; refused (409,
with the reason in words) before the answer, after the window, while a request or a reopening
is under way, and after the close. The workflow decides; intake shows the request as pending
until the workflow's status change arrives."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.orm import Session

from services.intake.app_channel.live_events import Note, announce_after_commit
from services.intake.feedback.statuses import CLOSED, REOPEN_REQUESTED
from services.intake.models import Complaint, TimelineEntry
from shared.database.engine import utcnow
from shared.messaging.contracts import WORKFLOW_REOPEN_TASK, ReopenRequestedV1
from shared.messaging.outbox import enqueue
from shared.sop import ANSWERED, REOPENING
from shared.web.domain_errors import Conflict
from shared.wording.time_words import time_words

# The reason recorded for a *tidak puas* rating without a comment: the workflow's, from the SOP.
UNSATISFIED_REASON = REOPENING.unsatisfied_reason

CLOSED_MESSAGE = (
    "Laporan pengaduan ini telah ditutup dan tidak dapat dinilai atau dibuka kembali. Bila masih "
    "diperlukan, silakan ajukan laporan pengaduan baru."
)
NOT_ANSWERED_MESSAGE = (
    "Laporan pengaduan ini belum dijawab. Penilaian dan permintaan dibuka kembali dapat "
    "diajukan setelah jawaban pengaduan dikirim kepada Anda."
)
BEING_REOPENED_MESSAGE = (
    "Laporan pengaduan ini sedang ditangani kembali. Penilaian dan permintaan dibuka kembali "
    "dapat diajukan setelah jawaban yang baru dikirim kepada Anda."
)
ALREADY_REQUESTED_MESSAGE = (
    "Permintaan dibuka kembali untuk jawaban ini sudah diajukan dan sedang diproses."
)


class NotAnswered(Conflict):
    code = "not_answered"


class ComplaintClosed(Conflict):
    code = "complaint_closed"


class ReopenWindowPassed(Conflict):
    code = "reopen_window_passed"


class ReopenAlreadyRequested(Conflict):
    code = "reopen_already_requested"


def check_answered(complaint: Complaint) -> None:
    """The answer shown is the office's last word: it may be rated, and asked to be reopened."""
    if complaint.status == CLOSED:
        raise ComplaintClosed(CLOSED_MESSAGE)
    if complaint.status not in (ANSWERED, REOPEN_REQUESTED) or complaint.answered_at is None:
        if complaint.answered_at is None:
            raise NotAnswered(NOT_ANSWERED_MESSAGE)
        raise NotAnswered(BEING_REOPENED_MESSAGE)


def within_window(complaint: Complaint, now: datetime) -> bool:
    """Before ``reopen_until``; an answer that came without one (sent before the window
    existed) has none."""
    return complaint.reopen_until is not None and now < complaint.reopen_until


def window_passed_message(complaint: Complaint) -> str:
    until = f" ({time_words(complaint.reopen_until)})" if complaint.reopen_until else ""
    return (
        f"Batas waktu permintaan dibuka kembali{until} telah lewat. Bila masih diperlukan, "
        "silakan ajukan laporan pengaduan baru."
    )


def request_reopen(session: Session, complaint: Complaint, reason: str) -> None:
    """Ask the workflow to reopen the case, with the complainant's reason."""
    check_answered(complaint)
    if complaint.status == REOPEN_REQUESTED:
        raise ReopenAlreadyRequested(ALREADY_REQUESTED_MESSAGE)
    if not within_window(complaint, utcnow()):
        raise ReopenWindowPassed(window_passed_message(complaint))
    message = ReopenRequestedV1(tracking_code=complaint.tracking_code, reason=reason)
    enqueue(session, WORKFLOW_REOPEN_TASK, message)
    mark_requested(session, complaint, reason, message.message_id, message.occurred_at)


def mark_requested(
    session: Session, complaint: Complaint, reason: str, message_id: uuid.UUID, at: datetime
) -> None:
    """Pending until the workflow's reopening (or its close) arrives with a newer sequence."""
    complaint.status = REOPEN_REQUESTED
    session.add(
        TimelineEntry(
            complaint_id=complaint.id,
            status=REOPEN_REQUESTED,
            occurred_at=at,
            message_id=str(message_id),
            note=reason,
        )
    )
    announce_after_commit(session, complaint.tracking_code, Note("status"))
    session.flush()
