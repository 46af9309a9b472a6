"""What the notifier delivered to the complainant, kept on the case's record."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.workflow.history import record
from services.workflow.models import Case
from shared.contracts import NotificationDeliveredV1

NOTIFIER_ACTOR = "notifier"


class CaseNotYetRegistered(Exception):
    """The filing acknowledgement can be delivered before the case reaches the workflow: the
    task retries until it has (a transient condition, not a lost message)."""


def record_delivery(session: Session, msg: NotificationDeliveredV1) -> None:
    case = session.scalar(select(Case).where(Case.tracking_code == msg.tracking_code))
    if case is None:
        raise CaseNotYetRegistered(msg.tracking_code)
    record(
        session,
        case,
        "notified",
        actor=NOTIFIER_ACTOR,
        occurred_at=msg.occurred_at,
        output={
            "kind": msg.kind.value,
            "channel": msg.channel.value,
            "status": msg.status,
            "detail": msg.detail,
        },
    )
