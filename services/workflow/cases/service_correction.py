"""The Kasi corrects which licensing service a case is about (*koreksi layanan*): a complainant
may name the wrong one, or none. The correction is an event of the case's record
(``service_corrected``, with the code before and after) and, in the same transaction, a
``CaseServiceChangedV1`` on the outbox, so intake's complaint (its tracking page, its receipt)
names the corrected service too. Only a service the catalogue holds and has not withdrawn may
be named; ``None`` says the case is about no service in particular.
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from services.workflow.cases.history import record
from services.workflow.cases.search import get_case
from services.workflow.catalogue.entries import ensure_active
from services.workflow.errors import WrongRole
from services.workflow.models import Case, StaffUser
from services.workflow.sla import clock
from shared.messaging.contracts import INTAKE_CASE_SERVICE_TASK, CaseServiceChangedV1
from shared.messaging.outbox import enqueue
from shared.sop import ROLE_LABELS, Role

log = logging.getLogger(__name__)

SERVICE_CORRECTED = "service_corrected"  # the history event
CORRECTOR = Role.KASI


def may_correct(user: StaffUser) -> bool:
    return user.role == CORRECTOR.value


def correct_service(
    session: Session, *, case_id: str, user: StaffUser, service_code: str | None
) -> Case:
    """Name ``service_code`` as the case's service: 403 for any role but the Kasi, 404 for an
    unknown case, 422 for a code the catalogue lacks or has withdrawn. The same code again
    changes nothing and records nothing."""
    if not may_correct(user):
        raise WrongRole(f"Layanan perizinan laporan hanya dikoreksi oleh {ROLE_LABELS[CORRECTOR]}")
    case = get_case(session, case_id)
    if service_code is not None:
        service_code = ensure_active(session, service_code).code
    before = case.service_code
    if before == service_code:
        return case
    now = clock.now()
    case.service_code = service_code
    record(
        session,
        case,
        SERVICE_CORRECTED,
        actor=user.username,
        role=user.role,
        step=case.current_step,
        occurred_at=now,
        input={"service_code": service_code},
        output={"from": before, "to": service_code},
    )
    enqueue(
        session,
        INTAKE_CASE_SERVICE_TASK,
        CaseServiceChangedV1(
            occurred_at=now,
            tracking_code=case.tracking_code,
            service_code=service_code,
            changed_at=now,
        ),
    )
    session.flush()
    log.info("case %s: service corrected from %s to %s", case.id, before, service_code)
    return case
