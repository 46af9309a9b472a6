"""Erasing a closed case's personal data in the workflow, and telling intake and the notifier.

Replaced by the marker (``ERASED_MARKER``): the reporter's name, the subject, description and
answer, every free text of the record (what the complainant and staff wrote: notes, the
verification, the disposition's directions, reasons, replies, ratings' comments, delivery
details, attachment names), of the answers' ratings, of the delivery outcomes and of the taken
complaint's receipt; set to null: the contacts and the licence reference. The files attached
are deleted from the store. Kept: the figures (statuses, dates, steps, minutes, within the
standard or not, service, scores) and who on staff did what.

The record is append-only: the erasure writes its own event first (``personal_data_erased``),
and only then rewrites the record's texts, as the triggers allow (workflow migration 0021).
A case erased once is not erased again (``erased_at``).
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.workflow.cases.history import SYSTEM_ACTOR, events_of, record
from services.workflow.models import (
    Case,
    CaseAnswer,
    CaseAttachment,
    CaseEvent,
    NotificationOutcome,
    TakenComplaint,
)
from shared.attachments import AttachmentStore, original_key, thumbnail_key
from shared.messaging.contracts import (
    ERASED_MARKER,
    INTAKE_ERASE_TASK,
    NOTIFIER_ERASE_TASK,
    ComplaintErasedV1,
    ErasureReason,
)
from shared.messaging.erasure import erase_messages_of
from shared.messaging.outbox import enqueue_once
from shared.sop import CLOSED_STATUSES, PATHS, STEPS, InputKind

log = logging.getLogger(__name__)

ERASED_EVENT = "personal_data_erased"
MESSAGE_NAMESPACE = uuid.UUID("3f6d2b8e-9c41-4a7e-8d15-2b7c6e0a9f53")

# What a record's input holds besides free text: staff usernames and dates named by the SOP's
# fields, the original of a duplicate, and when a claim began. Every other text is erased.
KEPT_INPUT = frozenset(
    {
        field.name
        for fields in (*(s.inputs for s in STEPS), *(p.inputs for p in PATHS))
        for field in fields
        if field.kind is not InputKind.TEXT
    }
    | {"original_tracking_code", "held_since"}
)
# What a record's output holds that someone wrote or that names them; the rest are figures,
# codes and labels of the SOP.
ERASED_OUTPUT = frozenset({"detail", "filename", "reason", "comment", "message", "text", "note"})


def erasable(case: Case) -> bool:
    """Only a closed case's data is erased, and only once."""
    return case.erased_at is None and case.status in CLOSED_STATUSES


def erase_case(
    session: Session,
    case: Case,
    *,
    reason: ErasureReason,
    now: datetime,
    store: AttachmentStore,
) -> bool:
    """Erase ``case``'s personal data and tell intake and the notifier; the caller commits.
    False, and nothing done, when it is not closed or was erased already."""
    if not erasable(case):
        return False
    case.erased_at = now
    if case.reporter_name is not None:
        case.reporter_name = ERASED_MARKER
    case.reporter_email = None
    case.reporter_phone = None
    case.licence_reference = None
    case.subject = ERASED_MARKER
    case.description = ERASED_MARKER
    if case.answer is not None:
        case.answer = ERASED_MARKER
    session.flush()  # the optimistic check: a second erasure at once fails here and retries
    record(
        session,
        case,
        ERASED_EVENT,
        actor=SYSTEM_ACTOR,
        occurred_at=now,
        output={"reason": reason.value},
    )
    session.flush()  # the erasure's event first: the triggers let the record change after it
    _erase_record(session, case)
    _erase_rows(session, case)
    _erase_files(session, case, store)
    erase_messages_of(session, case.tracking_code)
    for task, service in ((INTAKE_ERASE_TASK, "intake"), (NOTIFIER_ERASE_TASK, "notifier")):
        enqueue_once(
            session,
            task,
            ComplaintErasedV1(
                message_id=uuid.uuid5(MESSAGE_NAMESPACE, f"{case.id}|{service}"),
                occurred_at=now,
                tracking_code=case.tracking_code,
                reason=reason,
                erased_at=now,
            ),
        )
    log.info("case %s: personal data erased (%s)", case.id, reason.value)
    return True


def erased_input(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if not isinstance(values, dict):
        return values
    return {
        key: ERASED_MARKER if isinstance(value, str) and key not in KEPT_INPUT else value
        for key, value in values.items()
    }


def erased_output(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if not isinstance(values, dict):
        return values
    return {
        key: ERASED_MARKER if isinstance(value, str) and key in ERASED_OUTPUT else value
        for key, value in values.items()
    }


def _erase_record(session: Session, case: Case) -> None:
    """The record's texts, by SQL UPDATE (the ORM refuses to change an event, see history)."""
    for event in events_of(session, case.id):
        if event.kind == ERASED_EVENT:
            continue
        new_input, new_output = erased_input(event.input), erased_output(event.output)
        if new_input == event.input and new_output == event.output:
            continue
        session.execute(
            update(CaseEvent)
            .where(CaseEvent.id == event.id)
            .values(input=new_input, output=new_output)
            .execution_options(synchronize_session=False)
        )
        session.expire(event)


def _erase_rows(session: Session, case: Case) -> None:
    for answer in session.scalars(select(CaseAnswer).where(CaseAnswer.case_id == case.id)):
        if answer.comment is not None:
            answer.comment = ERASED_MARKER
        if answer.reopen_reason is not None:
            answer.reopen_reason = ERASED_MARKER
    outcomes = select(NotificationOutcome).where(NotificationOutcome.case_id == case.id)
    for outcome in session.scalars(outcomes):
        if outcome.detail is not None:
            outcome.detail = ERASED_MARKER
    taken = session.scalar(
        select(TakenComplaint).where(TakenComplaint.tracking_code == case.tracking_code)
    )
    if taken is not None:
        taken.subject = ERASED_MARKER
        if taken.reporter_name is not None:
            taken.reporter_name = ERASED_MARKER


def _erase_files(session: Session, case: Case, store: AttachmentStore) -> None:
    """The files go from the store (intake's erasure deletes the same, idempotently); the rows
    stay, named by the marker, so the record still counts a file was attached."""
    for attachment in session.scalars(
        select(CaseAttachment).where(CaseAttachment.case_id == case.id)
    ):
        store.delete(original_key(attachment.attachment_id))
        if attachment.thumbnail_sha256 is not None:
            store.delete(thumbnail_key(attachment.attachment_id))
        attachment.filename = ERASED_MARKER
