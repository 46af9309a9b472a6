"""The complainant's rating of the answer: once per answer, sent to the workflow. A *tidak
puas* rating (score 2 or 1) within the reopening window also shows the case as asked to be
reopened: the workflow reopens it on the same rating (COMMON.md), intake waits for its word."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.intake.feedback.reopening import (
    UNSATISFIED_REASON,
    check_answered,
    mark_requested,
    within_window,
)
from services.intake.feedback.statuses import REOPEN_REQUESTED
from services.intake.models import Complaint, Rating, Survey
from shared.database.engine import utcnow
from shared.messaging.contracts import WORKFLOW_RATED_TASK, ComplaintRatedV1
from shared.messaging.outbox import enqueue
from shared.sop import REOPENING
from shared.web.domain_errors import Conflict

ALREADY_RATED_MESSAGE = (
    "Jawaban ini sudah Anda nilai. Setiap jawaban pengaduan hanya dapat dinilai satu kali."
)


class AlreadyRated(Conflict):
    code = "already_rated"


# What the complainant gives once per answer: each row names its answer by ``answered_at``.
PerAnswer = TypeVar("PerAnswer", Rating, Survey)


def of_answer(session: Session, kind: type[PerAnswer], complaint: Complaint) -> PerAnswer | None:
    """The ``kind`` row (rating, survey) of the answer shown now; an earlier answer's is not
    this one's."""
    if complaint.answered_at is None:
        return None
    return session.scalar(
        select(kind).where(
            kind.complaint_id == complaint.id, kind.answered_at == complaint.answered_at
        )
    )


def rating_of_answer(session: Session, complaint: Complaint) -> Rating | None:
    return of_answer(session, Rating, complaint)


def rate(session: Session, complaint: Complaint, score: int, comment: str | None) -> Rating:
    """Keep the rating and tell the workflow, in the caller's transaction. A blank comment is
    none."""
    comment = comment or None
    check_answered(complaint)
    assert complaint.answered_at is not None  # noqa: S101 - check_answered saw to it
    if rating_of_answer(session, complaint) is not None:
        raise AlreadyRated(ALREADY_RATED_MESSAGE)
    message = ComplaintRatedV1(tracking_code=complaint.tracking_code, score=score, comment=comment)
    now = utcnow()
    rating = Rating(
        complaint_id=complaint.id,
        answered_at=complaint.answered_at,
        score=score,
        comment=comment,
        message_id=str(message.message_id),
        created_at=now,
    )
    try:
        with session.begin_nested():  # two ratings sent at once: the second is the 409
            session.add(rating)
    except IntegrityError:
        raise AlreadyRated(ALREADY_RATED_MESSAGE) from None
    enqueue(session, WORKFLOW_RATED_TASK, message)
    unsatisfied = not REOPENING.is_satisfied(score)
    if unsatisfied and complaint.status != REOPEN_REQUESTED and within_window(complaint, now):
        reason = comment or UNSATISFIED_REASON
        mark_requested(session, complaint, reason, message.message_id, message.occurred_at)
    session.flush()
    return rating
