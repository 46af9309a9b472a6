"""A disposition addressed to someone: the step whose inputs name staff (``InputKind.STAFF``,
the Koordinator's step 3) puts those members and the due date on the case, and each of them
with an email address is told, with the directions and the due date."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.workflow.cases.staff_mail import email_staff
from services.workflow.models import Case, StaffUser
from shared.messaging.contracts import (
    NotificationKind,
)
from shared.sop import InputField, InputKind, Step
from shared.wording.time_words import day_words


def _field(step: Step, kind: InputKind) -> InputField | None:
    return next((f for f in step.inputs if f.kind is kind), None)


def addresses(step: Step) -> bool:
    """Whether completing ``step`` addresses the case to named staff."""
    return _field(step, InputKind.STAFF) is not None


def address(session: Session, case: Case, step: Step, data: dict[str, Any]) -> None:
    """Put the named members and the due date on the case and tell each member by email. A
    step that names nobody leaves the case as it is."""
    staff_field = _field(step, InputKind.STAFF)
    if staff_field is None:
        return
    date_field = _field(step, InputKind.DATE)
    case.assignees = list(data.get(staff_field.name) or [])
    due = data.get(date_field.name) if date_field else None
    case.due_date = date.fromisoformat(due) if due else None
    members = staff_by_username(session, case.assignees)
    note = disposition_note(step, data, members, case.due_date)
    for username in case.assignees:
        if (member := members.get(username)) is not None:
            email_staff(session, case, member, NotificationKind.DISPOSITION_ASSIGNED, note)


def staff_by_username(session: Session, usernames: list[str]) -> dict[str, StaffUser]:
    if not usernames:
        return {}
    found = session.scalars(select(StaffUser).where(StaffUser.username.in_(usernames)))
    return {u.username: u for u in found}


def member_label(username: str, member: StaffUser | None) -> str:
    """``Rina Kartika (Bidang Perizinan)``: a member as staff read them; a removed account by
    its username."""
    if member is None:
        return username
    name = member.full_name or member.username
    return f"{name} ({member.unit})" if member.unit else name


def assignee_labels(session: Session, usernames: list[str] | None) -> list[str]:
    members = staff_by_username(session, list(usernames or []))
    return [member_label(u, members.get(u)) for u in usernames or []]


def disposition_note(
    step: Step, data: dict[str, Any], members: dict[str, StaffUser], due: date | None
) -> str:
    """What a named member reads: the directions, to whom, and by when."""
    text_fields = [f for f in step.inputs if f.kind is InputKind.TEXT and f.name in data]
    staff_field = _field(step, InputKind.STAFF)
    named = list(data.get(staff_field.name) or []) if staff_field else []
    lines = [f"{f.label}:\n{data[f.name]}\n" for f in text_fields]
    lines.append(
        "Didisposisikan kepada: " + ", ".join(member_label(u, members.get(u)) for u in named) + "."
    )
    lines.append(
        f"Batas waktu tindak lanjut: {day_words(due)}."
        if due
        else "Batas waktu tindak lanjut: tidak ditentukan (ikuti standar waktu langkah)."
    )
    return "\n".join(lines)
