"""The citizens' portal, filing: the complaint form at ``/`` (with its attachments, multipart)
and the page that hands over the tracking code and the access token (once). Server-rendered,
usable without JavaScript; filing goes through ``idempotency.file_once``, exactly as the JSON API
does."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from services.intake.api import client_limits
from services.intake.api.client_limits import Kind, RateLimited
from services.intake.api.dependencies import NO_STORE, SessionDep
from services.intake.catalogue import copy as catalogue
from services.intake.filing import attachments, complaints, idempotency
from services.intake.filing.schemas import status_label
from services.intake.models import Complaint
from services.intake.portal.forms import (
    FORM_LIMITS,
    FormFields,
    complaint_values,
    form_fields,
    judge_complaint,
)
from services.intake.portal.uploads import ACCEPT, attachment_hint, choose_again, judge_files
from shared.messaging.contracts import Channel, FiledVia, Identity
from shared.messaging.contracts.filing import (
    CHANNEL_FORM_CHOICES,
    COMPLAINT_LABELS,
    IDENTITY_FORM_CHOICES,
)
from shared.runtime.settings import get_settings
from shared.web.pages import csrf_token, page_templates
from shared.web.service_choices import grouped_choices
from shared.wording import privacy
from shared.wording.file_sizes import size_words
from shared.wording.time_words import time_words

FormDep = Annotated[FormFields, Depends(form_fields)]
FILING_KEY_FIELD = "filing_key"
router = APIRouter(include_in_schema=False)


TEMPLATES = page_templates(Path(__file__).parent / "templates")
TEMPLATES.env.filters["waktu"] = time_words
TEMPLATES.env.globals["limits"] = FORM_LIMITS
TEMPLATES.env.filters["ukuran"] = size_words  # 1,2 MB
TEMPLATES.env.globals["attachment_hint"] = attachment_hint  # read when drawn: settings change
TEMPLATES.env.globals["attachment_types"] = ACCEPT
TEMPLATES.env.filters["ribuan"] = lambda number: f"{number:,}".replace(",", ".")  # 5.000


def render(
    request: Request, name: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    """A portal page. None is cached: each carries a form token, and some what the access token
    guards (or the token itself)."""
    return TEMPLATES.TemplateResponse(
        request,
        name,
        {"csrf": csrf_token(request.scope), "errors": {}, "values": {}, **context},
        status_code=status_code,
        headers=NO_STORE,
    )


def _form_page(
    request: Request,
    session: Session,
    values: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "complaint_form.html",
        {
            "section": "ajukan",
            "values": values,
            "errors": errors,
            "channel_choices": CHANNEL_FORM_CHOICES,
            "identity_choices": IDENTITY_FORM_CHOICES,
            "privacy_notice": privacy.notice(get_settings().privacy.retention_days),
            "consent_choices": ((privacy.CONSENT_VALUE, privacy.CONSENT_LABEL),),
            "service_groups": grouped_choices(catalogue.active_entries(session)),
        },
        status_code=status_code,
    )


@router.get("/", response_class=HTMLResponse)
def complaint_form(request: Request, session: SessionDep) -> HTMLResponse:
    # The portal is itself the app channel's inbox: offered ticked. A new key for each form.
    fresh = {
        "identity": Identity.SHOWN.value,
        "channels": [Channel.APP.value],
        FILING_KEY_FIELD: _new_key(),
    }
    return _form_page(request, session, fresh, {})


def _new_key() -> str:
    return uuid.uuid4().hex


def limited_page(request: Request, kind: Kind, back: str) -> HTMLResponse | None:
    """The page saying "wait", when this request is one too many from its client; else None."""
    try:
        client_limits.count(kind, request)
    except RateLimited as exc:
        context = {"section": "ajukan" if kind == "filing" else "lacak", "problem": exc.message}
        page = render(request, "limited.html", {**context, "back": back}, status_code=429)
        page.headers.update(exc.headers or {})
        return page
    return None


@router.post("/", response_class=HTMLResponse)
def file_from_form(request: Request, form: FormDep, session: SessionDep) -> HTMLResponse:
    if (limited := limited_page(request, "filing", "/")) is not None:
        return limited
    judged = judge_complaint(form)
    files, file_errors = judge_files(form)
    unnamed = catalogue.refusal(session, judged.model.service_code) if judged.model else None
    if unnamed is not None:
        file_errors = {
            **file_errors,
            "service_code": f"{COMPLAINT_LABELS['service_code']}: {unnamed}",
        }
    if judged.model is None or file_errors:
        values = {**complaint_values(form), FILING_KEY_FIELD: _filing_key(form) or _new_key()}
        errors = choose_again(form, {**judged.errors, **file_errors})
        return _form_page(request, session, values, errors, status_code=422)

    def attach_files(complaint: Complaint) -> None:
        attachments.attach_all(session, complaint, files)

    try:
        filed = idempotency.file_once(
            session, judged.model, _filing_key(form), then=attach_files, via=FiledVia.WEB
        )
    except idempotency.KeyReused:
        # Back in the browser, changed, sent again: a different complaint, filed as one.
        filed = idempotency.file_once(
            session, judged.model, None, then=attach_files, via=FiledVia.WEB
        )
    except idempotency.KeyInUse as exc:  # a double click: the first is still being filed
        return render(
            request,
            "limited.html",
            {"section": "ajukan", "problem": exc.message, "back": "/"},
            status_code=409,
        )
    return render(
        request,
        "filed.html",
        {
            "section": "ajukan",
            "tracking_code": filed.tracking_code,
            "access_token": filed.access_token,
            "access_warning": filed.access_warning,
            "status_label": status_label(complaints.status_now(session, filed.tracking_code)),
            "service_name": catalogue.service_name(session, judged.model.service_code),
        },
    )


def _filing_key(form: Any) -> str | None:
    """The form's one-time key (a hidden field): the same form sent twice, by a reload or a
    second tap, files once and shows the same receipt again."""
    key = form.get(FILING_KEY_FIELD)
    return key if isinstance(key, str) and idempotency.is_valid_key(key) else None
