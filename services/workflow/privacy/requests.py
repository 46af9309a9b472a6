"""The complainant's request for early erasure (``ErasureRequestedV1``, from intake's API): the
case's personal data is erased at once if the case is closed; otherwise nothing is done (intake
asks only for a complaint it holds as closed, so such a request crossed a reopening, or the
case is erased already), and the log says so."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.workflow.cases.notifications import CaseNotYetRegistered
from services.workflow.models import Case
from services.workflow.privacy.erasure import erasable, erase_case
from services.workflow.sla import clock
from shared.attachments import AttachmentStore
from shared.messaging.contracts import ErasureReason, ErasureRequestedV1

log = logging.getLogger(__name__)


def receive_erasure_request(
    session: Session, msg: ErasureRequestedV1, store: AttachmentStore
) -> bool:
    """True when the case's data was erased by this request."""
    case = session.scalar(select(Case).where(Case.tracking_code == msg.tracking_code))
    if case is None:
        raise CaseNotYetRegistered(msg.tracking_code)
    if not erasable(case):
        log.info(
            "case %s: erasure requested but not done (status %s, erased %s)",
            case.id,
            case.status,
            "yes" if case.erased_at else "no",
        )
        return False
    return erase_case(session, case, reason=ErasureReason.REQUEST, now=clock.now(), store=store)
