"""The Admin Pengaduan's "Catat pengaduan": the portal's validation and words on the form, only
the complainant desk's role may use it, and a complaint taken goes to intake through the outbox
with the receipt showing the access token once (a form sent twice takes it once)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from services.workflow.cases.history import events_of
from services.workflow.cases.steps import receive_complaint
from services.workflow.database import get_db
from services.workflow.models import Case, StaffUser, TakenComplaint
from shared.messaging.contracts import INTAKE_TAKEN_TASK, ReceivedVia
from shared.messaging.contracts import codes as drawing
from shared.messaging.contracts.codes import CODE_PATTERN, hash_access_token
from shared.sop import Role
from tests.support.outbox import queued_payloads
from tests.workflow.conftest import filed_message
from tests.workflow.console_client import log_in, open_console, post_form


@pytest.fixture
def console(configured: dict[str, str], staff: dict[Role, StaffUser]) -> Iterator[TestClient]:
    with open_console() as client:
        yield client


def taking_form(**overrides: Any) -> dict[str, Any]:
    return {
        "taking_id": str(uuid.uuid4()),
        "received_via": "telepon",
        "name": "Pak Slamet",
        "email": "",
        "phone": "0812 3456 7890",
        "channels": ["sms"],
        "subject": "Izin usaha belum terbit",
        "description": "Penelepon menyampaikan izin usahanya belum terbit sejak sebulan lalu.",
        "licence_reference": "1234567890123",
        "consent": "ya",  # the complainant was told the privacy notice and agreed
        **overrides,
    }


def test_the_admin_takes_a_telephone_complaint_and_sees_its_receipt_once(
    console: TestClient,
) -> None:
    log_in(console, Role.ADMIN)
    form = taking_form()

    response = post_form(console, "/console/catat", form)

    assert response.status_code == 200, response.text
    page = response.text
    code = re.search(r'id="kode-pelacakan">([^<]+)<', page)
    token = re.search(r'id="token-akses">([^<]+)<', page)
    assert code and token
    assert CODE_PATTERN.fullmatch(code[1])
    assert "Token akses hanya ditampilkan sekali" in page
    assert "/lacak" in page
    assert "Telepon" in page
    assert "WIB" in page
    [sent] = queued_payloads(get_db(), INTAKE_TAKEN_TASK)
    assert sent["message_id"] == form["taking_id"]
    assert sent["tracking_code"] == code[1]
    assert sent["access_token_hash"] == hash_access_token(token[1])
    assert token[1] not in str(sent)
    assert (sent["received_via"], sent["taken_by"]) == ("telepon", "petugas_admin")
    assert sent["reporter"]["phone"] == "+6281234567890"

    # The same form again (a double click, a reload): taken once, the token not shown again.
    again = post_form(console, "/console/catat", form)
    assert again.status_code == 200
    assert code[1] in again.text
    assert token[1] not in again.text
    assert "token akses hanya ditampilkan sekali" in again.text
    assert len(queued_payloads(get_db(), INTAKE_TAKEN_TASK)) == 1

    copy = console.get(f"/console/catat/{form['taking_id']}/tanda-terima")
    assert copy.status_code == 200
    assert code[1] in copy.text and token[1] not in copy.text


def test_form_errors_are_in_indonesian_and_take_nothing(console: TestClient) -> None:
    log_in(console, Role.ADMIN)

    response = post_form(
        console,
        "/console/catat",
        taking_form(
            received_via="merpati", name="", email="bukan-email", channels=["email"], subject="x"
        ),
    )

    assert response.status_code == 422
    page = response.text
    assert "Nama lengkap wajib diisi" in page
    assert "Diterima melalui: pilih telepon, loket atau surat" in page
    assert "alamat email &#39;bukan-email&#39; tidak valid" in page
    assert "Pokok pengaduan" in page
    assert queued_payloads(get_db(), INTAKE_TAKEN_TASK) == []
    with get_db().sessions() as session:
        assert session.scalars(select(TakenComplaint)).all() == []


def test_a_walk_in_without_contacts_is_taken_with_the_app_channel(console: TestClient) -> None:
    log_in(console, Role.ADMIN)

    response = post_form(
        console,
        "/console/catat",
        taking_form(received_via="loket", phone="", channels=["app"]),
    )

    assert response.status_code == 200, response.text
    assert "Loket" in response.text


@pytest.mark.parametrize("role", [Role.KASI, Role.KOORDINATOR, Role.TIM_KOORDINASI])
def test_only_the_admin_may_take_complaints(console: TestClient, role: Role) -> None:
    log_in(console, role)

    assert console.get("/console/catat").status_code == 403
    refused = post_form(console, "/console/catat", taking_form())
    assert refused.status_code == 403
    assert "tugas Admin Pengaduan" in refused.text
    assert queued_payloads(get_db(), INTAKE_TAKEN_TASK) == []
    assert "/console/catat" not in console.get("/console").text


def test_the_admin_sees_the_form_in_the_menu(console: TestClient) -> None:
    log_in(console, Role.ADMIN)

    page = console.get("/console/catat").text

    assert 'href="/console/catat" aria-current="page"' in page
    assert 'name="taking_id"' in page
    for way in ("Telepon", "Loket (datang langsung)", "Surat"):
        assert way in page


def test_the_case_shows_who_took_it_and_how(console: TestClient) -> None:
    message = filed_message().model_copy(
        update={"received_via": ReceivedVia.TELEPON, "taken_by": "petugas_admin"}
    )
    with get_db().transaction() as session:
        case_id = receive_complaint(session, message).id
    log_in(console, Role.KASI)

    page = console.get(f"/console/kasus/{case_id}").text

    assert "Telepon (dicatat oleh petugas_admin)" in page
    assert "Mencatat laporan pengaduan yang diterima melalui telepon" in page
    with get_db().sessions() as session:
        case = session.get(Case, case_id)
        assert case is not None
        assert (case.received_via, case.taken_by) == ("telepon", "petugas_admin")
        first = events_of(session, case_id)[0]
    assert (first.kind, first.actor, first.role) == ("filed", "petugas_admin", "admin")


def test_a_code_the_workflow_knows_is_not_drawn_for_a_receipt(
    console: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    with get_db().transaction() as session:
        receive_complaint(session, filed_message("PGD-AAAA-AAAA"))
    draws = iter(["PGD-AAAA-AAAA", "PGD-BBBB-BBBB"])
    monkeypatch.setattr(drawing, "new_tracking_code", lambda: next(draws))
    log_in(console, Role.ADMIN)

    response = post_form(console, "/console/catat", taking_form())

    assert response.status_code == 200, response.text
    assert 'id="kode-pelacakan">PGD-BBBB-BBBB<' in response.text


def test_the_record_says_when_intake_filed_under_another_code_than_the_receipts(
    console: TestClient,
) -> None:
    message = filed_message("PGD-CCCC-CCCC").model_copy(
        update={
            "received_via": ReceivedVia.LOKET,
            "taken_by": "petugas_admin",
            "receipt_code": "PGD-AAAA-AAAA",
        }
    )
    with get_db().transaction() as session:
        case_id = receive_complaint(session, message).id
    log_in(console, Role.ADMIN)

    page = console.get(f"/console/kasus/{case_id}").text

    assert "Kode pada tanda terima (PGD-AAAA-AAAA) ternyata sudah dipakai" in page
    assert "beri tahu pengadu kode barunya" in page
