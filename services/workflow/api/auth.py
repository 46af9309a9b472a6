"""Staff routes for logging in: a username and password for a short-lived Bearer token (behind
the login limits), and who that token names."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm

from services.workflow.api.dependencies import CurrentUser
from services.workflow.api.schemas import StaffOut, TokenOut
from services.workflow.dependencies import SessionDep, SettingsDep
from services.workflow.staff.auth import issue_token
from services.workflow.staff.login import log_in
from shared.web.api_errors import error_responses

router = APIRouter(prefix="/api/v1", tags=["akun petugas"])


@router.post(
    "/auth/token",
    summary="Masuk dan terima token petugas",
    responses=error_responses(401, 422, 429),
)
def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
) -> TokenOut:
    """Tukarkan nama pengguna dan kata sandi petugas (formulir OAuth2 *password*) dengan token
    Bearer berumur pendek untuk semua rute petugas lainnya. Terlalu banyak percobaan yang gagal
    untuk satu akun atau dari satu alamat dikunci sementara (429 dengan `Retry-After`)."""
    client = request.client.host if request.client else "unknown"
    user = log_in(session, settings, username=form.username, password=form.password, client=client)
    token, ttl = issue_token(user, settings)
    return TokenOut(access_token=token, expires_in=ttl, role=user.role)


@router.get("/me", summary="Petugas yang sedang masuk", responses=error_responses(401))
def me(user: CurrentUser) -> StaffOut:
    """Nama pengguna, nama lengkap dan peran pemilik token. Akun yang dinonaktifkan langsung
    tidak dapat masuk lagi, juga dengan token yang belum berakhir."""
    return StaffOut(
        username=user.username, full_name=user.full_name, role=user.role, unit=user.unit
    )
