"""The tracking page's request for early erasure of the complainant's personal data (UU
27/2022): a confirmation page, then a form POST with the CSRF token as every portal form.
Opened by the access cookie; offered only once the complaint is closed, refused (409, with
the API's own words) before."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from services.intake.api.dependencies import SessionDep
from services.intake.portal.after_answer import erasure_context
from services.intake.portal.filing_pages import FormDep, render
from services.intake.portal.tracking_forms import send_from_form
from services.intake.portal.tracking_pages import see_other, to_tracking_form
from services.intake.privacy.requests import request_erasure
from services.intake.tracking import access as tracking_access
from services.intake.tracking.codes import CODE_PATTERN
from shared.web.forms import Judged

router = APIRouter(include_in_schema=False)


@router.get("/lacak/{kode}/hapus-data", response_class=HTMLResponse)
def confirm_erasure(request: Request, kode: str, session: SessionDep) -> Response:
    complaint = tracking_access.complaint_for(session, request, kode)
    if complaint is None:
        return to_tracking_form(kode if CODE_PATTERN.fullmatch(kode) else "")
    if not erasure_context(complaint)["may_erase"]:
        return see_other(f"/lacak/{complaint.tracking_code}")
    return render(request, "hapus_data.html", {"section": "lacak", "complaint": complaint})


@router.post("/lacak/{kode}/hapus-data", response_class=HTMLResponse)
def erase_from_form(request: Request, kode: str, form: FormDep, session: SessionDep) -> Response:
    del form  # read for its CSRF token only (checked before the route runs)
    return send_from_form(
        request,
        session,
        kode,
        Judged(NoFields(), {}),
        lambda complaint, _: request_erasure(session, complaint),
        values={},
        refused="Data pribadi belum dapat dihapus",
        sent="hapus",
    )


class NoFields(BaseModel):
    """The erasure form asks nothing but the confirmation its button gives."""
