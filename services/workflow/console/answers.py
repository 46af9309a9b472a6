"""A case's answers as the console's case page shows them: when each went out, until when the
complainant could have it reopened, their rating (the SKM survey's words), their SKM survey
answers (each element's score, and the index those nine make) and the reopening."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from services.workflow.cases.answer_rounds import answers_of
from services.workflow.cases.surveys import surveys_by_round
from services.workflow.models import SurveyResponse
from shared.skm import ELEMENTS, index_of
from shared.sop import REOPENING

# The SKM survey's scale, as the complainant chose on the tracking page.
SCORE_WORDS = {1: "tidak baik", 2: "kurang baik", 3: "baik", 4: "sangat baik"}


@dataclass(frozen=True)
class SurveyView:
    submitted_at: datetime
    scores: tuple[tuple[str, str, str], ...]  # (code, element, "4 (sangat baik)"), U1..U9
    index: str  # "81,25 (B, baik)": these nine answers as the regulation's index


@dataclass(frozen=True)
class AnswerView:
    round: int
    answered_at: datetime
    reopen_until: datetime
    rating: str | None  # "3 (baik), puas"; None: not rated
    comment: str | None
    rated_at: datetime | None
    reopened_at: datetime | None
    reopen_reason: str | None
    survey: SurveyView | None = None  # None: no SKM survey filled in for this answer


def views(
    session: Session, case_id: str, scrub: Callable[[str | None], str | None] = lambda text: text
) -> list[AnswerView]:
    """``scrub`` takes a confidential complainant's particulars out of what they wrote (the
    rating's comment, the reason to reopen) for a reader who may not know them."""
    surveys = surveys_by_round(session, case_id)
    return [
        AnswerView(
            round=a.round,
            answered_at=a.answered_at,
            reopen_until=a.reopen_until,
            rating=None if a.score is None else rating_words(a.score),
            comment=scrub(a.comment),
            rated_at=a.rated_at,
            reopened_at=a.reopened_at,
            reopen_reason=scrub(a.reopen_reason),
            survey=survey_view(surveys[a.round]) if a.round in surveys else None,
        )
        for a in answers_of(session, case_id)
    ]


def rating_words(score: int) -> str:
    verdict = "puas" if REOPENING.is_satisfied(score) else "tidak puas"
    return f"{score} ({SCORE_WORDS.get(score, '?')}), {verdict}"


def survey_view(response: SurveyResponse) -> SurveyView:
    index = index_of([response.scores])
    assert index is not None  # noqa: S101 - one response is an index
    figure = f"{index.converted}".replace(".", ",")
    return SurveyView(
        submitted_at=response.submitted_at,
        scores=tuple(
            (e.code, e.name, f"{score} ({SCORE_WORDS.get(score, '?')})")
            for e, score in zip(ELEMENTS, response.scores, strict=True)
        ),
        index=f"{figure} ({index.grade}, {index.performance.lower()})",
    )
