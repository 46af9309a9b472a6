"""The record of a month written straight into the workflow's database, for the monthly
report's tests: cases with a service and a route, their steps, declines, answers and surveys."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from services.workflow.cases import history
from services.workflow.models import Case, CaseAnswer, SurveyResponse
from shared.sop import STEP_BY_NUMBER
from tests.support.clock import WIB

NOVEMBER = date(2026, 11, 1)
AS_OF = datetime(2026, 11, 30, 10, 0, tzinfo=WIB)


def wib(day: int, hour: int = 9, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=WIB)


def add_case(session: Session, code: str, filed_at: datetime, **values: Any) -> Case:
    case = Case(
        id=str(uuid.uuid4()),
        tracking_code=code,
        subject="Izin belum terbit",
        description="Uji laporan bulanan",
        reporter_name="Siti Aminah",
        channels=["email"],
        status=values.pop("status", "answered"),
        current_step=values.pop("current_step", None),
        filed_at=filed_at,
        event_count=0,
        **values,
    )
    session.add(case)
    session.flush()
    return case


def step_done(session: Session, case: Case, step: int, minutes: float, at: datetime) -> None:
    history.record(
        session,
        case,
        "completed",
        actor="petugas",
        occurred_at=at,
        step=step,
        role=STEP_BY_NUMBER[step].role.value,
        minutes_taken=minutes,
        standard_minutes=5,
    )


def declined_by(session: Session, case: Case, body: str | None, at: datetime) -> None:
    history.record(
        session,
        case,
        "path",
        actor="petugas_kasi",
        occurred_at=at,
        step=2,
        role="kasi",
        input={"reason": "Di luar kewenangan", "responsible_body": body},
        output={"path": "decline", "label": "Tolak"},
    )


def answer(
    session: Session,
    case: Case,
    at: datetime,
    *,
    round_: int = 1,
    score: int | None = None,
    reopened: bool = False,
) -> None:
    session.add(
        CaseAnswer(
            case_id=case.id,
            round=round_,
            answered_at=at,
            reopen_until=at + timedelta(days=14),
            score=score,
            rated_at=at + timedelta(hours=1) if score else None,
            reopened_at=at + timedelta(hours=2) if reopened else None,
        )
    )


def survey(session: Session, case: Case, scores: list[int]) -> None:
    session.add(
        SurveyResponse(
            case_id=case.id,
            round=1,
            scores=scores,
            submitted_at=AS_OF,
            message_id=str(uuid.uuid4()),
        )
    )


SURVEY_A = [4, 4, 4, 4, 4, 4, 4, 4, 4]
SURVEY_H = [3, 3, 3, 3, 2, 3, 3, 3, 3]
