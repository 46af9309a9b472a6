"""An email to one staff member about a case: it arrived in their role's worklist, or a
disposition named them. The Mutu Baku sweep's warnings keep their own (``sla.sweep``): they go
to addresses outside the accounts too, under message ids of their own."""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.workflow.cases import identity
from services.workflow.models import Case, StaffUser
from shared.messaging.contracts import (
    NOTIFY_TASK,
    Channel,
    NotificationKind,
    NotificationRequestedV1,
    Reporter,
)
from shared.messaging.outbox import enqueue


def email_staff(
    session: Session, case: Case, member: StaffUser, kind: NotificationKind, note: str
) -> None:
    """Queue ``kind`` about ``case`` to ``member``'s address; nothing for a member without one."""
    if not member.email:
        return
    enqueue(
        session,
        NOTIFY_TASK,
        NotificationRequestedV1(
            kind=kind,
            tracking_code=case.tracking_code,
            recipient=Reporter(name=member.full_name or member.username, email=member.email),
            channels=(Channel.EMAIL,),
            subject=identity.mail_subject(case),
            note=note,
        ),
    )
