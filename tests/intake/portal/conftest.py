"""The citizens' portal in-process, as a browser holding the CSRF cookie, and what its tests
share: the form's fields, filing through it, opening the tracking page, the office's status."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from services.intake.api.app import create_app
from services.intake.database import get_db
from services.intake.filing.complaints import apply_status_change
from shared.messaging.consumer import consume_once
from shared.messaging.contracts import INTAKE_STATUS_TASK, CaseStatusChangedV1
from shared.web.pages import CONTENT_SECURITY_POLICY, CSRF_COOKIE

LABELS = {
    "name": "Nama lengkap",
    "email": "Email",
    "phone": "Nomor HP",
    "channels": "Email",
    "channels-sms": "SMS",
    "channels-app": "Aplikasi (kotak masuk di halaman lacak laporan)",
    "subject": "Pokok pengaduan",
    "description": "Uraian pengaduan",
    "licence_reference": "Nomor izin atau permohonan (NIB / nomor permohonan)",
}
REQUEST_NOTE = "Mohon kirim nomor permohonan izin Anda."


@pytest.fixture
def portal(configured: dict[str, str]) -> Iterator[TestClient]:
    # HTTPS, as in production: the CSRF and access cookies are Secure.
    with TestClient(create_app(), base_url="https://testserver") as client:
        client.get("/")  # the browser now holds the CSRF cookie
        yield client


def form(portal: TestClient, **fields: Any) -> dict[str, Any]:
    return {"csrftoken": portal.cookies[CSRF_COOKIE], **fields}


def complaint_form(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "Budi Santoso",
        "email": "budi@example.id",
        "phone": "0812-3456-7890",
        "channels": ["email", "app"],
        "subject": "Izin usaha belum terbit",
        "description": "Permohonan izin usaha kami sudah tiga minggu belum ada kabar.",
        "licence_reference": "503/0123/IUMK/2026",
        "consent": "ya",  # the privacy notice agreed to
        **overrides,
    }


def file_through_form(portal: TestClient, **overrides: Any) -> tuple[str, str]:
    response = portal.post("/", data=form(portal, **complaint_form(**overrides)))
    assert response.status_code == 200, response.text
    return by_id(response.text, "kode-pelacakan"), by_id(response.text, "token-akses")


def by_id(page: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>([^<]*)<', page)
    assert found, f"no #{element_id} in the page"
    return found.group(1).strip()


def open_tracking(portal: TestClient, code: str, token: str) -> Response:
    return portal.post("/lacak", data=form(portal, kode=code, token=token), follow_redirects=False)


@pytest.fixture
def tracked(portal: TestClient) -> tuple[str, str]:
    """A complaint filed through the form, and this browser holding its access cookie."""
    code, token = file_through_form(portal)
    assert open_tracking(portal, code, token).status_code == 303
    return code, token


def set_status(code: str, status: str, note: str | None = None, sequence: int = 5) -> None:
    msg = CaseStatusChangedV1(tracking_code=code, status=status, sequence=sequence, note=note)
    consume_once(get_db(), INTAKE_STATUS_TASK, msg, apply_status_change)


def assert_clean_page(response: Response) -> None:
    """The policy header, and nothing inline that the policy would block."""
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "<script>" not in response.text
    assert "style=" not in response.text
    assert response.text.count("<h1") == 1
    assert '<html lang="id">' in response.text
