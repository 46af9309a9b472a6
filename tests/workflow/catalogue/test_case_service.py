"""A case's licensing service: shown on the case API, found by the search and the worklist
filter, and corrected by the Kasi only (a ``service_corrected`` event with the codes before
and after, and a CaseServiceChangedV1 for intake in the same transaction). Another role, an
unknown or a withdrawn code: refused, nothing changed."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from services.workflow.cases.steps import receive_complaint
from services.workflow.database import get_db
from services.workflow.models import Case, CaseEvent, StaffUser
from shared.database.shared_tables import OutboxMessage
from shared.messaging.contracts import INTAKE_CASE_SERVICE_TASK
from shared.sop import Role
from tests.support.outbox import queued_payloads
from tests.workflow.conftest import filed_message, login


@pytest.fixture
def tokens(client: TestClient, staff: dict[Role, StaffUser]) -> dict[Role, dict[str, str]]:
    return {role: login(client, role) for role in Role}


@pytest.fixture
def cases(configured: dict[str, str]) -> dict[str, str]:
    """Two cases at step 1: one about PBG, one naming no service."""
    with get_db().transaction() as session:
        pbg = receive_complaint(
            session, filed_message("PGD-LAYN-0001").model_copy(update={"service_code": "PBG"})
        )
        none = receive_complaint(session, filed_message("PGD-LAYN-0002"))
        return {"pbg": pbg.id, "none": none.id}


def state(case_id: str) -> tuple[Any, ...]:
    with get_db().sessions() as session:
        case = session.get(Case, case_id)
        assert case is not None
        events = session.scalar(
            select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case_id)
        )
        outbox = session.scalar(select(func.count()).select_from(OutboxMessage))
        return case.service_code, events, outbox


def test_the_case_names_its_service_by_code_and_name(
    client: TestClient, tokens: dict[Role, dict[str, str]], cases: dict[str, str]
) -> None:
    case = client.get(f"/api/v1/cases/{cases['pbg']}", headers=tokens[Role.TIM_KOORDINASI]).json()
    assert (case["service_code"], case["service_name"]) == (
        "PBG",
        "Persetujuan Bangunan Gedung (PBG)",
    )
    other = client.get(f"/api/v1/cases/{cases['none']}", headers=tokens[Role.KASI]).json()
    assert (other["service_code"], other["service_name"]) == (None, None)


def test_the_search_and_the_worklist_filter_by_service(
    client: TestClient, tokens: dict[Role, dict[str, str]], cases: dict[str, str]
) -> None:
    found = client.get("/api/v1/cases?service_code=PBG", headers=tokens[Role.KASI]).json()
    assert [c["tracking_code"] for c in found["items"]] == ["PGD-LAYN-0001"]
    assert found["items"][0]["service_code"] == "PBG"
    lower = client.get("/api/v1/cases?service_code=pbg", headers=tokens[Role.KASI]).json()
    assert lower["total"] == 1
    assert (
        client.get("/api/v1/cases?service_code=SLF", headers=tokens[Role.KASI]).json()["total"] == 0
    )
    bad = client.get("/api/v1/cases?service_code=ada%20spasi", headers=tokens[Role.KASI])
    assert bad.status_code == 422
    assert "kode layanan tidak dikenal" in bad.json()["message"]

    admin = tokens[Role.ADMIN]  # step 1 is the Admin's
    every = client.get("/api/v1/worklist", headers=admin).json()
    assert {i["tracking_code"] for i in every} == {"PGD-LAYN-0001", "PGD-LAYN-0002"}
    only = client.get("/api/v1/worklist?service_code=PBG", headers=admin).json()
    assert [(i["tracking_code"], i["service_code"]) for i in only] == [("PGD-LAYN-0001", "PBG")]


def test_the_kasi_corrects_the_service_on_the_record_and_intake_is_told(
    client: TestClient, tokens: dict[Role, dict[str, str]], cases: dict[str, str]
) -> None:
    response = client.put(
        f"/api/v1/cases/{cases['pbg']}/service",
        json={"service_code": "SLF"},
        headers=tokens[Role.KASI],
    )

    assert response.status_code == 200, response.text
    assert response.json()["service_name"] == "Sertifikat Laik Fungsi (SLF)"
    case = client.get(f"/api/v1/cases/{cases['pbg']}", headers=tokens[Role.KASI]).json()
    assert case["service_code"] == "SLF"
    corrected = case["history"][-1]
    assert (corrected["kind"], corrected["actor"], corrected["role"]) == (
        "service_corrected",
        "petugas_kasi",
        "kasi",
    )
    assert corrected["output"] == {"from": "PBG", "to": "SLF"}
    [sent] = queued_payloads(get_db(), INTAKE_CASE_SERVICE_TASK)
    assert (sent["tracking_code"], sent["service_code"]) == ("PGD-LAYN-0001", "SLF")

    # To none at all, and then the same again: recorded once.
    for _ in range(2):
        cleared = client.put(
            f"/api/v1/cases/{cases['pbg']}/service",
            json={"service_code": None},
            headers=tokens[Role.KASI],
        )
        assert cleared.status_code == 200
    history = client.get(f"/api/v1/cases/{cases['pbg']}/history", headers=tokens[Role.KASI])
    kinds = [e["kind"] for e in history.json()["events"]]
    assert kinds.count("service_corrected") == 2
    assert len(queued_payloads(get_db(), INTAKE_CASE_SERVICE_TASK)) == 2


@pytest.mark.parametrize("role", [Role.ADMIN, Role.KOORDINATOR, Role.TIM_KOORDINASI])
def test_only_the_kasi_corrects_it(
    client: TestClient, tokens: dict[Role, dict[str, str]], cases: dict[str, str], role: Role
) -> None:
    before = state(cases["pbg"])
    response = client.put(
        f"/api/v1/cases/{cases['pbg']}/service", json={"service_code": "SLF"}, headers=tokens[role]
    )
    assert response.status_code == 403
    assert "Kasi" in response.json()["message"]
    assert state(cases["pbg"]) == before


@pytest.mark.parametrize(
    ("code", "said"),
    [
        ("TIDAK-ADA", "tidak ada dalam katalog layanan"),
        ("REKLAME", "sudah tidak dipakai lagi"),
        ("x" * 21, "terlalu panjang"),
    ],
)
def test_an_unknown_or_withdrawn_service_is_refused(
    client: TestClient,
    tokens: dict[Role, dict[str, str]],
    cases: dict[str, str],
    code: str,
    said: str,
) -> None:
    client.patch(
        "/api/v1/services/REKLAME", json={"active": False}, headers=tokens[Role.KOORDINATOR]
    )
    before = state(cases["pbg"])
    response = client.put(
        f"/api/v1/cases/{cases['pbg']}/service",
        json={"service_code": code},
        headers=tokens[Role.KASI],
    )
    assert response.status_code == 422, response.text
    assert said in response.json()["message"]
    assert state(cases["pbg"]) == before
