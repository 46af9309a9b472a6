"""Filing a laporan pengaduan, letting its complainant follow it, and keeping its status current.

Plain functions taking a ``Session``: they flush, the caller (the request or the consumer task)
commits once. Messages to other services go through the outbox in the same transaction.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, make_transient_to_detached

from services.intake.app_channel.live_events import Note, announce_after_commit
from services.intake.models import Complaint, TimelineEntry
from services.intake.tracking.applied import complaint_for_message
from services.intake.tracking.codes import (
    CODE_PATTERN,
    hash_access_token,
    new_access_token,
    normalise_tracking_code,
    token_matches,
    under_unused_code,
)
from shared.database.engine import utcnow
from shared.messaging.contracts import (
    NOTIFY_TASK,
    CaseStatusChangedV1,
    Channel,
    ComplainantReplyV1,
    ComplaintAnsweredV1,
    ComplaintFiledV1,
    ComplaintTakenV1,
    FiledVia,
    Identity,
    NotificationKind,
    NotificationRequestedV1,
    ReceivedVia,
    Reporter,
)
from shared.messaging.contracts.filing import ComplaintIn
from shared.messaging.outbox import enqueue, insert_now
from shared.runtime.log_context import annotate
from shared.sop import ANSWERED, FIRST_STEP, INFORMATION_SUPPLIED, PATHS, SUBMITTED
from shared.web.domain_errors import Conflict, NotFound
from shared.wording import privacy
from shared.wording.time_words import time_words

log = logging.getLogger(__name__)

# Received, not yet registered: intake holds the laporan, the workflow registers it at step 1
# (``shared.sop``'s status labels say which is true at any moment).
FILED_MESSAGE = (
    "Laporan pengaduan Anda telah diterima dan menunggu diregister pada Sistem Pengaduan. Simpan "
    "kode pelacakan dan token akses ini: token akses hanya ditampilkan sekali dan diperlukan "
    "untuk melihat perkembangan laporan Anda."
)
# An anonymous complainant left no contact: nothing can send them a way back in.
ANONYMOUS_ONLY_WAY_BACK = (
    "Laporan ini anonim: kode pelacakan dan token akses ini adalah SATU-SATUNYA jalan untuk "
    "melihat perkembangan dan membaca jawaban laporan Anda. Karena Anda tidak memberikan nama "
    "maupun kontak, kami tidak dapat mengirimkannya kembali atau memulihkan akses bila "
    "keduanya hilang."
)
FILED_MESSAGE_ANONYMOUS = f"{FILED_MESSAGE} {ANONYMOUS_ONLY_WAY_BACK}"


def filed_message(identity: str) -> str:
    """What the receipt says: for an anonymous complaint, that the code and token are all."""
    return FILED_MESSAGE_ANONYMOUS if identity == Identity.ANONYMOUS else FILED_MESSAGE


# One message for an unknown code and for a wrong token: the answer must not tell a guesser
# that a tracking code exists.
NOT_FOUND_MESSAGE = (
    "Laporan pengaduan dengan kode pelacakan dan token akses tersebut tidak ditemukan"
)
# Compared against when the code is unknown, so both failures cost the same hash and compare.
_DECOY_HASH = hash_access_token(new_access_token())


@dataclass(frozen=True)
class TakenBy:
    """The Admin Pengaduan who filed a complaint for the complainant, and how it came in."""

    username: str
    received_via: ReceivedVia


def file_complaint(
    session: Session,
    data: ComplaintIn,
    taken: TakenBy | None = None,
    via: FiledVia = FiledVia.API,
) -> tuple[Complaint, str]:
    """Register the complaint and, in the same transaction, hand it to the workflow's first step
    and ask the notifier to acknowledge it. Returns the complaint and its access token, which
    exists only in this return value from now on."""
    token = new_access_token()
    digest = hash_access_token(token)
    columns = {**_columns(data, "", digest, taken), "filed_via": None if taken else via.value}
    complaint = under_unused_code(
        lambda code: _insert_unless_taken(session, **{**columns, "tracking_code": code})
    )
    _send_on(session, complaint, data, taken)
    return complaint, token


def file_taken(session: Session, msg: ComplaintTakenV1) -> None:
    """A complaint the Admin Pengaduan took in the console, filed under the code and token the
    workflow drew and printed on the receipt. The consumer's inbox files a message once.

    Codes are drawn at random in two places, so the receipt's code may (once in a trillion
    filings) already name a complaint filed here meanwhile. The complainant's token must still
    work, so the complaint is filed under a fresh code and the workflow is told the receipt's
    code (``receipt_code``): the case shows both, the Admin Pengaduan tells the complainant, and
    the notifier's acknowledgement carries the new code on every channel they gave."""
    data = ComplaintIn.model_validate(
        {
            "reporter": msg.reporter.model_dump() if msg.reporter else None,
            "subject": msg.subject,
            "description": msg.description,
            "channels": list(msg.channels),
            "licence_reference": msg.licence_reference,
            "identity": msg.identity.value,
            "service_code": msg.service_code,
            "consent": msg.consent,
        }
    )
    taken = TakenBy(username=msg.taken_by, received_via=msg.received_via)
    # The complainant consented to the Admin Pengaduan, when the complaint was taken.
    columns = _columns(data, msg.tracking_code, msg.access_token_hash, taken, msg.occurred_at)
    complaint = _insert_unless_taken(session, **columns)
    receipt_code = None
    if complaint is None:
        log.error("receipt code %s is taken; filing under a fresh code", msg.tracking_code)
        receipt_code = msg.tracking_code
        complaint = under_unused_code(
            lambda code: _insert_unless_taken(session, **{**columns, "tracking_code": code})
        )
    _send_on(session, complaint, data, taken, receipt_code=receipt_code)


def _columns(
    data: ComplaintIn, code: str, token_hash: str, taken: TakenBy | None, at: datetime | None = None
) -> dict[str, Any]:
    """The complaint's row; ``at``: when the consent was given, if not now."""
    now = utcnow()
    return {
        "id": str(uuid.uuid4()),
        "tracking_code": code,
        "access_token_hash": token_hash,
        "identity": data.identity.value,
        "reporter_name": data.reporter.name if data.reporter else None,
        "reporter_email": data.reporter.email if data.reporter else None,
        "reporter_phone": data.reporter.phone if data.reporter else None,
        "subject": data.subject,
        "description": data.description,
        "licence_reference": data.licence_reference,
        "service_code": data.service_code,
        "channels": [channel.value for channel in data.channels],
        "received_via": taken.received_via.value if taken else None,
        "taken_by": taken.username if taken else None,
        "status": SUBMITTED,
        "status_sequence": 0,
        "created_at": now,
        # Recorded only when given: no consent sent is no consent (see ComplaintIn.consent).
        "consent_at": (at or now) if data.consent else None,
        "privacy_notice_version": privacy.NOTICE_VERSION if data.consent else None,
    }


def _send_on(
    session: Session,
    complaint: Complaint,
    data: ComplaintIn,
    taken: TakenBy | None,
    *,
    receipt_code: str | None = None,
) -> None:
    """The filing's timeline entry, its hand-off to step 1 and its acknowledgement."""
    now = complaint.created_at
    entry = {"complaint_id": complaint.id, "status": SUBMITTED, "occurred_at": now}
    session.execute(insert(TIMELINE), entry)  # Core: the ORM's flush cost more CPU (py-spy)
    reporter = (
        Reporter(name=data.reporter.name, email=data.reporter.email, phone=data.reporter.phone)
        if data.reporter is not None
        else None  # anonymous: no name, no contact
    )
    channels = tuple(data.channels)
    filed = (
        FIRST_STEP.arrive_task,
        ComplaintFiledV1(
            occurred_at=now,
            tracking_code=complaint.tracking_code,
            subject=data.subject,
            description=data.description,
            reporter=reporter,
            channels=channels,
            licence_reference=data.licence_reference,
            received_via=taken.received_via if taken else None,
            taken_by=taken.username if taken else None,
            receipt_code=receipt_code,
            identity=data.identity,
            service_code=data.service_code,
            filed_via=FiledVia(complaint.filed_via) if complaint.filed_via else None,
        ),
    )
    acknowledgement = (
        NOTIFY_TASK,
        NotificationRequestedV1(
            occurred_at=now,
            kind=NotificationKind.FILED,
            tracking_code=complaint.tracking_code,
            recipient=reporter,
            # An anonymous complainant is reached in the app only (ComplaintIn allows no other).
            channels=channels if reporter is not None else (Channel.APP,),
            subject=data.subject,
        ),
    )
    insert_now(session, [filed, acknowledgement])
    session.flush()
    annotate(tracking_code=complaint.tracking_code)
    log.info("complaint %s filed as %s", complaint.id, complaint.tracking_code)


def status_now(session: Session, tracking_code: str) -> str:
    """The complaint's status as it stands: a receipt shown again (a reload of the filing form)
    may find the workflow has registered it since, and must not say otherwise."""
    complaint = _by_code(session, tracking_code)
    return complaint.status if complaint is not None else SUBMITTED


def find_for_citizen(session: Session, tracking_code: str, access_token: str) -> Complaint:
    """The complaint, only for the holder of its access token; ``NotFound`` otherwise."""
    code = normalise_tracking_code(tracking_code)
    # Only a well-formed code reaches the database (PostgreSQL refuses a NUL in a parameter).
    complaint = _by_code(session, code) if CODE_PATTERN.fullmatch(code) else None
    stored = complaint.access_token_hash if complaint is not None else _DECOY_HASH
    if not token_matches(access_token, stored) or complaint is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    return complaint


def timeline(session: Session, complaint: Complaint) -> list[TimelineEntry]:
    """The statuses the complaint passed through, oldest first."""
    return list(
        session.scalars(
            select(TimelineEntry)
            .where(TimelineEntry.complaint_id == complaint.id)
            .order_by(TimelineEntry.occurred_at, TimelineEntry.id)
        )
    )


def apply_status_change(session: Session, msg: CaseStatusChangedV1) -> None:
    """The workflow moved the case. Updates may arrive out of order: each one is on the
    timeline, but only a newer one (higher sequence) moves the status, and nothing from before
    the answer shown moves it away from that answer. After it, the workflow's reopening (back to
    a step, with the reason as note) or its close does."""
    complaint = complaint_for_message(session, msg.tracking_code, msg.message_id, TimelineEntry)
    if complaint is None:
        return
    _add_entry(session, complaint, msg.status, msg.message_id, msg.occurred_at, note=msg.note)
    if complaint.answered_at is not None and msg.occurred_at <= complaint.answered_at:
        log.info(
            "%s: status %s from before the answer kept on the timeline only",
            msg.tracking_code,
            msg.status,
        )
    elif msg.sequence <= complaint.status_sequence:
        log.info(
            "%s: late status %s (sequence %s <= %s) kept on the timeline only",
            msg.tracking_code,
            msg.status,
            msg.sequence,
            complaint.status_sequence,
        )
    else:
        complaint.status = msg.status
        complaint.status_sequence = msg.sequence
        complaint.reply_due_at = msg.reply_due_at
        announce_after_commit(session, complaint.tracking_code, Note("status"))
    session.flush()


def apply_answer(session: Session, msg: ComplaintAnsweredV1) -> None:
    """The jawaban reached the complainant: the tracking page shows it from now on. A reopened
    case's new answer replaces it on the page; each stays on the timeline with its text."""
    complaint = complaint_for_message(session, msg.tracking_code, msg.message_id, TimelineEntry)
    if complaint is None:
        return
    _add_entry(session, complaint, ANSWERED, msg.message_id, msg.answered_at, note=msg.answer)
    if complaint.answered_at is not None and msg.answered_at <= complaint.answered_at:
        log.info("%s: an earlier answer kept on the timeline only", msg.tracking_code)
    else:
        complaint.status = ANSWERED
        complaint.answer = msg.answer
        complaint.answered_at = msg.answered_at
        complaint.reopen_until = msg.reopen_until
        announce_after_commit(session, complaint.tracking_code, Note("status"))
    session.flush()


# Built once, rows passed as parameters (``.values(**row)`` cost a build per filing, py-spy).
TIMELINE, COMPLAINTS = cast(Table, TimelineEntry.__table__), cast(Table, Complaint.__table__)
_INSERT_UNLESS_TAKEN = {
    pg: dialect.insert(COMPLAINTS)  # keyed by "is it PostgreSQL"; else SQLite
    .on_conflict_do_nothing(index_elements=[COMPLAINTS.c.tracking_code])
    .returning(COMPLAINTS.c.id)
    for pg, dialect in ((True, postgresql), (False, sqlite))
}


def _insert_unless_taken(session: Session, **values: Any) -> Complaint | None:
    """The complaint inserted, or None if its tracking code is in use: one statement
    (``INSERT … ON CONFLICT DO NOTHING``) instead of a lookup and then an insert, and a code a
    concurrent filing holds uncommitted is waited for rather than failing the request. A Core
    statement, the row then placed in the session as it is: the ORM's own INSERT with RETURNING
    of the entity cost a fifth of the filing's CPU (py-spy, docs/BENCHMARKS.md)."""
    postgres = session.get_bind().dialect.name == "postgresql"
    if session.execute(_INSERT_UNLESS_TAKEN[postgres], values).first() is None:
        return None
    complaint = Complaint(**values, answer=None, answered_at=None, reopen_until=None)
    make_transient_to_detached(complaint)  # as if loaded: no second statement to read it back
    session.add(complaint)
    return complaint


def _by_code(session: Session, tracking_code: str) -> Complaint | None:
    return session.scalar(select(Complaint).where(Complaint.tracking_code == tracking_code))


def _add_entry(
    session: Session,
    complaint: Complaint,
    status: str,
    message_id: uuid.UUID,
    at: datetime,
    *,
    note: str | None = None,
) -> None:
    session.add(
        TimelineEntry(
            complaint_id=complaint.id,
            status=status,
            occurred_at=at,
            message_id=str(message_id),
            note=note,
        )
    )


# Statuses in which the case waits for the complainant, and the path that waits in each.
WAITING_PATHS = {p.status: p for p in PATHS if p.waits_for_complainant}
# Statuses a wait ends in when the complainant did not reply by the deadline.
CLOSED_WITHOUT_REPLY = frozenset(p.no_reply.status for p in PATHS if p.no_reply)


class ReplyTooLate(Conflict):
    """The reply deadline passed: the case is closed (or closes at the next sweep)."""

    code = "reply_deadline_passed"


def submit_reply(session: Session, complaint: Complaint, message: str) -> None:
    """The complainant supplies what the Kasi asked for; the case goes back to the step that
    asked (through the outbox). Only while a request is open: a second reply is a conflict,
    and so is one after the reply deadline (the case closed as no reply came)."""
    if complaint.status in CLOSED_WITHOUT_REPLY or (
        complaint.status in WAITING_PATHS
        and complaint.reply_due_at is not None
        and utcnow() >= complaint.reply_due_at
    ):
        raise ReplyTooLate(too_late_message(complaint))
    waiting = WAITING_PATHS.get(complaint.status)
    if waiting is None:
        raise Conflict("Laporan pengaduan ini tidak sedang menunggu kelengkapan data dari Anda")
    complaint.reply_due_at = None
    reply = ComplainantReplyV1(tracking_code=complaint.tracking_code, message=message)
    complaint.status = INFORMATION_SUPPLIED  # the workflow's next update (newer sequence) follows
    _add_entry(
        session, complaint, INFORMATION_SUPPLIED, reply.message_id, reply.occurred_at, note=message
    )
    enqueue(session, waiting.reply_task, reply)
    announce_after_commit(session, complaint.tracking_code, Note("status"))
    session.flush()


def too_late_message(complaint: Complaint) -> str:
    due = f" ({time_words(complaint.reply_due_at)})" if complaint.reply_due_at else ""
    return (
        f"Batas waktu tanggapan{due} telah lewat dan laporan pengaduan ini ditutup karena tidak "
        "ada tanggapan. Bila masih diperlukan, silakan ajukan laporan pengaduan baru."
    )
