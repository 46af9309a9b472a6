"""The Admin Pengaduan's "Catat pengaduan": a complaint received by telephone, at the desk or by
letter, typed into the form the portal's complainants use (the same model, the same limits and
words), handed to intake through the outbox (``cases.taking``), and its receipt (*tanda
terima*), printed on A5 for the complainant. Only the complainant desk's role may use it."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.workflow.cases import identity, identity_reads
from services.workflow.cases.identity_reads import ReadVia
from services.workflow.cases.taking import Taken, ensure_may_take, take_complaint, taken
from services.workflow.catalogue.entries import (
    UnknownService,
    active_entries,
    ensure_active,
    service_name,
)
from services.workflow.console.pages import page
from services.workflow.console.session import ConsoleUser
from services.workflow.dependencies import SessionDep
from services.workflow.errors import CaseNotFound
from services.workflow.models import Case, StaffUser
from shared.messaging.contracts import Identity, ReceivedVia
from shared.messaging.contracts.filing import (
    CHANNEL_FORM_CHOICES,
    COMPLAINT_LABELS,
    IDENTITY_FORM_CHOICES,
    ComplaintIn,
    ReporterIn,
    complaint_data,
    complaint_field,
)
from shared.runtime.settings import get_settings
from shared.sop import ROLE_LABELS, complainant_desk
from shared.web.form_limits import text_limits
from shared.web.forms import FormFields, form_fields, judge
from shared.web.service_choices import grouped_choices
from shared.wording import privacy
from shared.wording.received_via import RECEIVED_VIA_LABELS

router = APIRouter(prefix="/console/catat", include_in_schema=False)
TakingId = Annotated[str, Path(max_length=64)]
Form = Annotated[FormFields, Depends(form_fields)]

LABELS = {**COMPLAINT_LABELS, "received_via": "Diterima melalui", "consent": "Persetujuan pelapor"}
CHOOSE_WAY = "Diterima melalui: pilih telepon, loket atau surat"
LIMITS = {**text_limits(ReporterIn), **text_limits(ComplaintIn)}


@router.get("")
def taking_form(request: Request, user: ConsoleUser, session: SessionDep) -> Response:
    ensure_may_take(user)
    fresh = {"taking_id": str(uuid.uuid4()), "identity": Identity.SHOWN.value, "channels": []}
    return _form(request, session, fresh, {})


@router.post("")
def take(request: Request, user: ConsoleUser, session: SessionDep, form: Form) -> Response:
    ensure_may_take(user)
    values: dict[str, Any] = {name: form.get(name) for name in LABELS}
    values["channels"] = form.getlist("channels")
    values["identity"] = form.get("identity") or Identity.SHOWN.value
    values["taking_id"] = _taking_id(form.get("taking_id"))
    values["consent"] = form.getlist("consent")
    # The Admin ticks that the complainant was told the privacy notice and consented.
    consent = form.get("consent") == privacy.CONSENT_VALUE
    data = {**complaint_data(form.get, form.getlist), "consent": consent}
    judged = judge(ComplaintIn, data, LABELS, complaint_field, form)
    errors = dict(judged.errors)
    if judged.model is not None and judged.model.service_code is not None:
        try:
            ensure_active(session, judged.model.service_code)
        except UnknownService as exc:
            errors["service_code"] = f"{LABELS['service_code']}: {exc.message}"
    way = form.get("received_via")
    if way not in RECEIVED_VIA_LABELS:
        errors["received_via"] = CHOOSE_WAY
    if judged.model is None or errors:
        ordered = {name: errors[name] for name in LABELS if name in errors}
        return _form(request, session, values, ordered, status_code=422)
    done = take_complaint(
        session,
        taking_id=uuid.UUID(values["taking_id"]),
        data=judged.model,
        received_via=ReceivedVia(way),
        user=user,
    )
    return _receipt(request, session, done)


@router.get("/{taking_id}/tanda-terima")
def receipt_again(
    taking_id: TakingId, request: Request, user: ConsoleUser, session: SessionDep
) -> Response:
    """The receipt again, for printing another copy: without the access token, which was shown
    once when the complaint was taken."""
    ensure_may_take(user)
    record = taken(session, taking_id)
    if record is None:
        raise CaseNotFound("Tanda terima ini tidak ditemukan")
    # The receipt names the complainant: a read of their identity, once the case exists.
    case = session.scalar(select(Case).where(Case.tracking_code == record.tracking_code))
    identity_reads.record_reads(session, [case], user, ReadVia.CONSOLE_RECEIPT)
    return _receipt(request, session, Taken(record, None))


def _taking_id(typed: str) -> str:
    """The form's own id, or a fresh one for a form that lost it."""
    try:
        return str(uuid.UUID(typed))
    except ValueError:
        return str(uuid.uuid4())


def _form(
    request: Request,
    session: Session,
    values: dict[str, Any],
    errors: dict[str, str],
    *,
    status_code: int = 200,
) -> Response:
    return page(
        request,
        "catat.html",
        {
            "values": values,
            "errors": errors,
            "limits": LIMITS,
            "channel_choices": CHANNEL_FORM_CHOICES,
            "identity_choices": IDENTITY_FORM_CHOICES,
            "ways": RECEIVED_VIA_LABELS,
            "privacy_notice": privacy.notice(get_settings().privacy.retention_days),
            "consent_choices": ((privacy.CONSENT_VALUE, privacy.DESK_CONSENT_LABEL),),
            "service_groups": grouped_choices(active_entries(session)),
        },
        status_code=status_code,
    )


def _receipt(request: Request, session: Session, done: Taken) -> Response:
    record = done.record
    taker = session.scalar(select(StaffUser).where(StaffUser.username == record.taken_by))
    web = get_settings().web
    return page(
        request,
        "tanda_terima.html",
        {
            "record": record,
            "access_token": done.access_token,
            "anonymous_name": identity.ANONYMOUS_NAME,
            "identity_label": identity.receipt_label(record.identity),
            "way": RECEIVED_VIA_LABELS.get(record.received_via, record.received_via),
            "service_name": service_name(session, record.service_code),
            "taker": (taker.full_name or taker.username) if taker else record.taken_by,
            "desk": ROLE_LABELS[complainant_desk()],
            "tracking_page": f"{web.public_intake_url.rstrip('/')}/lacak",
            "tracking_url": web.tracking_url(record.tracking_code),
        },
    )
