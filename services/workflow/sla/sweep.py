"""The Mutu Baku sweep: a step near its due time is warned to its role; a step past it is
recorded as breached on the case's history and escalated to the supervising role
(``shared.sop.SUPERVISED_BY``; the Koordinator's own breach to the head of office).

Run by one Celery beat (``workflow.sla.sweep``), yet safe when two sweeps run at the same moment
in two processes: each warning and breach is claimed by a compare-and-set UPDATE of its mark
(``warned_at``, ``breached_at``) in the transaction that carries its effects, and only the sweep
whose UPDATE changed the row acts. The claim is a plain UPDATE, not an ORM write, on purpose: it
must not bump the case's version, or a staff member completing the step at that moment would be
refused as if someone else had acted.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.orm.attributes import set_committed_value

from services.workflow.cases import identity
from services.workflow.cases.history import SYSTEM_ACTOR, record
from services.workflow.models import Case
from services.workflow.sla import step_clock
from services.workflow.sla.notes import breach_note, warning_note
from services.workflow.staff.accounts import emailed_staff
from shared.messaging.contracts import (
    NOTIFY_TASK,
    Channel,
    NotificationKind,
    NotificationRequestedV1,
    Reporter,
)
from shared.messaging.outbox import enqueue_once
from shared.runtime.settings import get_settings
from shared.sop import HEAD_OF_OFFICE_LABEL, STEP_BY_NUMBER, SUPERVISED_BY, Step

log = logging.getLogger(__name__)

# Cases claimed per kind and sweep, oldest first: a backlog (after an outage) drains over a few
# sweeps instead of holding hundreds of rows in one transaction.
BATCH = 200
BREACHED = "breached"  # the history event (the SLA report and metrics count these)
HEAD_OF_OFFICE = "head_of_office"  # ``escalated_to`` on the record when no SOP role is above
# Notification ids are derived from what caused them, so a rerun adds no second message.
MESSAGE_NAMESPACE = uuid.UUID("3b8f2d6a-9c41-4e57-a0d3-6f1e8b2c7d95")


@dataclass(frozen=True)
class SweepResult:
    """The tracking codes acted on by this sweep (not those another sweep had claimed)."""

    warned: tuple[str, ...] = ()
    breached: tuple[str, ...] = ()


def sweep(session: Session, now: datetime, *, batch: int = BATCH) -> SweepResult:
    """Warn and breach what is due at ``now``; the caller commits. Breaches go first, and a case
    already past its due time is breached only, never warned as well."""
    breached = tuple(
        case.tracking_code
        for case in _waiting(session, Case.due_at, now, batch)
        if _breach(session, case, now)
    )
    warned = tuple(
        case.tracking_code
        for case in _waiting(
            session, Case.warn_at, now, batch, Case.warned_at.is_(None), Case.due_at > now
        )
        if _warn(session, case, now)
    )
    return SweepResult(warned=warned, breached=breached)


def _waiting(
    session: Session,
    moment: InstrumentedAttribute[datetime | None],
    now: datetime,
    batch: int,
    *conditions: ColumnElement[bool],
) -> list[Case]:
    """Cases waiting at a step (not travelling, not paused for the complainant) whose
    ``moment`` has come and that are not yet breached, the longest-passed first."""
    return come_due(
        session,
        moment,
        now,
        batch,
        Case.step_arrived_at.is_not(None),
        Case.current_step.is_not(None),
        Case.breached_at.is_(None),
        *conditions,
    )


def come_due(
    session: Session,
    moment: InstrumentedAttribute[datetime | None],
    now: datetime,
    batch: int,
    *conditions: ColumnElement[bool],
) -> list[Case]:
    """At most ``batch`` cases meeting ``conditions`` whose ``moment`` has come, the
    longest-passed first: what a sweep acts on.

    On PostgreSQL the rows are locked as they are read, skipping those another transaction
    holds (a second sweep, a staff member acting): two sweeps then split the work instead of
    queueing behind, or deadlocking on, each other's rows. SQLite ignores it; its writers are
    serialised anyway (``BEGIN IMMEDIATE``)."""
    return list(
        session.scalars(
            select(Case)
            .where(moment <= now, *conditions)
            .order_by(moment, Case.id)
            .limit(batch)
            .with_for_update(skip_locked=True)
        )
    )


def _claim(
    session: Session,
    case: Case,
    mark: InstrumentedAttribute[datetime | None],
    now: datetime,
    *conditions: ColumnElement[bool],
) -> bool:
    """Set ``mark`` unless another sweep did: true only for the sweep whose UPDATE changed the
    row. Pinned to the arrival that was read, so a case that moved on (or left and came back)
    meanwhile is not marked for a step it is no longer at."""
    claimed = session.execute(
        update(Case)
        .where(
            Case.id == case.id,
            Case.current_step == case.current_step,
            Case.step_arrived_at == case.step_arrived_at,
            mark.is_(None),
            *conditions,
        )
        .values({mark: now})
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        log.info("case %s: %s already claimed by another sweep", case.id, mark.key)
        return False
    set_committed_value(case, mark.key, now)
    return True


def _breach(session: Session, case: Case, now: datetime) -> bool:
    if not _claim(session, case, Case.breached_at, now, Case.due_at <= now):
        return False
    step = _step_of(case)
    over = max(step_clock.minutes_taken(case, now) - step.standard_minutes, 0.0)
    above = SUPERVISED_BY[step.role]
    assert case.due_at is not None  # noqa: S101 - claimed on due_at <= now
    record(
        session,
        case,
        BREACHED,
        step=step.number,
        role=step.role.value,
        actor=SYSTEM_ACTOR,
        occurred_at=now,
        output={
            "due_at": case.due_at.isoformat(),
            "minutes_over": round(over, 2),
            "escalated_to": above.value if above else HEAD_OF_OFFICE,
        },
        standard_minutes=step.standard_minutes,
    )
    recipients = _supervisors(session, step)
    if not recipients:
        log.warning(
            "case %s: breach of step %s reported to no one (no %s with an email address)",
            case.id,
            step.number,
            above.value if above else "head_of_office_emails entry",
        )
    note = breach_note(case, step, over)
    for name, email in recipients:
        _tell(session, case, NotificationKind.SLA_BREACH, name, email, note, now)
    log.warning("case %s breached step %s by %.2f office minutes", case.id, step.number, over)
    return True


def _warn(session: Session, case: Case, now: datetime) -> bool:
    if not _claim(
        session, case, Case.warned_at, now, Case.breached_at.is_(None), Case.due_at > now
    ):
        return False
    step = _step_of(case)
    left = max(step.standard_minutes - step_clock.minutes_taken(case, now), 0.0)
    note = warning_note(case, step, left)
    for user in emailed_staff(session, step.role):
        assert user.email is not None  # noqa: S101 - emailed_staff selects those with one
        name = user.full_name or user.username
        _tell(session, case, NotificationKind.SLA_WARNING, name, user.email, note, now)
    log.info("case %s warned at step %s, %.2f office minutes left", case.id, step.number, left)
    return True


def _step_of(case: Case) -> Step:
    assert case.current_step is not None  # noqa: S101 - selected at a step
    return STEP_BY_NUMBER[case.current_step]


def _supervisors(session: Session, step: Step) -> list[tuple[str, str]]:
    """Name and address of each who hears of a breach of ``step``."""
    above = SUPERVISED_BY[step.role]
    if above is None:
        return [(HEAD_OF_OFFICE_LABEL, email) for email in get_settings().sla.head_of_office_emails]
    return [
        (user.full_name or user.username, user.email)
        for user in emailed_staff(session, above)
        if user.email is not None
    ]


def _tell(
    session: Session,
    case: Case,
    kind: NotificationKind,
    name: str,
    email: str,
    note: str,
    now: datetime,
) -> None:
    enqueue_once(
        session,
        NOTIFY_TASK,
        NotificationRequestedV1(
            message_id=message_id(case, kind, email),
            occurred_at=now,
            kind=kind,
            tracking_code=case.tracking_code,
            recipient=Reporter(name=name, email=email),
            channels=(Channel.EMAIL,),
            subject=identity.mail_subject(case),
            note=note,
        ),
    )


def message_id(case: Case, kind: NotificationKind, email: str) -> uuid.UUID:
    """One id per case, step, arrival, kind and recipient: a rerun of the same warning or
    breach yields the same ids, which the outbox and the notifier each take once."""
    arrived = case.step_arrived_at.isoformat() if case.step_arrived_at else ""
    key = f"{case.id}|{case.current_step}|{arrived}|{kind.value}|{email.strip().lower()}"
    return uuid.uuid5(MESSAGE_NAMESPACE, key)
