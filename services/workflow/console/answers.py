"""A case's answers as the console's case page shows them: when each went out, until when the
complainant could have it reopened, their rating (the SKM survey's words) and the reopening."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from services.workflow.cases.answer_rounds import answers_of
from shared.sop import REOPENING

# The SKM survey's scale, as the complainant chose on the tracking page.
SCORE_WORDS = {1: "tidak baik", 2: "kurang baik", 3: "baik", 4: "sangat baik"}


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


def views(
    session: Session, case_id: str, scrub: Callable[[str | None], str | None] = lambda text: text
) -> list[AnswerView]:
    """``scrub`` takes a confidential complainant's particulars out of what they wrote (the
    rating's comment, the reason to reopen) for a reader who may not know them."""
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
        )
        for a in answers_of(session, case_id)
    ]


def rating_words(score: int) -> str:
    verdict = "puas" if REOPENING.is_satisfied(score) else "tidak puas"
    return f"{score} ({SCORE_WORDS.get(score, '?')}), {verdict}"
