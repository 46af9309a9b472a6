"""Cases and their record written straight into the workflow's database, for tests that check
figures computed from the record (the Mutu Baku report, the metrics)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from services.workflow.cases import history
from services.workflow.models import Case
from shared.sop import STEP_BY_NUMBER


def seed_case(session: Session, code: str, filed_at: datetime) -> Case:
    case = Case(
        id=str(uuid.uuid4()),
        tracking_code=code,
        subject="Izin usaha belum terbit",
        description="Uji catatan Mutu Baku",
        reporter_name="Siti Aminah",
        channels=["email"],
        status="disposition",
        current_step=3,
        filed_at=filed_at,
        event_count=0,
    )
    session.add(case)
    return case


def completed(
    session: Session,
    case: Case,
    step: int,
    minutes: float,
    at: datetime,
    input: dict[str, Any] | None = None,
) -> None:
    history.record(
        session,
        case,
        "completed",
        actor="petugas",
        occurred_at=at,
        input=input,
        step=step,
        role=STEP_BY_NUMBER[step].role.value,
        minutes_taken=minutes,
        standard_minutes=5,
    )


def breached(session: Session, case: Case, step: int, at: datetime) -> None:
    history.record(
        session,
        case,
        "breached",
        actor="sistem",
        occurred_at=at,
        step=step,
        role=STEP_BY_NUMBER[step].role.value,
    )
