"""The paths out of a step other than completing it (``shared.sop.PATHS``): one generic
transition driven by the path's data, plus the few effects a path has of its own (``EFFECTS``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.workflow.cases.claims import clear_claim
from services.workflow.cases.history import CITIZEN_ACTOR, record
from services.workflow.cases.step_inputs import validate_input
from services.workflow.cases.steps import (
    actionable,
    arrive_at,
    flush_or_conflict,
    hand_to,
    notification_for,
)
from services.workflow.errors import InvalidOriginal, PathNotFound
from services.workflow.models import Case, StaffUser
from services.workflow.sla import clock, reply_deadline, step_clock
from shared.messaging.contracts import (
    INTAKE_STATUS_TASK,
    NOTIFY_TASK,
    CaseStatusChangedV1,
    ComplainantReplyV1,
    NotificationKind,
)
from shared.messaging.contracts.codes import normalise_tracking_code
from shared.messaging.outbox import enqueue
from shared.sop import ANSWERED, PATHS, PATHS_BY_STEP, STEP_BY_NUMBER, Path

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PathTaken:
    case: Case
    path: Path
    taken_at: datetime


def take_path(
    session: Session, *, case_id: str, step_number: int, name: str, user: StaffUser, payload: Any
) -> PathTaken:
    """Take path ``name`` out of the case's current step: same checks as completing it (404, 403,
    409), then the path's own input (422)."""
    case, step = actionable(session, case_id=case_id, step_number=step_number, user=user)
    sop_path = PATHS_BY_STEP.get(step.number, {}).get(name)
    if sop_path is None:
        available = ", ".join(PATHS_BY_STEP.get(step.number, {})) or "tidak ada"
        raise PathNotFound(f"Langkah {step.number} tidak memiliki jalur '{name}' ({available})")
    data = validate_input(
        sop_path.inputs, payload, f"Jalur '{name}' langkah {step.number}", session=session
    )
    now = clock.now()
    event = record(
        session,
        case,
        "path",
        step=step.number,
        role=step.role.value,
        actor=user.username,
        occurred_at=now,
        input=data,
        output={"path": name, "label": sop_path.label},
        minutes_taken=step_clock.minutes_taken(case, now),
        standard_minutes=step.standard_minutes,
    )
    effect = EFFECTS.get(name)
    if effect is not None:
        effect(session, case, data)
    clear_claim(case)  # the case leaves this step, and the claim with it
    _move(session, case, sop_path, now)
    if sop_path.status is not None:
        note = note_for_complainant(sop_path, data)
        enqueue(
            session,
            INTAKE_STATUS_TASK,
            CaseStatusChangedV1(
                tracking_code=case.tracking_code,
                status=sop_path.status,
                sequence=event.sequence,
                note=note,
                reply_due_at=case.reply_due_at,
            ),
        )
        if sop_path.tells_complainant:
            kind = NotificationKind(sop_path.status)
            told = notification_for(case, kind, note=note, reply_due_at=case.reply_due_at)
            enqueue(session, NOTIFY_TASK, told)
    flush_or_conflict(session, case, step)
    return PathTaken(case=case, path=sop_path, taken_at=now)


def _move(session: Session, case: Case, sop_path: Path, now: datetime) -> None:
    if sop_path.waits_for_complainant:
        step_clock.pause(case, now)  # waiting for the complainant stops the clock
    else:
        step_clock.stop(case)
    if sop_path.returns_to is not None:
        hand_to(session, case, STEP_BY_NUMBER[sop_path.returns_to])
    elif sop_path.waits_for_complainant:
        # Parked at the step it came from, not on any worklist, until the complainant replies.
        case.current_step = sop_path.step
        case.status = sop_path.status or case.status
        if sop_path.no_reply is not None:
            reply_deadline.start(case, now)
    elif sop_path.closes:
        case.current_step = None
        case.status = sop_path.status or ANSWERED
        case.closed_at = now


def note_for_complainant(sop_path: Path, data: dict[str, Any]) -> str | None:
    """What the complainant reads with the status: the fields meant for them, reason first."""
    lines: list[str] = []
    for field in sop_path.inputs:
        value = data.get(field.name)
        if field.for_complainant and value:
            lines.append(value if not lines else f"{field.label}: {value}")
    return "\n".join(lines) or None


def _link_duplicate(session: Session, case: Case, data: dict[str, Any]) -> None:
    typed = data["original_tracking_code"].strip()
    code = normalise_tracking_code(typed)
    original = session.scalar(select(Case).where(Case.tracking_code == code))
    if original is None:
        raise InvalidOriginal(f"Laporan pengaduan asli {typed} tidak ditemukan")
    while original.duplicate_of is not None:  # link to the root, never to another duplicate
        original = session.get_one(Case, original.duplicate_of)
    if original.id == case.id:
        raise InvalidOriginal("Laporan pengaduan tidak dapat menjadi duplikat dirinya sendiri")
    if original.status == "declined":
        raise InvalidOriginal(
            f"Laporan pengaduan {code} ditolak; telaah laporan ini sendiri di langkah berikutnya"
        )
    case.duplicate_of = original.id
    if original.status == ANSWERED and original.answer:
        # The original was answered already: this complainant gets that answer at once.
        enqueue(
            session,
            NOTIFY_TASK,
            notification_for(case, NotificationKind.ANSWER, answer=original.answer),
        )


# What a path does beyond moving the case, by path name.
EFFECTS: dict[str, Callable[[Session, Case, dict[str, Any]], None]] = {
    "mark_duplicate": _link_duplicate,
}


def receive_reply(session: Session, msg: ComplainantReplyV1) -> None:
    """The complainant answered a request for information: back to the step that asked."""
    case = session.scalar(select(Case).where(Case.tracking_code == msg.tracking_code))
    waiting = {p.status: p for p in PATHS if p.waits_for_complainant}
    if case is None or case.status not in waiting:
        log.warning("reply for %s ignored: not waiting for the complainant", msg.tracking_code)
        return
    sop_path = waiting[case.status]
    record(
        session,
        case,
        "complainant_replied",
        step=sop_path.step,
        actor=CITIZEN_ACTOR,
        occurred_at=msg.occurred_at,
        input={"message": msg.message},
    )
    reply_deadline.cancel(case)  # neither the reminder nor the close is due any more
    # The clock resumes where it stopped when the Kasi asked.
    arrive_at(session, case, STEP_BY_NUMBER[sop_path.step], resumed_after=case.minutes_before_pause)
