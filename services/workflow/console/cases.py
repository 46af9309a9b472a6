"""The console's case page and the actions on it. Every action calls the logic the staff API
calls (``steps.complete_step``, ``paths.take_path``, ``claims``); its errors are the API's
(403 another role's step, 409 already done or held by someone else). Invalid input is shown on
the form again (422) and, like every refusal, changes nothing: the action runs in a savepoint
that is rolled back."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from services.workflow.cases import claims, identity, identity_reads, notes, paths, search, steps
from services.workflow.cases.disposition import assignee_labels
from services.workflow.cases.history import actor_names, events_of
from services.workflow.cases.identity_reads import ReadVia
from services.workflow.cases.service_correction import correct_service, may_correct
from services.workflow.catalogue.entries import active_entries, service_name
from services.workflow.console import answers as console_answers
from services.workflow.console import attachments as console_attachments
from services.workflow.console.actions import COMPLETE, NOTE, actions_for, case_url, note_action
from services.workflow.console.history import CHANNEL_LABELS, timeline
from services.workflow.console.pages import page, redirect
from services.workflow.console.session import ConsoleUser
from services.workflow.dependencies import SessionDep
from services.workflow.models import Case, StaffUser
from services.workflow.sla import clock, step_clock
from shared.sop import PATHS_BY_STEP, STEP_BY_NUMBER, InputField, InputKind
from shared.web.domain_errors import InvalidInput
from shared.web.service_choices import grouped_choices
from shared.wording.received_via import received_via_label

router = APIRouter(prefix="/console/kasus", include_in_schema=False)
CaseId = Annotated[str, Path(max_length=64)]
StepNumber = Annotated[int, Path(ge=1, le=100)]
PathName = Annotated[str, Path(max_length=64)]


async def _form_fields(request: Request) -> dict[str, list[str]]:
    """Every value of each name: a staff field's ticked boxes share one name."""
    form = await request.form()
    values: dict[str, list[str]] = {}
    for name, value in form.multi_items():
        if isinstance(value, str):
            values.setdefault(name, []).append(value)
    return values


FormFields = Annotated[dict[str, list[str]], Depends(_form_fields)]


def _payload(fields: tuple[InputField, ...], form: Mapping[str, list[str]]) -> dict[str, Any]:
    """The fields the action takes, as the API's JSON would carry them: an empty box is a
    field not given (required ones are then reported missing by the step's own validation);
    a staff field is the list of its ticked members."""
    payload: dict[str, Any] = {}
    for field in fields:
        given = [v for v in form.get(field.name, []) if v.strip()]
        if given:
            payload[field.name] = given if field.kind is InputKind.STAFF else given[0]
    return payload


def _shown(form: Mapping[str, list[str]]) -> dict[str, Any]:
    """The form as it is shown again: a text as typed, ticked members as their list."""
    return {name: values if len(values) > 1 else values[0] for name, values in form.items()}


def _case_page(
    request: Request,
    session: Session,
    case: Case,
    user: StaffUser,
    *,
    failed: str | None = None,
    values: Mapping[str, Any] | None = None,
    problem: str | None = None,
) -> Response:
    now = clock.now()
    step = STEP_BY_NUMBER.get(case.current_step) if case.current_step else None
    waiting = step is not None and case.step_arrived_at is not None
    events = events_of(session, case.id)
    scrub = identity.scrubber(case, user)
    identity_reads.record_reads(session, [case], user, ReadVia.CONSOLE_CASE)
    context: dict[str, Any] = {
        "case": case,
        # What this reader may read of the complainant, and the case's texts without it.
        "reporter": identity.reporter_view(case, user),
        "subject": scrub(case.subject),
        "description": scrub(case.description),
        "answer": scrub(case.answer),
        "status_label": search.status_label(case.status),
        "step": step,
        "waiting": waiting,
        "overdue": waiting and step_clock.is_overdue(case, now),
        "minutes_left": (
            round(step.standard_minutes - step_clock.minutes_taken(case, now), 2)
            if step is not None and waiting
            else None
        ),
        "channels": [CHANNEL_LABELS.get(c, c) for c in case.channels],
        "licence_reference": case.licence_reference,
        "service_name": service_name(session, case.service_code),
        "service_groups": (grouped_choices(active_entries(session)) if may_correct(user) else None),
        "received_via": received_via_label(case.received_via),
        "duplicate_of": search.tracking_code_of(session, case.duplicate_of),
        "duplicates": search.duplicates_of(session, case.id),
        "assignees": assignee_labels(session, case.assignees),
        "actions": actions_for(session, case, user),
        "note_action": note_action(session, case),
        "attachments": console_attachments.views(session, case, user),
        "answers": console_answers.views(session, case.id, scrub),
        "timeline": timeline(events, actor_names(session, events), scrub),
        "failed": failed,
        "values": values or {},
        "problem": problem,
        # Who read the complainant's identity: for the Admin Pengaduan's eyes only.
        "identity_reads": identity_reads.reads_of(session, case.id)
        if identity_reads.may_list(user)
        else None,
    }
    return page(request, "kasus.html", context, status_code=422 if problem else 200)


@router.get("/{case_id}")
def case_page(
    case_id: CaseId, request: Request, user: ConsoleUser, session: SessionDep
) -> Response:
    return _case_page(request, session, search.get_case(session, case_id), user)


def _refused_input(
    request: Request,
    session: Session,
    case_id: str,
    user: StaffUser,
    action: str,
    form: Mapping[str, list[str]],
    exc: InvalidInput,
) -> Response:
    case = search.get_case(session, case_id)
    return _case_page(
        request, session, case, user, failed=action, values=_shown(form), problem=exc.message
    )


@router.post("/{case_id}/langkah/{step}")
def complete(
    case_id: CaseId,
    step: StepNumber,
    request: Request,
    user: ConsoleUser,
    session: SessionDep,
    form: FormFields,
) -> Response:
    sop_step = STEP_BY_NUMBER.get(step)
    names = sop_step.inputs if sop_step else ()
    try:
        with session.begin_nested():
            steps.complete_step(
                session,
                case_id=case_id,
                step_number=step,
                user=user,
                payload=_payload(names, form),
            )
    except InvalidInput as exc:
        return _refused_input(request, session, case_id, user, COMPLETE, form, exc)
    return redirect(f"/console?pesan=selesai-{step}")


@router.post("/{case_id}/langkah/{step}/jalur/{path}")
def take_path(
    case_id: CaseId,
    step: StepNumber,
    path: PathName,
    request: Request,
    user: ConsoleUser,
    session: SessionDep,
    form: FormFields,
) -> Response:
    sop_path = PATHS_BY_STEP.get(step, {}).get(path)
    names = sop_path.inputs if sop_path else ()
    try:
        with session.begin_nested():
            paths.take_path(
                session,
                case_id=case_id,
                step_number=step,
                name=path,
                user=user,
                payload=_payload(names, form),
            )
    except InvalidInput as exc:
        return _refused_input(request, session, case_id, user, path, form, exc)
    return redirect(f"/console?pesan=jalur-{path}")


@router.post("/{case_id}/ambil")
def claim(case_id: CaseId, user: ConsoleUser, session: SessionDep) -> Response:
    case = claims.claim(session, case_id, user)
    return redirect(f"{case_url(case.id)}?pesan=diambil")


@router.post("/{case_id}/lepas")
def release(case_id: CaseId, user: ConsoleUser, session: SessionDep) -> Response:
    case = claims.release(session, case_id, user)
    return redirect(f"{case_url(case.id)}?pesan=dilepas")


@router.post("/{case_id}/catatan")
def add_note(
    case_id: CaseId, request: Request, user: ConsoleUser, session: SessionDep, form: FormFields
) -> Response:
    try:
        with session.begin_nested():
            notes.add_note(
                session, case_id=case_id, user=user, payload=_payload(notes.NOTE_FIELDS, form)
            )
    except InvalidInput as exc:
        return _refused_input(request, session, case_id, user, NOTE, form, exc)
    return redirect(f"{case_url(case_id)}?pesan=catatan#riwayat")


SERVICE = "layanan"  # the correction form, as a refused action names it


@router.post("/{case_id}/layanan")
def correct(
    case_id: CaseId, request: Request, user: ConsoleUser, session: SessionDep, form: FormFields
) -> Response:
    """The Kasi's correction of the service the case is about (empty: none named)."""
    chosen = (form.get("service_code") or [""])[0].strip() or None
    try:
        with session.begin_nested():
            correct_service(session, case_id=case_id, user=user, service_code=chosen)
    except InvalidInput as exc:
        return _refused_input(request, session, case_id, user, SERVICE, form, exc)
    return redirect(f"{case_url(case_id)}?pesan=layanan-dikoreksi#layanan")
