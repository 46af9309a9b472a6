"""After the answer (``shared.sop.REOPENING``): the complainant's rating is kept on the answer
it rates, and a *tidak puas* rating or an explicit request within the window opens the case
again (*dibuka kembali*): back to the Kasi the first time, to the Koordinator any later time,
the step's clock restarted and the record kept. A request the window or the case's state does
not allow is recorded, and nothing changes (intake refuses these on its own side first).

Plain functions taking a ``Session``: they flush, the caller commits. A redelivered message is
stopped before it reaches them (the consumer's inbox); a second rating of the same answer
under a new message id is stopped here (one rating per answer).
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.workflow.cases import answer_rounds
from services.workflow.cases.claims import clear_claim
from services.workflow.cases.history import CITIZEN_ACTOR, SYSTEM_ACTOR, record
from services.workflow.cases.notifications import CaseNotYetRegistered
from services.workflow.cases.steps import arrive_at
from services.workflow.models import Case
from services.workflow.sla import clock
from services.workflow.sla.reopen_window import is_open
from shared.messaging.contracts import ComplaintRatedV1, ReopenRequestedV1
from shared.runtime.log_context import annotate
from shared.sop import ANSWERED, REOPENING, STEP_BY_NUMBER

log = logging.getLogger(__name__)

RATED = "rated"  # history events
REOPENED = "reopened"
REOPEN_REFUSED = "reopen_refused"
# Why a request changed nothing, as staff read it on the record.
NOT_ANSWERED = "laporan pengaduan belum dijawab atau sudah dibuka kembali"
CLOSED = "laporan pengaduan sudah ditutup"
WINDOW_PASSED = "masa dibuka kembali sudah berakhir"


def receive_rating(session: Session, msg: ComplaintRatedV1) -> None:
    """Keep the rating on the latest answer (once per answer); a *tidak puas* one within the
    window reopens the case with the comment as its reason."""
    case = _case(session, msg.tracking_code)
    answer = answer_rounds.latest(session, case)
    if answer is None or answer.score is not None:
        log.info("case %s: rating ignored (no answer, or this answer is rated)", case.id)
        return
    answer.score = msg.score
    answer.comment = msg.comment
    answer.rated_at = msg.occurred_at
    satisfied = REOPENING.is_satisfied(msg.score)
    record(
        session,
        case,
        RATED,
        actor=CITIZEN_ACTOR,
        occurred_at=msg.occurred_at,
        input={"comment": msg.comment} if msg.comment else None,
        output={"round": answer.round, "score": msg.score, "satisfied": satisfied},
    )
    if not satisfied:
        reason = (msg.comment or "").strip() or REOPENING.unsatisfied_reason
        reopen(session, case, reason, asked_at=msg.occurred_at)


def receive_reopen_request(session: Session, msg: ReopenRequestedV1) -> None:
    reopen(session, _case(session, msg.tracking_code), msg.reason, asked_at=msg.occurred_at)


def reopen(session: Session, case: Case, reason: str, *, asked_at: datetime) -> bool:
    """Open the answered case again if the complainant asked (at ``asked_at``) within its
    window; otherwise record why not. True if it was reopened."""
    refused = _refusal(case, asked_at)
    if refused is not None:
        record(
            session,
            case,
            REOPEN_REFUSED,
            actor=SYSTEM_ACTOR,
            occurred_at=clock.now(),
            input={"reason": reason},
            output={"why": refused},
        )
        log.info("case %s: reopening refused, %s", case.id, refused)
        return False
    answer = answer_rounds.latest(session, case)
    assert answer is not None  # noqa: S101 - an answered case has its answer round
    now = clock.now()
    answer.reopened_at = now
    answer.reopen_reason = reason
    # Every reopening starts a new answer round: the rounds before this one are the reopenings.
    step = STEP_BY_NUMBER[REOPENING.returns_to(case.answer_round - 1)]
    case.answer_round += 1
    case.reopen_until = None
    case.closed_at = None
    case.current_step = step.number
    case.assignees = None  # the next disposition is made anew
    case.due_date = None
    clear_claim(case)
    record(
        session,
        case,
        REOPENED,
        step=step.number,
        role=step.role.value,
        actor=CITIZEN_ACTOR,
        occurred_at=now,
        input={"reason": reason},
        output={"round": case.answer_round, "returns_to": step.number},
    )
    arrive_at(session, case, step, note=reason)
    log.info("case %s reopened to step %s (round %s)", case.id, step.number, case.answer_round)
    return True


def _refusal(case: Case, asked_at: datetime) -> str | None:
    if case.status == REOPENING.closed:
        return CLOSED
    if case.status != ANSWERED or case.current_step is not None:
        return NOT_ANSWERED
    if not is_open(case.reopen_until, asked_at):
        return WINDOW_PASSED
    return None


def _case(session: Session, tracking_code: str) -> Case:
    case = session.scalar(select(Case).where(Case.tracking_code == tracking_code))
    if case is None:
        # Intake sends these only for an answered complaint, so the case is here; should the
        # messages pass each other, the task tries again.
        raise CaseNotYetRegistered(tracking_code)
    annotate(tracking_code=case.tracking_code)
    return case
