"""The staff API over HTTP (in-process ASGI), against a real database."""

from __future__ import annotations

from datetime import timedelta

import jwt
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from services.workflow.cases.steps import arrive
from services.workflow.database import get_db
from services.workflow.models import Case, CaseEvent, StaffUser
from shared.database.engine import utcnow
from shared.messaging.contracts import StepHandoffV1
from shared.sop import Role
from tests.workflow.conftest import login


def _event_count() -> int:
    with get_db().sessions() as session:
        return session.scalar(select(func.count()).select_from(CaseEvent)) or 0


def test_login_with_a_wrong_password_is_401(client: TestClient, staff: dict) -> None:
    response = client.post(
        "/api/v1/auth/token", data={"username": "petugas_admin", "password": "salah"}
    )
    assert response.status_code == 401
    assert response.json()["message"] == "Nama pengguna atau kata sandi salah"


def test_worklist_needs_a_token(client: TestClient) -> None:
    assert client.get("/api/v1/worklist").status_code == 401
    bad = client.get("/api/v1/worklist", headers={"Authorization": "Bearer not-a-jwt"})
    assert bad.status_code == 401


def test_a_forged_token_is_refused(client: TestClient, staff: dict) -> None:
    forged = jwt.encode(
        {"sub": str(staff[Role.ADMIN].id), "exp": utcnow() + timedelta(hours=1)},
        "a-guessed-secret-that-is-long-enough-for-hs256",
        algorithm="HS256",
    )
    response = client.get("/api/v1/worklist", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401


def test_a_deactivated_users_token_stops_working(client: TestClient, staff: dict) -> None:
    headers = login(client, Role.ADMIN)
    assert client.get("/api/v1/worklist", headers=headers).status_code == 200
    with get_db().transaction() as session:
        session.get(StaffUser, staff[Role.ADMIN].id).active = False  # type: ignore[union-attr]
    assert client.get("/api/v1/worklist", headers=headers).status_code == 401


def test_admin_sees_the_new_case_and_kasi_does_not(
    client: TestClient, staff: dict, case_at_step_1: Case
) -> None:
    admin = client.get("/api/v1/worklist", headers=login(client, Role.ADMIN)).json()
    assert [(i["case_id"], i["tracking_code"], i["step"]) for i in admin] == [
        (case_at_step_1.id, "PGD-TEST-0001", 1)
    ]
    assert admin[0]["due_at"] and admin[0]["overdue"] is False
    assert client.get("/api/v1/worklist", headers=login(client, Role.KASI)).json() == []


def test_wrong_role_is_403_and_changes_nothing(
    client: TestClient, staff: dict, case_at_step_1: Case
) -> None:
    before = _event_count()
    response = client.post(
        f"/api/v1/cases/{case_at_step_1.id}/steps/1", json={}, headers=login(client, Role.KASI)
    )
    assert response.status_code == 403
    assert response.json()["code"] == "wrong_role"
    assert "Admin Pengaduan" in response.json()["message"]
    assert _event_count() == before


def test_out_of_order_is_409_and_missing_input_is_422(
    client: TestClient, staff: dict, case_at_step_1: Case
) -> None:
    kasi = login(client, Role.KASI)
    url = f"/api/v1/cases/{case_at_step_1.id}/steps/2"
    assert client.post(url, json={"verification": "ok"}, headers=kasi).status_code == 409
    done = client.post(
        f"/api/v1/cases/{case_at_step_1.id}/steps/1", json={}, headers=login(client, Role.ADMIN)
    )
    assert done.status_code == 202
    assert done.json()["next_role"] == "kasi"
    with get_db().transaction() as session:
        arrive(session, StepHandoffV1(case_id=case_at_step_1.id, step=2))
    before = _event_count()
    missing = client.post(url, json={}, headers=kasi)
    assert missing.status_code == 422
    assert missing.json()["code"] == "missing_input"
    assert "verification" in missing.json()["message"]
    assert client.post(url, json=["not", "an", "object"], headers=kasi).status_code == 422
    assert _event_count() == before


def test_second_completion_of_a_step_is_409(
    client: TestClient, staff: dict, case_at_step_1: Case
) -> None:
    admin = login(client, Role.ADMIN)
    url = f"/api/v1/cases/{case_at_step_1.id}/steps/1"
    assert client.post(url, json={"note": "lengkap"}, headers=admin).status_code == 202
    again = client.post(url, json={"note": "lagi"}, headers=admin)
    assert again.status_code == 409


def test_unknown_case_and_step_are_404(
    client: TestClient, staff: dict, case_at_step_1: Case
) -> None:
    admin = login(client, Role.ADMIN)
    assert client.post("/api/v1/cases/nope/steps/1", json={}, headers=admin).status_code == 404
    assert (
        client.post(
            f"/api/v1/cases/{case_at_step_1.id}/steps/9", json={}, headers=admin
        ).status_code
        == 404
    )
    assert client.get("/api/v1/cases/nope", headers=admin).status_code == 404


def test_any_staff_reads_the_case_with_its_history(
    client: TestClient, staff: dict, case_at_step_1: Case
) -> None:
    client.post(
        f"/api/v1/cases/{case_at_step_1.id}/steps/1",
        json={"note": "lengkap"},
        headers=login(client, Role.ADMIN),
    )
    body = client.get(
        f"/api/v1/cases/{case_at_step_1.id}", headers=login(client, Role.TIM_KOORDINASI)
    ).json()
    assert body["tracking_code"] == "PGD-TEST-0001"
    assert [(e["kind"], e["step"]) for e in body["history"]] == [
        ("filed", None),
        ("arrived", 1),
        ("completed", 1),
    ]
    completed = body["history"][2]
    assert completed["actor"] == "petugas_admin" and completed["input"] == {"note": "lengkap"}
    assert completed["standard_minutes"] == 5 and completed["within_standard"] is True
    assert body["current_step"] == 2 and body["current_role"] == "kasi"
