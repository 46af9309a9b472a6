"""A role's worklist as staff see it: each waiting case with its time against the step's
standard (Mutu Baku, office minutes). The API's ``/worklist`` and the console both show this."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from services.workflow.cases import steps
from services.workflow.sla import step_clock
from shared.sop import STEP_BY_NUMBER, Role


class WorkItem(BaseModel):
    case_id: str
    tracking_code: str
    step: int
    step_name: str
    subject: str
    arrived_at: datetime
    due_at: datetime
    overdue: bool = Field(description="Melewati batas waktu (due_at) langkahnya")
    minutes_left: float = Field(
        description="Sisa waktu terhadap standar langkah, dalam menit kerja (jam kantor); "
        "negatif bila terlambat"
    )
    held_by: str | None
    held_at: datetime | None


def work_items(session: Session, role: Role, now: datetime) -> list[WorkItem]:
    """``steps.worklist``'s order: the overdue first, the longest overdue at the top."""
    items = []
    for case in steps.worklist(session, role, now):
        assert case.current_step and case.step_arrived_at and case.due_at  # noqa: S101
        step = STEP_BY_NUMBER[case.current_step]
        items.append(
            WorkItem(
                case_id=case.id,
                tracking_code=case.tracking_code,
                step=case.current_step,
                step_name=step.name,
                subject=case.subject,
                arrived_at=case.step_arrived_at,
                due_at=case.due_at,
                overdue=step_clock.is_overdue(case, now),
                minutes_left=round(step.standard_minutes - step_clock.minutes_taken(case, now), 2),
                held_by=case.held_by,
                held_at=case.held_at,
            )
        )
    return items
