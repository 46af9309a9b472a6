"""Internal notes (*catatan internal*): what one staff member tells the others about a case
without moving it. A note is an event of the append-only record (kind ``note``), written by
any role at any step, even once the case is closed.

A note is for staff only: nothing here writes to the outbox, so no message carries it to intake
or the notifier, and the complainant's tracking page, inbox, email and SMS never hold it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from services.workflow.cases.history import record
from services.workflow.cases.search import get_case
from services.workflow.cases.step_inputs import validate_input
from services.workflow.models import CaseEvent, StaffUser
from services.workflow.sla import clock
from shared.sop import InputField

NOTE_KIND = "note"
NOTE_LABEL = "Catatan internal"
NOTE_MAX_LENGTH = 2000
NOTE_FIELDS = (InputField("text", NOTE_LABEL, required=True, max_length=NOTE_MAX_LENGTH),)


def add_note(session: Session, *, case_id: str, user: StaffUser, payload: Any) -> CaseEvent:
    """Record ``payload``'s ``text`` on the case; 404 for an unknown case, 422 for a text that
    is empty (or only spaces) or longer than ``NOTE_MAX_LENGTH``. The case's step at the time
    is kept with it; the case itself does not change (a note never races a completion)."""
    case = get_case(session, case_id)
    given = validate_input(NOTE_FIELDS, payload, NOTE_LABEL, session=session)
    note = record(
        session,
        case,
        NOTE_KIND,
        actor=user.username,
        role=user.role,
        step=case.current_step,
        occurred_at=clock.now(),
        input={"text": given["text"]},
    )
    session.flush()
    return note
