"""The answers a case sends (its answer rounds): each opens a window in which the complainant
may rate it and have the case reopened (``shared.sop.REOPENING``). A round is a row of
``case_answers``; the case keeps its round number and the window's end."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.workflow.models import Case, CaseAnswer
from services.workflow.sla.answer_minutes import minutes_from_filing
from services.workflow.sla.reopen_window import reopen_until


def open_round(session: Session, case: Case, answered_at: datetime) -> CaseAnswer:
    """The last step sent the case's answer at ``answered_at``: its round, its window and the
    office minutes since filing (the reports read them from here)."""
    case.reopen_until = reopen_until(answered_at)
    answer = CaseAnswer(
        case_id=case.id,
        round=case.answer_round,
        answered_at=answered_at,
        reopen_until=case.reopen_until,
        minutes_from_filing=minutes_from_filing(case.filed_at, answered_at),
    )
    session.add(answer)
    return answer


def latest(session: Session, case: Case) -> CaseAnswer | None:
    """The case's latest answer, or ``None`` before the first."""
    return session.scalar(
        select(CaseAnswer)
        .where(CaseAnswer.case_id == case.id)
        .order_by(CaseAnswer.round.desc())
        .limit(1)
    )


def answers_of(session: Session, case_id: str) -> list[CaseAnswer]:
    """The case's answers, the first first (the console's case page)."""
    return list(
        session.scalars(
            select(CaseAnswer).where(CaseAnswer.case_id == case_id).order_by(CaseAnswer.round)
        )
    )
