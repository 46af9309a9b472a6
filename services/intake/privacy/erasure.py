"""Intake's copy of a complaint's personal data, erased when the workflow says so
(``ComplaintErasedV1``: the retention time after closing passed, or the complainant asked).

Replaced by the marker: the reporter's name, the subject, description and answer, the notes of
the status history (reasons, requests, replies), the ratings' comments, the in-app inbox's
messages and the push deliveries' details; set to null: the contacts and the licence
reference. Deleted: the attachments (files and rows), the Web Push subscriptions, the one-time
access links and the remembered filing answer (``Idempotency-Key``, with its body's hash).
Kept: the complaint's code, statuses and dates, its service and the scores, and the access
token's hash, so the complainant still opens the tracking page and reads that their data was
erased. A second message changes nothing.
"""

from __future__ import annotations

import logging

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from services.intake.app_channel.live_events import Note, announce_after_commit
from services.intake.models import (
    AccessLink,
    Attachment,
    Complaint,
    FilingKey,
    InboxMessage,
    PushDelivery,
    PushSubscription,
    Rating,
    TimelineEntry,
)
from shared.attachments import AttachmentStore, original_key, thumbnail_key
from shared.messaging.contracts import ERASED_MARKER, ComplaintErasedV1
from shared.messaging.erasure import erase_messages_of

log = logging.getLogger(__name__)


def erase_complaint(session: Session, msg: ComplaintErasedV1, store: AttachmentStore) -> bool:
    """True when this message erased the complaint's data; False when it was erased already
    or the code is unknown (the workflow erases only what intake filed: logged)."""
    complaint = session.scalar(
        select(Complaint).where(Complaint.tracking_code == msg.tracking_code)
    )
    if complaint is None:
        log.error("erasure of unknown tracking code %s dropped", msg.tracking_code)
        return False
    if complaint.erased_at is not None:
        log.info("complaint %s: personal data erased already", complaint.id)
        return False
    complaint.erased_at = msg.erased_at
    if complaint.reporter_name is not None:
        complaint.reporter_name = ERASED_MARKER
    complaint.reporter_email = None
    complaint.reporter_phone = None
    complaint.licence_reference = None
    complaint.subject = ERASED_MARKER
    complaint.description = ERASED_MARKER
    if complaint.answer is not None:
        complaint.answer = ERASED_MARKER
    _erase_rows(session, complaint)
    _delete_files(session, complaint, store)
    erase_messages_of(session, complaint.tracking_code)
    announce_after_commit(session, complaint.tracking_code, Note("status"))
    log.info("complaint %s: personal data erased (%s)", complaint.id, msg.reason.value)
    return True


def _erase_rows(session: Session, complaint: Complaint) -> None:
    of_it = complaint.id
    marked = (
        (TimelineEntry, TimelineEntry.complaint_id, TimelineEntry.note, {"note": ERASED_MARKER}),
        (Rating, Rating.complaint_id, Rating.comment, {"comment": ERASED_MARKER}),
    )
    for model, owner, text, values in marked:
        session.execute(
            update(model)
            .where(owner == of_it, text.is_not(None))
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    session.execute(
        update(InboxMessage)
        .where(InboxMessage.complaint_id == of_it)
        .values(title=ERASED_MARKER, body=ERASED_MARKER)
        .execution_options(synchronize_session=False)
    )
    inbox = select(InboxMessage.id).where(InboxMessage.complaint_id == of_it)
    session.execute(
        update(PushDelivery)
        .where(PushDelivery.inbox_message_id.in_(inbox), PushDelivery.detail.is_not(None))
        .values(detail=ERASED_MARKER)
        .execution_options(synchronize_session=False)
    )
    for gone in (
        delete(PushSubscription).where(PushSubscription.complaint_id == of_it),
        delete(AccessLink).where(AccessLink.complaint_id == of_it),
        delete(FilingKey).where(FilingKey.complaint_id == of_it),
    ):
        session.execute(gone.execution_options(synchronize_session=False))
    session.flush()


def _delete_files(session: Session, complaint: Complaint, store: AttachmentStore) -> None:
    """The files from the store (the workflow deletes the same, idempotently), then the rows."""
    attachments = select(Attachment).where(Attachment.complaint_id == complaint.id)
    for attachment in session.scalars(attachments):
        store.delete(original_key(attachment.id))
        if attachment.thumbnail_sha256 is not None:
            store.delete(thumbnail_key(attachment.id))
        session.delete(attachment)
    session.flush()
