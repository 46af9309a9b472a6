"""What the tracking page shows after the answer: the rating given or its form (*puas / tidak
puas* on the SKM survey's 1-4 scale), once it is rated the optional SKM survey (its nine
questions, or the thanks once filled in), the form to ask for a reopening while the window is
open, and the timeline's words for a reopening asked for, a reopening (*dibuka kembali*) and each
answer (an earlier one kept there with its text, the one shown having its own card)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from services.intake.feedback import ratings, surveys
from services.intake.feedback.reopening import within_window
from services.intake.feedback.schemas import SCORE_LABELS, RatingOut, satisfaction
from services.intake.feedback.statuses import CLOSED, REOPEN_REQUESTED
from services.intake.filing.schemas import status_label
from services.intake.models import Complaint, TimelineEntry
from shared.database.engine import utcnow
from shared.skm import ELEMENTS, SCALE_LABELS
from shared.sop import ANSWERED, CLOSED_STATUSES

# The rating form's choices, best first, each with what it means.
SCORE_CHOICES = tuple(
    (str(score), f"{score} — {label} ({satisfaction(score)})")
    for score, label in SCORE_LABELS.items()
)

# The SKM survey's questions (the regulation's, ``shared.skm``) and its four answers, worst
# first as the regulation's questionnaire lists them.
SURVEY_QUESTIONS = tuple(
    (element.code, f"{number}. {element.question}", f"Unsur: {element.name}")
    for number, element in enumerate(ELEMENTS, start=1)
)
SURVEY_CHOICES = tuple((str(score), label) for score, label in SCALE_LABELS.items())


def after_answer_context(session: Session, complaint: Complaint) -> dict[str, Any]:
    """The page's rating and reopening parts, from the complaint as it stands."""
    answered = complaint.answered_at is not None and complaint.status in (
        ANSWERED,
        REOPEN_REQUESTED,
    )
    rating = ratings.rating_of_answer(session, complaint) if answered else None
    survey = surveys.survey_of_answer(session, complaint)
    return {
        "answer_final": answered,
        "rating": RatingOut.of(rating) if rating is not None else None,
        "may_rate": answered and rating is None,
        "may_reopen": complaint.status == ANSWERED and within_window(complaint, utcnow()),
        "reopen_asked": complaint.status == REOPEN_REQUESTED,
        "closed": complaint.status == CLOSED,
        "score_choices": SCORE_CHOICES,
        "surveyed": survey is not None,
        "may_survey": survey is None and surveys.may_survey(session, complaint),
        "survey_questions": SURVEY_QUESTIONS,
        "survey_choices": SURVEY_CHOICES,
        **erasure_context(complaint),
    }


def erasure_context(complaint: Complaint) -> dict[str, Any]:
    """The page's part on personal data (UU 27/2022): once closed, the complainant may ask for
    its early erasure; then it is under way; then it is done."""
    erased = complaint.erased_at is not None
    asked = complaint.erasure_requested_at is not None and not erased
    return {
        "may_erase": complaint.status in CLOSED_STATUSES and not erased and not asked,
        "erasure_asked": asked,
        "erased": erased,
    }


def timeline_lines(
    timeline: Sequence[TimelineEntry], complaint: Complaint, leads: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Each status the complaint passed through, as the page's timeline says it."""
    lines = []
    after_answer = False
    for entry in timeline:
        label, lead, note = (
            status_label(entry.status),
            leads.get(entry.status, "Keterangan"),
            entry.note,
        )
        if entry.status == ANSWERED:
            after_answer, lead = True, "Jawaban"
            if entry.occurred_at == complaint.answered_at:
                note = None  # the answer shown: in its own card above
        elif entry.status == REOPEN_REQUESTED:
            label, lead = "Anda meminta laporan pengaduan dibuka kembali", "Alasan Anda"
        elif after_answer and entry.status != CLOSED:
            after_answer = False
            label, lead = f"Dibuka kembali — {label}", "Alasan dibuka kembali"
        lines.append({"label": label, "occurred_at": entry.occurred_at, "note": note, "lead": lead})
    return lines
