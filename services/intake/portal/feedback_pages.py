"""The tracking page's forms after the answer: the rating (*puas / tidak puas*), the SKM
survey after it and the request to reopen (*dibuka kembali*). Opened by the access cookie and
sent with the CSRF token as every portal form; judged by the API's own models, refused with the
API's own Indonesian words."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.intake.api.dependencies import SessionDep
from services.intake.feedback import ratings, reopening, surveys
from services.intake.portal.filing_pages import FormDep
from services.intake.portal.forms import judge_rating, judge_reopen, judge_survey
from services.intake.portal.tracking_forms import send_from_form
from shared.skm import CODES

router = APIRouter(include_in_schema=False)


@router.post("/lacak/{kode}/penilaian", response_class=HTMLResponse)
def rate_from_form(request: Request, kode: str, form: FormDep, session: SessionDep) -> Response:
    return send_from_form(
        request,
        session,
        kode,
        judge_rating(form),
        lambda complaint, rating: ratings.rate(session, complaint, rating.score, rating.comment),
        values={"score": form.get("score"), "comment": form.get("comment")},
        refused="Penilaian tidak dapat dikirim",
        sent="penilaian",
    )


@router.post("/lacak/{kode}/survei", response_class=HTMLResponse)
def survey_from_form(request: Request, kode: str, form: FormDep, session: SessionDep) -> Response:
    return send_from_form(
        request,
        session,
        kode,
        judge_survey(form),
        lambda complaint, scores: surveys.answer_survey(session, complaint, scores.in_order()),
        values={code: form.get(code) for code in CODES},
        refused="Survei kepuasan tidak dapat dikirim",
        sent="survei",
    )


@router.post("/lacak/{kode}/dibuka-kembali", response_class=HTMLResponse)
def reopen_from_form(request: Request, kode: str, form: FormDep, session: SessionDep) -> Response:
    return send_from_form(
        request,
        session,
        kode,
        judge_reopen(form),
        lambda complaint, reopen: reopening.request_reopen(session, complaint, reopen.reason),
        values={"reason": form.get("reason")},
        refused="Permintaan dibuka kembali tidak dapat dikirim",
        sent="dibuka",
    )
