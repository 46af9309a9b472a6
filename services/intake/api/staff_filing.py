"""The Admin Pengaduan filing a complaint taken by telephone, at the desk or by letter through
the citizens' route: the staff Bearer token the workflow issued (``shared.web.staff_tokens``),
and the per-address filing limit, which counts citizens, not the office's own desk."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request

from services.intake.api.client_limits import count
from services.intake.filing.complaints import TakenBy
from shared.messaging.contracts.filing import ComplaintIn
from shared.runtime.settings import get_settings
from shared.sop import ROLE_LABELS, complainant_desk
from shared.web.domain_errors import Forbidden, Unauthorized
from shared.web.staff_tokens import (
    INVALID_MESSAGE,
    StaffClaims,
    StaffTokenRejected,
    staff_claims,
)

STAFF_ONLY_MESSAGE = (
    "Isian received_via (telepon, loket, surat) hanya untuk laporan pengaduan yang dicatat "
    "petugas: sertakan token petugas {desk} pada header Authorization (Bearer)"
)
WRONG_ROLE_MESSAGE = (
    "Hanya {desk} yang dapat mencatat laporan pengaduan yang diterima melalui telepon, loket "
    "atau surat"
)

# A plain optional header rather than a security scheme: OpenAPI would call a scheme required
# for the route, and citizens file without one.
Authorization = Annotated[
    str | None,
    Header(
        alias="Authorization",
        description="Opsional: `Bearer <token petugas>` (POST /api/v1/auth/token pada layanan "
        "petugas), hanya untuk Admin Pengaduan yang mencatat laporan pengaduan dengan "
        "received_via",
    ),
]


class StaffTokenRequired(Forbidden):
    code = "staff_token_required"


class NotComplainantDesk(Forbidden):
    code = "not_complainant_desk"


class InvalidStaffToken(Unauthorized):
    code = "invalid_token"


@dataclass(frozen=True)
class Filer:
    """Who files: a citizen (no token), or the staff member a valid token names; ``refused`` is
    why a token given was not accepted (said only when the filing needs it)."""

    staff: StaffClaims | None = None
    refused: str | None = None

    @property
    def is_desk(self) -> bool:
        return self.staff is not None and self.staff.role == complainant_desk().value


def filer(request: Request, authorization: Authorization = None) -> Filer:
    """The filer, counted against the client's filing limit unless it is the complaint desk."""
    found = _read(authorization)
    if not found.is_desk:
        count("filing", request)
    return found


def taken_by(body: ComplaintIn, found: Filer) -> TakenBy | None:
    """How the complaint came in and who took it, when ``received_via`` is given: only for the
    Admin Pengaduan (no token 403, a refused token 401, another role 403)."""
    if body.received_via is None:
        return None
    desk = ROLE_LABELS[complainant_desk()]
    if found.refused is not None:
        raise InvalidStaffToken(found.refused)
    if found.staff is None:
        raise StaffTokenRequired(STAFF_ONLY_MESSAGE.format(desk=desk))
    if not found.is_desk:
        raise NotComplainantDesk(WRONG_ROLE_MESSAGE.format(desk=desk))
    return TakenBy(username=found.staff.username, received_via=body.received_via)


def _read(authorization: str | None) -> Filer:
    if authorization is None:
        return Filer()
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return Filer(refused=INVALID_MESSAGE)
    try:
        return Filer(staff=staff_claims(token.strip(), get_settings()))
    except StaffTokenRejected as exc:
        return Filer(refused=exc.message)


FilerDep = Annotated[Filer, Depends(filer)]
