"""The complaint a message from another service is about, found once for every consumer of
intake's tasks (status changes, answers, inbox messages, notices that reached no channel)."""

from __future__ import annotations

import logging
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.intake.models import Complaint, InboxMessage, TimelineEntry, UndeliverableNotice

log = logging.getLogger(__name__)

# The rows that keep a message's ``message_id``: each says the message was applied already.
KeptAs = type[TimelineEntry] | type[InboxMessage] | type[UndeliverableNotice]


def complaint_for_message(
    session: Session, tracking_code: str, message_id: uuid.UUID, kept_as: KeptAs
) -> Complaint | None:
    """The complaint a message from another service is about, unless ``kept_as`` already holds
    the message (a redelivered task) or the code is unknown."""
    complaint = session.scalar(select(Complaint).where(Complaint.tracking_code == tracking_code))
    if complaint is None:
        # Intake commits a complaint before any message about it leaves: no retry can make
        # this appear.
        log.error("message %s for unknown tracking code %s dropped", message_id, tracking_code)
        return None
    seen = session.scalar(select(kept_as.id).where(kept_as.message_id == str(message_id)))
    if seen is not None:
        log.info("message %s for %s already kept (%s)", message_id, tracking_code, kept_as.__name__)
        return None
    return complaint
