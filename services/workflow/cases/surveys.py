"""The complainant's SKM survey (``shared.skm``) for an answer they rated, kept on that answer
round as a ``survey_responses`` row: the figures the monthly report's IKM is computed from.

Which round: the one the complainant read. Intake names it by the time the answer reached them
(the notifier's, a little after the workflow sent it), so it is the last round sent by then; a
round after it was sent later, on a reopening that this very rating may have asked for. Should
the clocks disagree so that no round is that early, the latest round is taken, as the rating
consumer takes it (``reopening.receive_rating``). A round not yet rated here means the rating
is still on its way (the two messages travel separately): the task tries again.

Plain functions taking a ``Session``: they flush, the caller commits. A redelivered message is
stopped before it reaches them (the consumer's inbox); a second survey of the same round under
another message id is stopped here (one survey per answer).
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.workflow.cases.answer_rounds import answers_of
from services.workflow.cases.history import CITIZEN_ACTOR, record
from services.workflow.cases.notifications import CaseNotYetRegistered
from services.workflow.models import Case, CaseAnswer, SurveyResponse
from shared.messaging.contracts import SurveyAnsweredV1
from shared.runtime.log_context import annotate
from shared.skm import CODES

log = logging.getLogger(__name__)

SURVEYED = "surveyed"  # the history event


class RatingNotYetReceived(Exception):
    """The survey came before the rating of its answer: a transient order, retried."""


def receive_survey(session: Session, msg: SurveyAnsweredV1) -> SurveyResponse | None:
    """Keep the answers on the round they are about; None if that round has its survey."""
    case = session.scalar(select(Case).where(Case.tracking_code == msg.tracking_code))
    if case is None:
        raise CaseNotYetRegistered(msg.tracking_code)
    annotate(tracking_code=case.tracking_code)
    answer = round_read_at(answers_of(session, case.id), msg.answered_at)
    if answer is None or answer.score is None:
        raise RatingNotYetReceived(msg.tracking_code)
    if survey_of(session, case.id, answer.round) is not None:
        log.info("case %s: survey ignored, round %s has one", case.id, answer.round)
        return None
    response = SurveyResponse(
        case_id=case.id,
        round=answer.round,
        scores=list(msg.scores),
        submitted_at=msg.occurred_at,
        message_id=str(msg.message_id),
    )
    session.add(response)
    record(
        session,
        case,
        SURVEYED,
        actor=CITIZEN_ACTOR,
        occurred_at=msg.occurred_at,
        output={"round": answer.round, "scores": dict(zip(CODES, msg.scores, strict=True))},
    )
    session.flush()
    log.info("case %s: SKM survey of answer round %s kept", case.id, answer.round)
    return response


def round_read_at(rounds: list[CaseAnswer], read_at: datetime) -> CaseAnswer | None:
    """The last of ``rounds`` (first first) sent by ``read_at``; the latest if none was."""
    sent = [a for a in rounds if a.answered_at <= read_at] or rounds
    return sent[-1] if sent else None


def survey_of(session: Session, case_id: str, round_: int) -> SurveyResponse | None:
    return session.scalar(
        select(SurveyResponse).where(
            SurveyResponse.case_id == case_id, SurveyResponse.round == round_
        )
    )


def surveys_by_round(session: Session, case_id: str) -> dict[int, SurveyResponse]:
    """The case's survey answers by answer round (the console's case page)."""
    rows = session.scalars(select(SurveyResponse).where(SurveyResponse.case_id == case_id))
    return {row.round: row for row in rows}
