"""The cases waiting for the complainant (a request for information), soonest deadline first:
the worklist's filter for the Admin, who speaks with complainants (API and console alike)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.workflow.cases import identity
from services.workflow.cases.search import status_label
from services.workflow.models import Case
from shared.sop import PATHS, STEP_BY_NUMBER

# The worklist's ``filter`` value (API) that lists these instead of the role's own steps.
WAITING_FOR_COMPLAINANT = "waiting_for_complainant"


class WaitingItem(BaseModel):
    case_id: str
    tracking_code: str
    subject: str
    identity: str = Field(
        default="shown", description="Pilihan identitas pengadu: shown, confidential, anonymous"
    )
    status: str
    status_label: str = Field(description="Status sebagaimana dibaca petugas")
    step: int = Field(description="Langkah yang meminta kelengkapan data (dan menerima balasan)")
    step_name: str
    reply_due_at: datetime | None = Field(
        description="Batas waktu tanggapan pengadu; sesudahnya laporan ditutup otomatis"
    )
    reminded: bool = Field(description="Pengingat setengah jalan sudah dikirim kepada pengadu")


def waiting_statuses() -> list[str]:
    return [p.status for p in PATHS if p.waits_for_complainant and p.status]


def waiting_items(session: Session, reader: identity.Reader) -> list[WaitingItem]:
    """Every case waiting for its complainant, the nearest reply deadline first, as ``reader``
    may read it (``identity``)."""
    cases = session.scalars(
        select(Case)
        .where(Case.status.in_(waiting_statuses()))
        .order_by(Case.reply_due_at.is_(None), Case.reply_due_at, Case.id)
    )
    items = []
    for case in cases:
        assert case.current_step is not None  # noqa: S101 - parked at the step that asked
        items.append(
            WaitingItem(
                case_id=case.id,
                tracking_code=case.tracking_code,
                subject=identity.scrubber(case, reader)(case.subject),
                identity=case.identity,
                status=case.status,
                status_label=status_label(case.status),
                step=case.current_step,
                step_name=STEP_BY_NUMBER[case.current_step].name,
                reply_due_at=case.reply_due_at,
                reminded=case.reply_reminded_at is not None,
            )
        )
    return items
