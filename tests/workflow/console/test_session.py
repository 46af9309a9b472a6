"""Logging in to the staff console and out of it: the same password check and lockout as the
API's token endpoint, a Secure HttpOnly SameSite=Strict session cookie, and every console page
closed to anyone without a valid session."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import jwt
import pytest
from fastapi.testclient import TestClient

from services.workflow.database import get_db
from services.workflow.models import Case, StaffUser
from shared.database.engine import utcnow
from shared.runtime.settings import get_settings
from shared.sop import Role
from tests.support.state import reset_process_state
from tests.workflow.console_client import SESSION_COOKIE, log_in, open_console, post_form


@pytest.fixture
def console(configured: dict[str, str]) -> Iterator[TestClient]:
    with open_console() as client:
        yield client


def test_logging_in_sets_a_secure_http_only_strict_session_cookie(
    console: TestClient, staff: dict[Role, StaffUser]
) -> None:
    response = log_in(console, Role.KASI)
    assert response.status_code == 303
    assert response.headers["location"] == "/console"
    cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith(f"{SESSION_COOKIE}=")
    )
    attributes = [part.strip().lower() for part in cookie.split(";")]
    assert "httponly" in attributes
    assert "secure" in attributes
    assert "samesite=strict" in attributes
    ttl = get_settings().auth.jwt_ttl_minutes * 60
    assert f"max-age={ttl}" in attributes
    page = console.get("/console")
    assert page.status_code == 200
    assert "petugas_kasi" in page.text
    assert "Kepala Seksi (Kasi)" in page.text


def test_a_wrong_password_is_401_names_no_field_and_sets_no_session(
    console: TestClient, staff: dict[Role, StaffUser]
) -> None:
    response = log_in(console, Role.ADMIN, password="bukan-ini")
    assert response.status_code == 401
    assert "Nama pengguna atau kata sandi salah" in response.text
    assert SESSION_COOKIE not in console.cookies
    unknown = post_form(console, "/console/masuk", {"username": "siapa", "password": "x"})
    assert unknown.status_code == 401
    assert unknown.text.count("Nama pengguna atau kata sandi salah") == 1
    assert console.get("/console").status_code == 303


@pytest.fixture
def strict_limits(configured: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PENGADUAN_LOGIN_MAX_FAILURES_PER_USERNAME", "2")
    monkeypatch.setenv("PENGADUAN_LOGIN_LOCKOUT_SECONDS", "600")
    reset_process_state()


def test_repeated_wrong_passwords_lock_the_console_login_as_the_apis(
    strict_limits: None, staff: dict[Role, StaffUser]
) -> None:
    with open_console() as console:
        assert log_in(console, Role.ADMIN, password="salah").status_code == 401
        locked = log_in(console, Role.ADMIN, password="salah")
        assert locked.status_code == 429
        assert "coba lagi dalam 10 menit" in locked.text
        assert int(locked.headers["Retry-After"]) > 0
        # The right password does not open a locked account, here or through the API.
        assert log_in(console, Role.ADMIN).status_code == 429
        api = console.post(
            "/api/v1/auth/token", data={"username": "petugas_admin", "password": "x"}
        )
        assert api.status_code == 429
        assert SESSION_COOKIE not in console.cookies


@pytest.mark.parametrize(
    "url",
    [
        "/console",
        "/console/cari",
        "/console/laporan",
        "/console/laporan.csv",
        "/console/notifikasi",
        "/console/kasus/00000000-0000-0000-0000-000000000000",
    ],
)
def test_a_page_without_a_session_sends_to_the_login_page(console: TestClient, url: str) -> None:
    response = console.get(url)
    assert response.status_code == 303
    assert response.headers["location"] == "/console/masuk"


def test_an_action_without_a_session_changes_nothing(
    console: TestClient, staff: dict[Role, StaffUser], case_at_step_1: Case
) -> None:
    response = post_form(console, f"/console/kasus/{case_at_step_1.id}/langkah/1", {"note": "x"})
    assert response.status_code == 303
    assert response.headers["location"] == "/console/masuk"
    with get_db().sessions() as session:
        assert session.get_one(Case, case_at_step_1.id).current_step == 1


def test_logging_out_ends_the_session(console: TestClient, staff: dict[Role, StaffUser]) -> None:
    log_in(console, Role.ADMIN)
    response = post_form(console, "/console/keluar")
    assert response.status_code == 303
    assert response.headers["location"] == "/console/masuk?pesan=keluar"
    assert SESSION_COOKIE not in console.cookies
    assert console.get("/console").status_code == 303
    assert "Anda sudah keluar" in console.get("/console/masuk?pesan=keluar").text


def test_a_deactivated_account_is_logged_out_at_once(
    console: TestClient, staff: dict[Role, StaffUser]
) -> None:
    log_in(console, Role.ADMIN)
    assert console.get("/console").status_code == 200
    with get_db().transaction() as session:
        session.get_one(StaffUser, staff[Role.ADMIN].id).active = False
    response = console.get("/console")
    assert response.status_code == 303
    assert response.headers["location"] == "/console/masuk"
    assert SESSION_COOKIE not in console.cookies


def test_an_expired_session_is_logged_out(
    console: TestClient, staff: dict[Role, StaffUser]
) -> None:
    expired = jwt.encode(
        {"sub": str(staff[Role.ADMIN].id), "exp": utcnow() - timedelta(minutes=1)},
        get_settings().jwt_key(),
        algorithm="HS256",
    )
    console.cookies.set(SESSION_COOKIE, expired, domain="testserver", path="/console")
    response = console.get("/console")
    assert response.status_code == 303
    assert response.headers["location"] == "/console/masuk"


def test_a_login_post_without_its_csrf_token_is_refused(
    console: TestClient, staff: dict[Role, StaffUser]
) -> None:
    console.get("/console/masuk")
    response = console.post(
        "/console/masuk", data={"username": "petugas_admin", "password": "rahasia-kantor-123"}
    )
    assert response.status_code == 403
    assert SESSION_COOKIE not in console.cookies
