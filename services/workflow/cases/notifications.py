"""What the notifier delivered to the complainant: kept on the case's record, and the latest
outcome per notification and channel, from which operators list and re-send failed deliveries.
Anyone on staff may look; the Admin Pengaduan, who answers complainants in the SOP (steps 1 and
5), re-sends.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.workflow.cases.history import NOTIFIER_ACTOR, record
from services.workflow.errors import DeliveryNotFound, NotResendable, WrongRole
from services.workflow.models import Case, NotificationOutcome, StaffUser
from services.workflow.sla import clock
from shared.messaging.contracts import (
    ERASED_MARKER,
    RESEND_TASK,
    Channel,
    NotificationDeliveredV1,
    NotificationDeliveredV2,
    ResendRequestedV1,
)
from shared.messaging.outbox import enqueue
from shared.sop import ROLE_LABELS, complainant_desk

FAILED = "failed"
RESEND_REQUESTED = "resend_requested"


class CaseNotYetRegistered(Exception):
    """The filing acknowledgement can be delivered before the case reaches the workflow: the
    task retries until it has (a transient condition, not a lost message)."""


def record_delivery(session: Session, msg: NotificationDeliveredV1) -> None:
    case = session.scalar(select(Case).where(Case.tracking_code == msg.tracking_code))
    if case is None:
        raise CaseNotYetRegistered(msg.tracking_code)
    if case.erased_at is not None and msg.detail is not None:
        # A report that crossed the erasure: its detail may quote the address it went to.
        msg = msg.model_copy(update={"detail": ERASED_MARKER})
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
            "notification_id": str(msg.notification_id) if msg.notification_id else None,
            "attempts": msg.attempts,
            "fallback": msg.fallback,
        },
    )
    if msg.notification_id is not None:
        _keep_outcome(session, case, msg, msg.notification_id)


def record_deliveries(session: Session, msg: NotificationDeliveredV2) -> None:
    """A notification's report: each channel's outcome recorded as its own report was, once.
    A later report repeats the channels already reported; an outcome is new only when it took
    more tries than the one kept (a delivery's tries only grow, and a re-send tries again), so a
    repeat, or a report overtaken by a newer one, neither adds to the history nor puts back on
    the operators' list a delivery whose re-send was asked for meanwhile."""
    for outcome in msg.outcomes:
        kept = _outcome(session, str(msg.notification_id), outcome.channel.value)
        if kept is not None and _known(kept, outcome.status, outcome.attempts):
            continue
        record_delivery(
            session,
            NotificationDeliveredV1(
                message_id=msg.message_id,
                occurred_at=msg.occurred_at,
                tracking_code=msg.tracking_code,
                kind=msg.kind,
                notification_id=msg.notification_id,
                **outcome.model_dump(),
            ),
        )


def _known(kept: NotificationOutcome, status: str, attempts: int | None) -> bool:
    if kept.attempts is not None and attempts is not None:
        return attempts <= kept.attempts
    return (kept.status, kept.attempts) == (status, attempts)


def _keep_outcome(
    session: Session, case: Case, msg: NotificationDeliveredV1, notification_id: uuid.UUID
) -> None:
    outcome = _outcome(session, str(notification_id), msg.channel.value)
    if outcome is None:
        outcome = NotificationOutcome(
            notification_id=str(notification_id), channel=msg.channel.value, case_id=case.id
        )
        session.add(outcome)
    outcome.kind = msg.kind.value
    outcome.status = msg.status
    outcome.detail = msg.detail
    outcome.attempts = msg.attempts
    outcome.fallback = msg.fallback
    outcome.reported_at = msg.occurred_at
    session.flush()


def _outcome(session: Session, notification_id: str, channel: str) -> NotificationOutcome | None:
    return session.scalar(
        select(NotificationOutcome).where(
            NotificationOutcome.notification_id == notification_id,
            NotificationOutcome.channel == channel,
        )
    )


def failed_deliveries(session: Session, limit: int) -> list[tuple[NotificationOutcome, Case]]:
    """Deliveries that failed for good and await an operator, the oldest report first."""
    rows = session.execute(
        select(NotificationOutcome, Case)
        .join(Case, Case.id == NotificationOutcome.case_id)
        .where(NotificationOutcome.status == FAILED)
        .order_by(NotificationOutcome.reported_at, NotificationOutcome.id)
        .limit(limit)
    )
    return [(outcome, case) for outcome, case in rows]


def tried_channels(
    session: Session, notification_ids: list[str]
) -> dict[str, list[NotificationOutcome]]:
    """Every channel each notification was tried on, in the order they were first reported:
    the chosen ones and the notifier's fallbacks (``fallback``), each with its latest outcome,
    so the operator sees what was tried before re-sending."""
    tried: dict[str, list[NotificationOutcome]] = {n: [] for n in notification_ids}
    rows = session.scalars(
        select(NotificationOutcome)
        .where(NotificationOutcome.notification_id.in_(notification_ids))
        .order_by(NotificationOutcome.id)
    )
    for outcome in rows:
        tried[outcome.notification_id].append(outcome)
    return tried


def may_resend(user: StaffUser) -> bool:
    """The role that speaks with complainants in the SOP (``sop.complainant_desk``) re-sends."""
    return user.role == complainant_desk().value


def ensure_may_resend(user: StaffUser) -> None:
    """``WrongRole`` (403) for anyone but the role that re-sends (the API's and the console's)."""
    if not may_resend(user):
        desk = ROLE_LABELS[complainant_desk()]
        raise WrongRole(f"Pengiriman ulang pemberitahuan adalah tugas {desk}")


def request_resend(
    session: Session, *, notification_id: uuid.UUID, channel: Channel, user: StaffUser
) -> NotificationOutcome:
    """Ask the notifier to deliver a failed notification again, once, whoever else clicks."""
    outcome = _outcome(session, str(notification_id), channel.value)
    if outcome is None:
        raise DeliveryNotFound(f"Tidak ada pengiriman {notification_id} melalui {channel.value}")
    now = clock.now()
    # Compare-and-set: of two operators re-sending at once, one wins; the other gets 409.
    changed = session.execute(  # an UPDATE's result is a CursorResult, which has rowcount
        update(NotificationOutcome)
        .where(NotificationOutcome.id == outcome.id, NotificationOutcome.status == FAILED)
        .values(status=RESEND_REQUESTED, resend_requested_by=user.username, resend_requested_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    if changed != 1:
        raise NotResendable(
            "Pengiriman ini tidak sedang gagal (sudah terkirim atau sedang dikirim ulang)"
        )
    session.refresh(outcome)
    enqueue(
        session,
        RESEND_TASK,
        ResendRequestedV1(
            notification_id=notification_id, channel=channel, requested_by=user.username
        ),
    )
    case = session.get(Case, outcome.case_id)
    if case is not None:
        record(
            session,
            case,
            "resend_requested",
            actor=user.username,
            role=user.role,
            occurred_at=now,
            output={"notification_id": str(notification_id), "channel": channel.value},
        )
    return outcome
