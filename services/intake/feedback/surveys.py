"""The SKM survey (*Survei Kepuasan Masyarakat*, ``shared.skm``) after the rating: optional,
once per answer, and only for an answer the complainant has rated. Kept here (the tracking page
stops offering it) and sent to the workflow, which holds the office's figures (the IKM).

Any status will do once the answer is rated: a *tidak puas* rating asks for a reopening at
once, and the survey of that answer may still follow while the case is handled again, or
after it was closed."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.intake.feedback.ratings import of_answer, rating_of_answer
from services.intake.feedback.reopening import NotAnswered
from services.intake.models import Complaint, Survey
from shared.database.engine import utcnow
from shared.messaging.contracts import WORKFLOW_SURVEY_TASK, SurveyAnsweredV1
from shared.messaging.outbox import enqueue
from shared.web.domain_errors import Conflict

NOT_ANSWERED_MESSAGE = (
    "Laporan pengaduan ini belum dijawab. Survei kepuasan dapat diisi setelah jawaban "
    "pengaduan dikirim kepada Anda dan Anda menilainya."
)
NOT_RATED_MESSAGE = (
    "Nilai jawaban pengaduan terlebih dahulu; survei kepuasan diisi setelah penilaian itu."
)
ALREADY_SURVEYED_MESSAGE = (
    "Survei kepuasan untuk jawaban ini sudah Anda isi. Survei untuk setiap jawaban pengaduan "
    "hanya dapat diisi satu kali."
)


class NotRated(Conflict):
    code = "not_rated"


class AlreadySurveyed(Conflict):
    code = "already_surveyed"


def survey_of_answer(session: Session, complaint: Complaint) -> Survey | None:
    return of_answer(session, Survey, complaint)


def may_survey(session: Session, complaint: Complaint) -> bool:
    """The answer shown is rated and its survey not yet filled in: the page offers it."""
    return (
        rating_of_answer(session, complaint) is not None
        and survey_of_answer(session, complaint) is None
    )


def answer_survey(session: Session, complaint: Complaint, scores: tuple[int, ...]) -> Survey:
    """Keep the answers (U1..U9, in order) and tell the workflow, in the caller's
    transaction."""
    if complaint.answered_at is None:
        raise NotAnswered(NOT_ANSWERED_MESSAGE)
    if rating_of_answer(session, complaint) is None:
        raise NotRated(NOT_RATED_MESSAGE)
    if survey_of_answer(session, complaint) is not None:
        raise AlreadySurveyed(ALREADY_SURVEYED_MESSAGE)
    message = SurveyAnsweredV1(
        tracking_code=complaint.tracking_code, answered_at=complaint.answered_at, scores=scores
    )
    survey = Survey(
        complaint_id=complaint.id,
        answered_at=complaint.answered_at,
        scores=list(scores),
        message_id=str(message.message_id),
        created_at=utcnow(),
    )
    try:
        with session.begin_nested():  # two surveys sent at once: the second is the 409
            session.add(survey)
    except IntegrityError:
        raise AlreadySurveyed(ALREADY_SURVEYED_MESSAGE) from None
    enqueue(session, WORKFLOW_SURVEY_TASK, message)
    session.flush()
    return survey
