"""How every form on the tracking page is sent (a rating, a survey, a reopening, an erasure): the
access cookie opens the complaint, the API's own model judges the fields, the action runs, and a
refusal shows the page again in the API's own words; a success goes back to the page saying so.
One function, so each form's route says only what is its own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from services.intake.models import Complaint
from services.intake.portal.tracking_pages import (
    REPLY_SENT,
    complaint_view,
    see_other,
    to_tracking_form,
)
from services.intake.tracking import access as tracking_access
from services.intake.tracking.codes import CODE_PATTERN
from shared.web.domain_errors import Conflict
from shared.web.forms import Judged

ModelT = TypeVar("ModelT", bound=BaseModel)


def send_from_form(
    request: Request,
    session: Session,
    kode: str,
    judged: Judged[ModelT],
    act: Callable[[Complaint, ModelT], object],
    *,
    values: dict[str, Any],
    refused: str,
    sent: str,
) -> Response:
    """``act`` on the complaint with the judged model; ``refused`` titles a refusal (409) and
    ``sent`` names the query parameter the page reads its thanks from."""
    complaint = tracking_access.complaint_for(session, request, kode)
    if complaint is None:
        return to_tracking_form(kode if CODE_PATTERN.fullmatch(kode) else "")
    if judged.model is None:
        return complaint_view(
            request, session, complaint, errors=judged.errors, values=values, status_code=422
        )
    try:
        act(complaint, judged.model)
    except Conflict as exc:
        return complaint_view(
            request, session, complaint, problem=exc.message, problem_title=refused, status_code=409
        )
    return see_other(f"/lacak/{complaint.tracking_code}?{urlencode({sent: REPLY_SENT})}")
