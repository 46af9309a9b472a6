"""The end of waiting for the complainant (``shared.sop.NoReply``): halfway to the reply
deadline a reminder goes to them on the channels they chose; at the deadline the case closes
(``closed_no_response``), intake is told the status and the complainant is sent its message.

Run by the Mutu Baku sweep's task, in its transaction, with the same discipline (``sweep``):
each effect is claimed by a compare-and-set UPDATE of its mark (``reply_reminded_at``,
``reply_closed_at``) in the transaction that carries its outbox rows, and the message ids are
derived from the case and its deadline, so a rerun or a second sweep adds nothing. The close
changes the case's status, so its UPDATE bumps the version: a complainant's reply consumed at
that moment fails its optimistic check, retries, and finds the case closed (it is then ignored,
and intake refuses a reply after the deadline on its own side).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, update
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.orm.attributes import set_committed_value

from services.workflow.cases.history import SYSTEM_ACTOR, record
from services.workflow.cases.steps import notification_for
from services.workflow.models import Case
from services.workflow.sla.sweep import BATCH, come_due
from shared.messaging.contracts import (
    INTAKE_STATUS_TASK,
    NOTIFY_TASK,
    CaseStatusChangedV1,
    NotificationKind,
)
from shared.messaging.outbox import enqueue_once
from shared.sop import PATHS, NoReply, Path

log = logging.getLogger(__name__)

REMINDED = "reply_reminded"  # history events
CLOSED = "closed_no_response"
# Message ids derived from the case and its deadline: a rerun enqueues nothing new.
MESSAGE_NAMESPACE = uuid.UUID("c51e3a0f-6d2b-4f87-9a13-2e8b7d4c0f61")


@dataclass(frozen=True)
class ReplySweepResult:
    """The tracking codes acted on by this sweep."""

    reminded: tuple[str, ...] = ()
    closed: tuple[str, ...] = ()


def waiting_paths() -> dict[str, tuple[Path, NoReply]]:
    """The statuses that wait for the complainant with a deadline, and what ends each."""
    return {p.status: (p, p.no_reply) for p in PATHS if p.status and p.no_reply}


def sweep_replies(session: Session, now: datetime, *, batch: int = BATCH) -> ReplySweepResult:
    """Close what is past its deadline, then remind what is halfway; the caller commits. A case
    already past its deadline is closed only, never reminded as well."""
    waiting = waiting_paths()
    closed = tuple(
        case.tracking_code
        for case in _due(session, Case.reply_due_at, now, batch, waiting)
        if _close(session, case, now, waiting[case.status])
    )
    reminded = tuple(
        case.tracking_code
        for case in _due(
            session,
            Case.reply_remind_at,
            now,
            batch,
            waiting,
            Case.reply_reminded_at.is_(None),
            Case.reply_due_at > now,
        )
        if _remind(session, case, now, waiting[case.status][1])
    )
    return ReplySweepResult(reminded=reminded, closed=closed)


def _due(
    session: Session,
    moment: InstrumentedAttribute[datetime | None],
    now: datetime,
    batch: int,
    waiting: dict[str, tuple[Path, NoReply]],
    *conditions: ColumnElement[bool],
) -> list[Case]:
    """Cases waiting for the complainant whose ``moment`` has come, oldest first."""
    return come_due(
        session,
        moment,
        now,
        batch,
        Case.status.in_(waiting),
        Case.reply_closed_at.is_(None),
        *conditions,
    )


def _pinned(case: Case) -> tuple[ColumnElement[bool], ...]:
    """Still the same wait that was read: a reply meanwhile cleared the deadline."""
    return (
        Case.id == case.id,
        Case.status == case.status,
        Case.reply_due_at == case.reply_due_at,
        Case.reply_closed_at.is_(None),
    )


def _remind(session: Session, case: Case, now: datetime, no_reply: NoReply) -> bool:
    claimed = session.execute(
        update(Case)
        .where(*_pinned(case), Case.reply_reminded_at.is_(None), Case.reply_due_at > now)
        .values(reply_reminded_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        log.info("case %s: reply reminder already claimed", case.id)
        return False
    set_committed_value(case, "reply_reminded_at", now)
    record(
        session,
        case,
        REMINDED,
        step=case.current_step,
        actor=SYSTEM_ACTOR,
        occurred_at=now,
        output={"reply_due_at": _iso(case.reply_due_at)},
    )
    _tell(session, case, NotificationKind(no_reply.reminder), now)
    log.info("case %s: complainant reminded, reply due %s", case.id, case.reply_due_at)
    return True


def _close(session: Session, case: Case, now: datetime, waiting: tuple[Path, NoReply]) -> bool:
    sop_path, no_reply = waiting
    claimed = session.execute(
        update(Case)
        .where(*_pinned(case), Case.reply_due_at <= now)
        .values(
            reply_closed_at=now,
            status=no_reply.status,
            current_step=None,
            closed_at=now,
            version=Case.version + 1,  # a real change of state: concurrent ORM writers retry
        )
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        log.info("case %s: close without reply already claimed", case.id)
        return False
    for name, value in (
        ("reply_closed_at", now),
        ("status", no_reply.status),
        ("current_step", None),
        ("closed_at", now),
        ("version", case.version + 1),
    ):
        set_committed_value(case, name, value)
    event = record(
        session,
        case,
        CLOSED,
        step=sop_path.step,
        actor=SYSTEM_ACTOR,
        occurred_at=now,
        output={"reply_due_at": _iso(case.reply_due_at), "status": no_reply.status},
    )
    enqueue_once(
        session,
        INTAKE_STATUS_TASK,
        CaseStatusChangedV1(
            message_id=message_id(case, "status"),
            occurred_at=now,
            tracking_code=case.tracking_code,
            status=no_reply.status,
            sequence=event.sequence,
            reply_due_at=case.reply_due_at,
        ),
    )
    _tell(session, case, NotificationKind(no_reply.status), now)
    log.info("case %s closed: no reply by %s", case.id, case.reply_due_at)
    return True


def _tell(session: Session, case: Case, kind: NotificationKind, now: datetime) -> None:
    told = notification_for(case, kind, reply_due_at=case.reply_due_at)
    enqueue_once(
        session,
        NOTIFY_TASK,
        told.model_copy(update={"message_id": message_id(case, kind.value), "occurred_at": now}),
    )


def message_id(case: Case, what: str) -> uuid.UUID:
    """One id per case, deadline and effect."""
    return uuid.uuid5(MESSAGE_NAMESPACE, f"{case.id}|{_iso(case.reply_due_at)}|{what}")


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""
