"""A role's worklist as staff see it: each waiting case with its time against the step's
standard (Mutu Baku, office minutes). The API's ``/worklist`` and the console both show this,
so the row's shape (``WorkItem``) lives here, below both."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from services.workflow.cases import identity, steps
from services.workflow.models import Case
from services.workflow.sla import step_clock
from shared.sop import STEP_BY_NUMBER, Role


class WorkItem(BaseModel):
    case_id: str
    tracking_code: str
    step: int
    step_name: str
    subject: str
    identity: str = Field(
        default="shown", description="Pilihan identitas pengadu: shown, confidential, anonymous"
    )
    reporter_name: str = Field(
        default="",
        description='Nama pengadu, atau "Identitas dirahasiakan" (laporan rahasia, bagi peran '
        'selain Admin Pengaduan) atau "Anonim"',
    )
    service_code: str | None = Field(default=None, description="Kode layanan yang diadukan")
    arrived_at: datetime
    due_at: datetime
    overdue: bool = Field(description="Melewati batas waktu (due_at) langkahnya")
    minutes_left: float = Field(
        description="Sisa waktu terhadap standar langkah, dalam menit kerja (jam kantor); "
        "negatif bila terlambat"
    )
    held_by: str | None
    held_at: datetime | None
    assigned_to_me: bool = Field(
        default=False,
        description="Disposisi Koordinator (langkah 3) menunjuk Anda untuk menindaklanjutinya; "
        "laporan ini di urutan teratas",
    )
    assignees: list[str] = Field(
        default_factory=list,
        description="Nama pengguna petugas yang ditunjuk disposisi Koordinator (langkah 3)",
    )
    due_date: date | None = Field(
        default=None, description="Batas waktu tindak lanjut dari disposisi (tanggal, WIB)"
    )


def work_items(
    session: Session, role: Role, now: datetime, username: str | None = None
) -> list[WorkItem]:
    """``steps.worklist``'s order: those addressed to ``username`` first, then the overdue
    first, the longest overdue at the top."""
    return [item for _, item in listed(session, role, now, username)]


def listed(
    session: Session,
    role: Role,
    now: datetime,
    username: str | None = None,
    *,
    service_code: str | None = None,
) -> list[tuple[Case, WorkItem]]:
    """``work_items`` with each item's case: a caller that logs who read whose identity has
    the cases it listed in hand (a lookup of each again cost a query per listed case).
    ``service_code``: only the cases about that service."""
    return [
        (case, _item(case, role, now, username))
        for case in steps.worklist(session, role, now, username=username, service_code=service_code)
    ]


def _item(case: Case, role: Role, now: datetime, username: str | None) -> WorkItem:
    assert case.current_step and case.step_arrived_at and case.due_at  # noqa: S101
    step = STEP_BY_NUMBER[case.current_step]
    reporter = identity.reporter_view(case, role)
    return WorkItem(
        case_id=case.id,
        tracking_code=case.tracking_code,
        step=case.current_step,
        step_name=step.name,
        subject=identity.scrubber(case, role)(case.subject),
        identity=reporter.identity.value,
        reporter_name=reporter.name,
        service_code=case.service_code,
        arrived_at=case.step_arrived_at,
        due_at=case.due_at,
        overdue=step_clock.is_overdue(case, now),
        minutes_left=round(step.standard_minutes - step_clock.minutes_taken(case, now), 2),
        held_by=case.held_by,
        held_at=case.held_at,
        assigned_to_me=steps.is_addressed_to(case, username),
        assignees=list(case.assignees or []),
        due_date=case.due_date,
    )
