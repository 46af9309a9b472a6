"""The tracking page's forms after the answer: the rating (*puas / tidak puas*), the SKM
survey after it and the request to reopen (*dibuka kembali*). Opened by the access cookie and
sent with the CSRF token as every portal form; judged by the API's own models, refused with the
API's own Indonesian words."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.intake.api.dependencies import SessionDep
from services.intake.feedback import ratings, reopening, surveys
from services.intake.portal.filing_pages import FormDep
from services.intake.portal.forms import judge_rating, judge_reopen, judge_survey
from services.intake.portal.tracking_pages import (
    REPLY_SENT,
    complaint_view,
    see_other,
    to_tracking_form,
)
from services.intake.tracking import access as tracking_access
from services.intake.tracking.codes import CODE_PATTERN
from shared.skm import CODES
from shared.web.api_errors import Conflict

router = APIRouter(include_in_schema=False)


@router.post("/lacak/{kode}/penilaian", response_class=HTMLResponse)
def rate_from_form(request: Request, kode: str, form: FormDep, session: SessionDep) -> Response:
    complaint = tracking_access.complaint_for(session, request, kode)
    if complaint is None:
        return to_tracking_form(kode if CODE_PATTERN.fullmatch(kode) else "")
    judged = judge_rating(form)
    values = {"score": form.get("score"), "comment": form.get("comment")}
    if judged.model is None:
        return complaint_view(
            request, session, complaint, errors=judged.errors, values=values, status_code=422
        )
    try:
        ratings.rate(session, complaint, judged.model.score, judged.model.comment)
    except Conflict as exc:
        return complaint_view(
            request,
            session,
            complaint,
            problem=exc.message,
            problem_title="Penilaian tidak dapat dikirim",
            status_code=409,
        )
    return see_other(f"/lacak/{complaint.tracking_code}?{urlencode({'penilaian': REPLY_SENT})}")


@router.post("/lacak/{kode}/survei", response_class=HTMLResponse)
def survey_from_form(request: Request, kode: str, form: FormDep, session: SessionDep) -> Response:
    complaint = tracking_access.complaint_for(session, request, kode)
    if complaint is None:
        return to_tracking_form(kode if CODE_PATTERN.fullmatch(kode) else "")
    judged = judge_survey(form)
    if judged.model is None:
        values = {code: form.get(code) for code in CODES}
        return complaint_view(
            request, session, complaint, errors=judged.errors, values=values, status_code=422
        )
    try:
        surveys.answer_survey(session, complaint, judged.model.in_order())
    except Conflict as exc:
        return complaint_view(
            request,
            session,
            complaint,
            problem=exc.message,
            problem_title="Survei kepuasan tidak dapat dikirim",
            status_code=409,
        )
    return see_other(f"/lacak/{complaint.tracking_code}?{urlencode({'survei': REPLY_SENT})}")


@router.post("/lacak/{kode}/dibuka-kembali", response_class=HTMLResponse)
def reopen_from_form(request: Request, kode: str, form: FormDep, session: SessionDep) -> Response:
    complaint = tracking_access.complaint_for(session, request, kode)
    if complaint is None:
        return to_tracking_form(kode if CODE_PATTERN.fullmatch(kode) else "")
    judged = judge_reopen(form)
    if judged.model is None:
        return complaint_view(
            request,
            session,
            complaint,
            errors=judged.errors,
            values={"reason": form.get("reason")},
            status_code=422,
        )
    try:
        reopening.request_reopen(session, complaint, judged.model.reason)
    except Conflict as exc:
        return complaint_view(
            request,
            session,
            complaint,
            problem=exc.message,
            problem_title="Permintaan dibuka kembali tidak dapat dikirim",
            status_code=409,
        )
    return see_other(f"/lacak/{complaint.tracking_code}?{urlencode({'dibuka': REPLY_SENT})}")
