"""A complaint the Admin Pengaduan takes by telephone, at the desk or by letter, for a
complainant who did not file it themselves.

The workflow may neither call intake's API nor write its tables (DESIGN.md), yet the receipt
must carry the tracking code and access token at once. So the workflow draws both (the shared
drawing in ``shared.messaging.contracts.codes``), keeps its own record of who took the
complaint (``TakenComplaint``) and, in the same transaction, writes a ComplaintTakenV1 (the
token only as its hash) to its outbox for intake, which files it as any filing and sends it on
to step 1 as ComplaintFiledV1. The message id is drawn with the form, so a form sent twice
(a double click, a reload) files once and shows the receipt again, without the token.

A code is drawn here against the codes the workflow knows (its cases and its takings); one that
intake gave meanwhile to a filing not yet registered is found there, and intake files under a
fresh code and says so (``ComplaintFiledV1.receipt_code``, see ``intake.filing.complaints
.file_taken``): the case's record tells the Admin Pengaduan to give the complainant the new one.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.workflow.errors import WrongRole
from services.workflow.models import Case, StaffUser, TakenComplaint
from services.workflow.sla import clock
from shared.messaging.contracts import (
    INTAKE_TAKEN_TASK,
    ComplaintTakenV1,
    ReceivedVia,
    Reporter,
)
from shared.messaging.contracts.codes import (
    hash_access_token,
    new_access_token,
    under_unused_code,
)
from shared.messaging.contracts.filing import ComplaintIn
from shared.messaging.outbox import enqueue
from shared.sop import ROLE_LABELS, complainant_desk

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Taken:
    record: TakenComplaint
    # The access token, only on the request that took the complaint; None when the same form
    # came again (the token exists nowhere any more).
    access_token: str | None


def may_take(user: StaffUser) -> bool:
    """The role that speaks with complainants in the SOP (``sop.complainant_desk``) takes them."""
    return user.role == complainant_desk().value


def ensure_may_take(user: StaffUser) -> None:
    if not may_take(user):
        desk = ROLE_LABELS[complainant_desk()]
        raise WrongRole(
            f"Mencatat laporan pengaduan dari telepon, loket atau surat adalah tugas {desk}"
        )


def take_complaint(
    session: Session,
    *,
    taking_id: uuid.UUID,
    data: ComplaintIn,
    received_via: ReceivedVia,
    user: StaffUser,
) -> Taken:
    """Record who took the complaint and hand it to intake (through the outbox)."""
    ensure_may_take(user)
    earlier = session.get(TakenComplaint, str(taking_id))
    if earlier is not None:
        return Taken(earlier, None)
    token = new_access_token()
    now = clock.now()
    try:
        with session.begin_nested():
            record = under_unused_code(lambda code: _record(session, code, taking_id, data))
            record.received_via = received_via.value
            record.taken_by = user.username
            record.taken_at = now
            session.add(record)
            session.flush()
    except IntegrityError:
        # The same form, sent twice at once: the first one took it.
        winner = session.get(TakenComplaint, str(taking_id), populate_existing=True)
        if winner is None:
            raise
        return Taken(winner, None)
    enqueue(
        session,
        INTAKE_TAKEN_TASK,
        ComplaintTakenV1(
            message_id=taking_id,
            occurred_at=now,
            tracking_code=record.tracking_code,
            access_token_hash=hash_access_token(token),
            subject=data.subject,
            description=data.description,
            reporter=Reporter(
                name=data.reporter.name, email=data.reporter.email, phone=data.reporter.phone
            )
            if data.reporter
            else None,  # anonymous
            identity=data.identity,
            channels=tuple(data.channels),
            licence_reference=data.licence_reference,
            received_via=received_via,
            taken_by=user.username,
            consent=data.consent,
            service_code=data.service_code,
        ),
    )
    session.flush()
    log.info("complaint taken by %s as %s", user.username, record.tracking_code)
    return Taken(record, token)


def _record(
    session: Session, code: str, taking_id: uuid.UUID, data: ComplaintIn
) -> TakenComplaint | None:
    """A record under ``code``, or None when a case or an earlier taking has it."""
    in_use = session.scalar(
        select(
            exists().where(Case.tracking_code == code)
            | exists().where(TakenComplaint.tracking_code == code)
        )
    )
    if in_use:
        return None
    return TakenComplaint(
        id=str(taking_id),
        tracking_code=code,
        reporter_name=data.reporter.name if data.reporter else None,
        identity=data.identity.value,
        subject=data.subject,
        service_code=data.service_code,
    )


def taken(session: Session, taking_id: str) -> TakenComplaint | None:
    return session.get(TakenComplaint, taking_id)
