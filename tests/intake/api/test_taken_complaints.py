"""The Admin Pengaduan files a complaint taken by telephone, at the desk or by letter through
the citizens' route, with the staff token the workflow issued: only the Admin Pengaduan may say
``received_via`` (no token or another role 403, a bad or expired token 401), such filings are
not counted against the address's filing limit, and who took it travels on to the workflow."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import jwt
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from services.intake.api.app import create_app
from services.intake.database import get_db
from services.intake.models import Complaint
from services.workflow.models import StaffUser
from services.workflow.staff.auth import issue_token
from shared.database.engine import utcnow
from shared.runtime.settings import get_settings
from shared.sop import FIRST_STEP
from shared.web.staff_tokens import ALGORITHM
from tests.intake.conftest import complaint_body, row_counts, set_settings
from tests.support.outbox import queued_payloads


def staff_token(role: str, username: str = "sri") -> str:
    """A token as the workflow's login issues it (the same code, the same secret)."""
    user = StaffUser(id=7, username=username, role=role, full_name="Sri Wahyuni")
    return issue_token(user, get_settings())[0]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def taken(client: TestClient, token: str | None, **overrides: object) -> object:
    body = complaint_body(received_via="telepon", **overrides)
    return client.post(
        "/api/v1/complaints", json=body, headers=bearer(token) if token is not None else {}
    )


@pytest.fixture
def limited(configured: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    set_settings(monkeypatch, filing_limit="2/hour")
    with TestClient(create_app()) as client:
        yield client


def test_the_admin_files_a_telephone_complaint_and_who_took_it_is_kept(
    client: TestClient,
) -> None:
    response = client.post(
        "/api/v1/complaints",
        json=complaint_body(received_via="telepon"),
        headers=bearer(staff_token("admin")),
    )

    assert response.status_code == 202, response.text
    receipt = response.json()
    assert receipt["received_via"] == "telepon"
    assert receipt["taken_by"] == "sri"
    assert len(receipt["access_token"]) >= 43
    with get_db().sessions() as session:
        stored = session.scalars(select(Complaint)).one()
    assert (stored.received_via, stored.taken_by) == ("telepon", "sri")
    [filed] = queued_payloads(get_db(), FIRST_STEP.arrive_task)
    assert filed["received_via"] == "telepon"
    assert filed["taken_by"] == "sri"


def test_received_via_without_a_token_is_403_and_files_nothing(client: TestClient) -> None:
    before = row_counts()

    response = client.post("/api/v1/complaints", json=complaint_body(received_via="loket"))

    assert response.status_code == 403, response.text
    assert response.json()["code"] == "staff_token_required"
    assert "Admin Pengaduan" in response.json()["message"]
    assert row_counts() == before


@pytest.mark.parametrize("role", ["kasi", "koordinator", "tim_koordinasi"])
def test_another_roles_token_is_403(client: TestClient, role: str) -> None:
    before = row_counts()

    response = client.post(
        "/api/v1/complaints",
        json=complaint_body(received_via="surat"),
        headers=bearer(staff_token(role)),
    )

    assert response.status_code == 403, response.text
    assert response.json()["code"] == "not_complainant_desk"
    assert "Hanya Admin Pengaduan" in response.json()["message"]
    assert row_counts() == before


def test_an_expired_token_is_401(client: TestClient) -> None:
    past = utcnow() - timedelta(hours=2)
    claims = {"sub": "7", "username": "sri", "role": "admin", "iat": past, "exp": past}
    expired = jwt.encode(claims, get_settings().jwt_key(), algorithm=ALGORITHM)
    before = row_counts()

    response = client.post(
        "/api/v1/complaints", json=complaint_body(received_via="telepon"), headers=bearer(expired)
    )

    assert response.status_code == 401, response.text
    assert response.json()["message"] == "Sesi telah berakhir, silakan masuk kembali"
    assert row_counts() == before


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        # Signed with another secret: a token forged outside the office.
        jwt.encode(
            {"sub": "7", "username": "x", "role": "admin", "exp": 4102444800},
            "another-secret-of-at-least-32-bytes!",
            algorithm=ALGORITHM,
        ),
    ],
)
def test_a_bad_token_is_401(client: TestClient, token: str) -> None:
    response = client.post(
        "/api/v1/complaints", json=complaint_body(received_via="telepon"), headers=bearer(token)
    )

    assert response.status_code == 401, response.text
    assert response.json()["code"] == "invalid_token"
    assert "Token tidak valid" in response.json()["message"]


def test_an_unknown_way_in_is_422_in_indonesian(client: TestClient) -> None:
    response = client.post(
        "/api/v1/complaints",
        json=complaint_body(received_via="merpati"),
        headers=bearer(staff_token("admin")),
    )

    assert response.status_code == 422, response.text
    assert "cara penerimaan 'merpati' tidak dikenal" in response.text


def test_the_admins_filings_are_not_counted_against_the_address_limit(
    limited: TestClient,
) -> None:
    token = staff_token("admin")
    for _ in range(4):  # twice the limit of 2 an hour
        response = limited.post(
            "/api/v1/complaints",
            json=complaint_body(received_via="loket"),
            headers=bearer(token),
        )
        assert response.status_code == 202, response.text

    # The citizens at the same address still have their own two.
    assert limited.post("/api/v1/complaints", json=complaint_body()).status_code == 202
    assert limited.post("/api/v1/complaints", json=complaint_body()).status_code == 202
    assert limited.post("/api/v1/complaints", json=complaint_body()).status_code == 429


def test_another_roles_filings_are_counted(limited: TestClient) -> None:
    token = staff_token("kasi")
    for _ in range(2):
        response = limited.post("/api/v1/complaints", json=complaint_body(), headers=bearer(token))
        assert response.status_code == 202, response.text
    assert (
        limited.post("/api/v1/complaints", json=complaint_body(), headers=bearer(token)).status_code
        == 429
    )


def test_a_walk_in_without_email_or_phone_is_told_by_the_app_channel_only(
    client: TestClient,
) -> None:
    response = client.post(
        "/api/v1/complaints",
        json=complaint_body(
            reporter={"email": None, "phone": None}, channels=["app"], received_via="loket"
        ),
        headers=bearer(staff_token("admin")),
    )

    assert response.status_code == 202, response.text
    assert response.json()["received_via"] == "loket"


def test_another_authorization_scheme_is_401(client: TestClient) -> None:
    response = client.post(
        "/api/v1/complaints",
        json=complaint_body(received_via="telepon"),
        headers={"Authorization": "Basic YWRtaW46ZGVtbzEyMzQ1"},
    )

    assert response.status_code == 401, response.text
    assert response.json()["code"] == "invalid_token"
