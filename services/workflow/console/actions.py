"""What the person looking at a case may do with it now, as forms: complete the current step,
take one of the step's other SOP paths, claim or release the case; any of them may add an
internal note at any time (``note_action``). Whether the step is theirs
is asked of ``steps.actionable``, the check completing it runs, so the page never offers what
the API would refuse."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from services.workflow.cases.disposition import member_label
from services.workflow.cases.notes import NOTE_FIELDS
from services.workflow.cases.step_inputs import office_today
from services.workflow.cases.steps import actionable
from services.workflow.models import Case, StaffUser
from services.workflow.staff.accounts import active_staff, get_by_username
from shared.sop import PATHS_BY_STEP, STEP_BY_NUMBER, InputField, InputKind, Step
from shared.web.domain_errors import DomainError

COMPLETE = "complete"
NOTE = "note"


@dataclass(frozen=True)
class Choice:
    value: str  # the username
    label: str  # "Rina Kartika (Bidang Perizinan)"


@dataclass(frozen=True)
class Field:
    id: str
    name: str
    label: str
    required: bool
    max_length: int
    kind: str = InputKind.TEXT.value
    choices: tuple[Choice, ...] = ()  # a staff field's members to tick
    earliest: str = ""  # a date field's first allowed day (ISO), the input's ``min``


@dataclass(frozen=True)
class Action:
    key: str  # "complete" or the path's name: the form's data-path
    title: str
    button: str
    url: str
    fields: tuple[Field, ...]
    primary: bool


@dataclass(frozen=True)
class CaseActions:
    step_actions: tuple[Action, ...]
    may_claim: bool
    may_release: bool


NONE = CaseActions(step_actions=(), may_claim=False, may_release=False)


def case_url(case_id: str) -> str:
    return f"/console/kasus/{case_id}"


def _choices(session: Session, field: InputField) -> tuple[Choice, ...]:
    if field.kind is not InputKind.STAFF or field.staff_role is None:
        return ()
    return tuple(
        Choice(value=u.username, label=member_label(u.username, u))
        for u in active_staff(session, field.staff_role)
    )


def _fields(session: Session, key: str, inputs: tuple[InputField, ...]) -> tuple[Field, ...]:
    return tuple(
        Field(
            id=f"{key}-{f.name}".replace("_", "-"),
            name=f.name,
            label=f.label,
            required=f.required,
            max_length=f.max_length,
            kind=f.kind.value,
            choices=_choices(session, f),
            earliest=office_today().isoformat() if f.kind is InputKind.DATE else "",
        )
        for f in inputs
    )


def complete_button(step: Step) -> str:
    return f"Selesaikan langkah {step.number}: {step.action}"


def step_actions(session: Session, case: Case, step: Step) -> tuple[Action, ...]:
    base = f"{case_url(case.id)}/langkah/{step.number}"
    complete = Action(
        key=COMPLETE,
        title=f"Langkah {step.number}: {step.name}",
        button=complete_button(step),
        url=base,
        fields=_fields(session, COMPLETE, step.inputs),
        primary=True,
    )
    others = tuple(
        Action(
            key=p.name,
            title=p.label,
            button=p.action,
            url=f"{base}/jalur/{p.name}",
            fields=_fields(session, p.name, p.inputs),
            primary=False,
        )
        for p in PATHS_BY_STEP.get(step.number, {}).values()
    )
    return (complete, *others)


def note_action(session: Session, case: Case) -> Action:
    """The form every staff member has on a case: a note for the other staff, never for the
    complainant."""
    return Action(
        key=NOTE,
        title="Catatan internal",
        button="Simpan catatan internal",
        url=f"{case_url(case.id)}/catatan",
        fields=_fields(session, NOTE, NOTE_FIELDS),
        primary=False,
    )


def actions_for(session: Session, case: Case, user: StaffUser) -> CaseActions:
    if case.current_step is None or case.step_arrived_at is None:
        return NONE
    may_release = case.held_by == user.username
    try:
        _, step = actionable(session, case_id=case.id, step_number=case.current_step, user=user)
    except DomainError:
        # Not this role's step, or someone else holds it: a deactivated holder's claim may be
        # taken over (``claims.claim``), so that one case never stays stuck.
        return CaseActions(
            step_actions=(),
            may_claim=_may_take_over(session, case, user),
            may_release=may_release,
        )
    return CaseActions(
        step_actions=step_actions(session, case, step),
        may_claim=case.held_by is None,
        may_release=may_release,
    )


def _may_take_over(session: Session, case: Case, user: StaffUser) -> bool:
    assert case.current_step is not None  # noqa: S101 - checked by the caller
    if case.held_by is None or user.role != STEP_BY_NUMBER[case.current_step].role.value:
        return False
    holder = get_by_username(session, case.held_by)
    return holder is None or not holder.active
