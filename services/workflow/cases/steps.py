"""The SOP in motion: a case arrives at a step, waits on its role's worklist, and a person
completes it, handing it to the next step's queue (or, after the last, to the notifier).

Plain functions taking a ``Session``: they flush, the caller commits.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from services.workflow.cases import answer_rounds, disposition
from services.workflow.cases.claims import clear_claim, ensure_may_act
from services.workflow.cases.history import CITIZEN_ACTOR, SYSTEM_ACTOR, record
from services.workflow.cases.search import get_case
from services.workflow.cases.staff_mail import email_staff
from services.workflow.cases.step_inputs import validate_input
from services.workflow.errors import StepNotFound, StepOutOfOrder, WrongRole
from services.workflow.models import Case, StaffUser
from services.workflow.sla import clock, step_clock
from services.workflow.staff.accounts import emailed_staff
from shared.messaging.contracts import (
    INTAKE_STATUS_TASK,
    NOTIFY_TASK,
    CaseStatusChangedV1,
    Channel,
    ComplaintFiledV1,
    NotificationKind,
    NotificationRequestedV1,
    Reporter,
    StepHandoffV1,
)
from shared.messaging.outbox import enqueue
from shared.runtime.log_context import annotate
from shared.runtime.settings import get_settings
from shared.sop import (
    ANSWERED,
    FIRST_STEP,
    ROLE_LABELS,
    STEP_BY_NUMBER,
    STEPS,
    Role,
    Step,
    next_step,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Completion:
    case: Case
    step: Step
    completed_at: datetime
    next_step: Step | None


def receive_complaint(session: Session, msg: ComplaintFiledV1) -> Case:
    """A filed complaint enters the workflow: the case is registered and arrives at step 1.

    Only now is the laporan "teregister pada Sistem Pengaduan" and with the Admin Pengaduan, so
    only now is the complainant told so (at filing they heard only that it was received). A
    redelivered filing finds the case and tells nobody again."""
    existing = session.scalar(select(Case).where(Case.tracking_code == msg.tracking_code))
    if existing is not None:
        return existing
    case = Case(
        id=str(uuid.uuid4()),
        tracking_code=msg.tracking_code,
        subject=msg.subject,
        description=msg.description,
        identity=msg.identity.value,
        reporter_name=msg.reporter.name if msg.reporter else None,
        reporter_email=msg.reporter.email if msg.reporter else None,
        reporter_phone=msg.reporter.phone if msg.reporter else None,
        licence_reference=msg.licence_reference,
        channels=[c.value for c in msg.channels],
        received_via=msg.received_via.value if msg.received_via else None,
        taken_by=msg.taken_by,
        filed_via=msg.filed_via.value if msg.filed_via else None,
        service_code=msg.service_code,
        status="submitted",
        current_step=FIRST_STEP.number,
        filed_at=msg.occurred_at,
        event_count=0,
    )
    session.add(case)
    _record_filing(session, case, msg)
    arrive_at(session, case, FIRST_STEP)
    enqueue(session, NOTIFY_TASK, notification_for(case, NotificationKind.REGISTERED))
    return case


def _record_filing(session: Session, case: Case, msg: ComplaintFiledV1) -> None:
    """The record's first line: the complainant filed it, or the Admin Pengaduan took it (by
    telephone, at the desk, by letter) under their own name; and, should intake have had to
    file it under another code than the receipt's, that code, for the Admin to tell them."""
    taken = msg.taken_by is not None and msg.received_via is not None
    output: dict[str, Any] | None = None
    if taken:
        output = {"received_via": case.received_via}
        if msg.receipt_code is not None:
            output["receipt_code"] = msg.receipt_code
    record(
        session,
        case,
        "filed",
        actor=msg.taken_by if taken and msg.taken_by else CITIZEN_ACTOR,
        role=FIRST_STEP.role.value if taken else None,
        occurred_at=msg.occurred_at,
        input={"subject": msg.subject, "description": msg.description},
        output=output,
    )


def arrive(session: Session, msg: StepHandoffV1) -> None:
    """The case reaches ``msg.step``: onto the role's worklist, the step's clock starts."""
    case = session.get(Case, msg.case_id)
    if case is None:
        log.error("hand-off for unknown case %s dropped", msg.case_id)
        return
    annotate(tracking_code=case.tracking_code)
    if case.current_step != msg.step or case.step_arrived_at is not None:
        log.info("case %s already at or past step %s; hand-off ignored", case.id, msg.step)
        return
    arrive_at(session, case, STEP_BY_NUMBER[msg.step])


def arrive_at(
    session: Session,
    case: Case,
    step: Step,
    *,
    resumed_after: float | None = None,
    note: str | None = None,
) -> None:
    """The case is on ``step``'s worklist now; its clock starts (or, after a pause for the
    complainant, resumes with ``resumed_after`` office minutes already used). ``note``: what
    the complainant reads with the new status (a reopened case's reason)."""
    now = clock.now()
    case.status = step.status
    step_clock.start(case, step, now, resumed_after=resumed_after)
    assert case.due_at is not None  # noqa: S101 - set just now
    event = record(
        session,
        case,
        "arrived",
        step=step.number,
        role=step.role.value,
        actor=SYSTEM_ACTOR,
        occurred_at=now,
        output={"due_at": case.due_at.isoformat()},
        standard_minutes=step.standard_minutes,
    )
    session.flush()
    enqueue(
        session,
        INTAKE_STATUS_TASK,
        CaseStatusChangedV1(
            tracking_code=case.tracking_code,
            status=step.status,
            sequence=event.sequence,
            note=note,
        ),
    )
    if get_settings().staff_arrival_emails:
        tell_role(session, case, step)
    log.info("case %s arrived at step %s, worklist of %s", case.id, step.number, step.role.value)


def complete_step(
    session: Session, *, case_id: str, step_number: int, user: StaffUser, payload: Any
) -> Completion:
    """Record the completion and hand the case on, all in the caller's transaction.

    Checked in this order: the case and step exist (404), the caller's role (403), the case is
    waiting at this step (409), the step's input (422).
    """
    case, step = actionable(session, case_id=case_id, step_number=step_number, user=user)
    data = validate_input(
        step.inputs, payload, f"Langkah {step.number} ({step.name})", session=session
    )
    return _complete(session, case, step, user, data)


def actionable(
    session: Session, *, case_id: str, step_number: int, user: StaffUser
) -> tuple[Case, Step]:
    """The case and step ``user`` may act on now, or the domain error that says why not."""
    case = get_case(session, case_id)
    step = STEP_BY_NUMBER.get(step_number)
    if step is None:
        raise StepNotFound(f"SOP tidak memiliki langkah {step_number} (langkah 1-{len(STEPS)})")
    if user.role != step.role.value:
        raise WrongRole(
            f"Langkah {step.number} ({step.name}) adalah tugas {ROLE_LABELS[step.role]}, "
            f"bukan {ROLE_LABELS[Role(user.role)]}"
        )
    if case.current_step != step.number or case.step_arrived_at is None:
        raise StepOutOfOrder(_out_of_order_message(case, step))
    ensure_may_act(case, user)
    return case, step


def hand_to(session: Session, case: Case, step: Step) -> None:
    """Send the case to ``step``'s queue; it is on that role's worklist once it arrives."""
    case.current_step = step.number
    step_clock.stop(case)
    enqueue(session, step.arrive_task, StepHandoffV1(case_id=case.id, step=step.number))


def flush_or_conflict(session: Session, case: Case, step: Step) -> None:
    code = case.tracking_code  # read now: after a failed flush the instance cannot be read
    try:
        session.flush()
    except StaleDataError as exc:
        # Someone acted on this step between our read and our write: theirs stands.
        raise StepOutOfOrder(
            f"Langkah {step.number} laporan pengaduan {code} baru saja diproses oleh orang lain"
        ) from exc


def _out_of_order_message(case: Case, step: Step) -> str:
    if case.current_step is None:
        return f"Laporan pengaduan {case.tracking_code} sudah selesai diproses"
    if case.current_step == step.number:
        return f"Laporan pengaduan {case.tracking_code} belum tiba di langkah {step.number}"
    return (
        f"Laporan pengaduan {case.tracking_code} sedang di langkah {case.current_step}, "
        f"bukan langkah {step.number}"
    )


def _complete(
    session: Session, case: Case, step: Step, user: StaffUser, data: dict[str, Any]
) -> Completion:
    now = clock.now()
    minutes = step_clock.minutes_taken(case, now)
    if step.answer_input is not None and step.answer_input in data:
        case.answer = data[step.answer_input]
    record(
        session,
        case,
        "completed",
        step=step.number,
        role=step.role.value,
        actor=user.username,
        occurred_at=now,
        input=data,
        output={"output": step.output},
        minutes_taken=minutes,
        standard_minutes=step.standard_minutes,
    )
    disposition.address(session, case, step, data)
    following = next_step(step)
    clear_claim(case)  # a claim is for one step
    if step.tells_complainant is not None:
        enqueue(
            session, NOTIFY_TASK, notification_for(case, NotificationKind(step.tells_complainant))
        )
    if following is not None:
        hand_to(session, case, following)
    else:
        case.current_step = None
        step_clock.stop(case)
        case.status = ANSWERED
        case.closed_at = now
        answer_rounds.open_round(session, case, now)
        send_answer(session, case)
    flush_or_conflict(session, case, step)
    return Completion(case=case, step=step, completed_at=now, next_step=following)


def notification_for(
    case: Case,
    kind: NotificationKind,
    *,
    answer: str | None = None,
    note: str | None = None,
    reply_due_at: datetime | None = None,
    reopen_until: datetime | None = None,
) -> NotificationRequestedV1:
    return NotificationRequestedV1(
        kind=kind,
        tracking_code=case.tracking_code,
        recipient=Reporter(
            name=case.reporter_name, email=case.reporter_email, phone=case.reporter_phone
        )
        if case.reporter_name is not None
        else None,  # anonymous: the notifier reaches them in the app only
        channels=tuple(Channel(c) for c in case.channels),
        subject=case.subject,
        answer=answer,
        note=note,
        reply_due_at=reply_due_at,
        reopen_until=reopen_until,
    )


def tell_role(session: Session, case: Case, step: Step) -> None:
    """Email each active member of the step's role who has an address: a case is waiting."""
    note = f"Langkah {step.number}: {step.name} (standar {step.standard_minutes} menit)"
    for user in emailed_staff(session, step.role):
        email_staff(session, case, user, NotificationKind.WORKLIST_ARRIVAL, note)


def send_answer(session: Session, case: Case) -> None:
    """The answer goes to the complainant, with the end of their window to have it reopened,
    and to each complainant of a duplicate of this case (who cannot reopen the original)."""
    answer = case.answer
    enqueue(
        session,
        NOTIFY_TASK,
        notification_for(
            case, NotificationKind.ANSWER, answer=answer, reopen_until=case.reopen_until
        ),
    )
    for duplicate in session.scalars(select(Case).where(Case.duplicate_of == case.id)):
        enqueue(
            session,
            NOTIFY_TASK,
            notification_for(duplicate, NotificationKind.ANSWER, answer=answer),
        )


def worklist(
    session: Session,
    role: Role,
    now: datetime | None = None,
    *,
    username: str | None = None,
    service_code: str | None = None,
) -> list[Case]:
    """Cases that arrived at one of ``role``'s steps (``service_code``: only those about that
    service): those a disposition addressed to ``username`` first, then the others; in each,
    the overdue first, the longest overdue at the top, then the rest by arrival, oldest first."""
    now = now or clock.now()
    numbers = [s.number for s in STEPS if s.role == role]
    query = select(Case).where(Case.current_step.in_(numbers), Case.step_arrived_at.is_not(None))
    if service_code is not None:
        query = query.where(Case.service_code == service_code)
    cases = session.scalars(query.order_by(Case.step_arrived_at, Case.id))

    def place(case: Case) -> tuple[bool, bool, datetime]:
        # Sorted here rather than in SQL so "overdue" means exactly what each item shows; the
        # sort is stable, so ties keep the query's order.
        others = not is_addressed_to(case, username)
        if step_clock.is_overdue(case, now):
            assert case.due_at is not None  # noqa: S101 - is_overdue checked it
            return (others, False, case.due_at)
        assert case.step_arrived_at is not None  # noqa: S101 - selected on it
        return (others, True, case.step_arrived_at)

    return sorted(cases, key=place)


def is_addressed_to(case: Case, username: str | None) -> bool:
    """Whether the case's disposition names ``username`` among those who follow it up."""
    return username is not None and username in (case.assignees or [])
