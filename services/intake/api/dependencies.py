"""What the citizens' routes declare once and take by signature: the request's transaction, the
access token header, and the complaint that token opens."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header
from sqlalchemy.orm import Session

from services.intake.api.client_limits import TrackingLimit
from services.intake.database import get_db
from services.intake.filing import complaints
from services.intake.models import Complaint
from shared.process.service_wiring import request_session
from shared.web.domain_errors import Unauthorized

MISSING_HEADER_MESSAGE = (
    "Token akses wajib disertakan pada header X-Access-Token untuk melihat laporan pengaduan"
)

_session = request_session(get_db)

# scope="function": the transaction commits before the response is sent, so a 2xx means the
# change (and its outbox messages) is on record.
SessionDep = Annotated[Session, Depends(_session, scope="function")]
AccessToken = Annotated[
    str | None,
    Header(alias="X-Access-Token", description="Token akses yang diterima saat pengaduan"),
]
# The answers carry the access token or what it guards: no cache may keep them.
NO_STORE = {"Cache-Control": "no-store"}


def citizen_complaint(
    tracking_code: str,
    session: SessionDep,
    _: TrackingLimit,
    x_access_token: AccessToken = None,
) -> Complaint:
    """The complaint of the path, for the holder of its access token only: a missing token is
    401, an unknown code and a wrong token the same 404; every lookup counts against the
    client's tracking limit."""
    if not x_access_token:
        raise Unauthorized(MISSING_HEADER_MESSAGE)
    return complaints.find_for_citizen(session, tracking_code, x_access_token)


CitizenComplaint = Annotated[Complaint, Depends(citizen_complaint)]
