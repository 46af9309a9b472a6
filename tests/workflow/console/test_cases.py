"""The console's worklist and case page: each role sees its own cases, the overdue first, and on
a case only the actions the API would let it take; an action through a form moves the case
exactly as the API does, and a refused one changes nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from services.workflow.cases.steps import arrive, complete_step, receive_complaint
from services.workflow.database import get_db
from services.workflow.models import Case, CaseEvent, StaffUser
from services.workflow.sla import clock, step_clock
from shared.messaging.contracts import StepHandoffV1
from shared.sop import STEPS, Role
from tests.support.clock import MONDAY_MORNING, TestClock
from tests.support.outbox import queued_payloads
from tests.workflow.conftest import filed_message
from tests.workflow.console_client import form_paths, log_in, open_console, post_form


@pytest.fixture
def console(configured: dict[str, str]) -> Iterator[TestClient]:
    with open_console() as client:
        yield client


def _state(case_id: str) -> tuple[int | None, str, int]:
    with get_db().sessions() as session:
        case = session.get_one(Case, case_id)
        events = session.scalar(
            select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case_id)
        )
        return case.current_step, case.status, events or 0


def _outbox(task: str) -> list[dict[str, Any]]:
    return queued_payloads(get_db(), task)


def _at_step_2(case: Case, staff: dict[Role, StaffUser]) -> None:
    with get_db().transaction() as session:
        complete_step(session, case_id=case.id, step_number=1, user=staff[Role.ADMIN], payload={})
        arrive(session, StepHandoffV1(case_id=case.id, step=2))


def _rows(page: str) -> list[str]:
    """The tracking codes of the worklist's rows, top to bottom (each a link to its case)."""
    return re.findall(r'<td class="code"><a href="/console/kasus/[0-9a-f-]{36}">([^<]+)</a>', page)


def test_the_worklist_shows_the_roles_cases_the_overdue_first(
    console: TestClient, staff: dict[Role, StaffUser], office_clock: TestClock
) -> None:
    office_clock.freeze_at(MONDAY_MORNING)
    with get_db().transaction() as session:
        receive_complaint(session, filed_message("PGD-TEST-0001"))
    office_clock.advance(minutes=1)
    with get_db().transaction() as session:
        late = receive_complaint(session, filed_message("PGD-TEST-0002"))
        # Back from the complainant with 7 of its 5 minutes spent: it arrived last, yet is late.
        step_clock.start(late, STEPS[0], clock.now(), resumed_after=7)

    log_in(console, Role.ADMIN)
    page = console.get("/console").text
    assert _rows(page) == ["PGD-TEST-0002", "PGD-TEST-0001"]
    assert '<span class="badge overdue">terlambat 2 menit</span>' in page
    assert "sisa 4 menit" in page
    assert 'class="table-scroll"' in page

    log_in(console, Role.KASI)
    kasi = console.get("/console").text
    assert _rows(kasi) == []
    assert "Tidak ada laporan pengaduan yang menunggu Anda" in kasi


def test_a_case_page_offers_only_the_actions_of_the_logged_in_role(
    console: TestClient, staff: dict[Role, StaffUser], case_at_step_1: Case
) -> None:
    url = f"/console/kasus/{case_at_step_1.id}"
    log_in(console, Role.KASI)
    kasi = console.get(url)
    assert kasi.status_code == 200
    assert form_paths(kasi.text) == ["note"]  # an internal note: any role, any step
    assert "tugas peran lain" in kasi.text
    assert "PGD-TEST-0001" in kasi.text
    assert "Sudah tiga minggu izin usaha kami belum terbit" in kasi.text
    assert "Siti Aminah" in kasi.text
    assert "siti@example.id" not in kasi.text  # contacts stay hidden, as in the API
    assert '<ol class="timeline">' in kasi.text

    log_in(console, Role.ADMIN)
    admin = console.get(url).text
    assert form_paths(admin) == ["claim", "complete", "mark_duplicate", "note"]
    assert "Selesaikan langkah 1: terima dan laporkan kepada Kasi" in admin
    assert f'action="{url}/langkah/1/jalur/mark_duplicate"' in admin


def test_completing_a_step_through_the_form_hands_the_case_on_as_the_api_does(
    console: TestClient, staff: dict[Role, StaffUser], case_at_step_1: Case
) -> None:
    case_id = case_at_step_1.id
    log_in(console, Role.ADMIN)
    done = post_form(console, f"/console/kasus/{case_id}/langkah/1", {"note": "Lengkap"})
    assert done.status_code == 303
    assert done.headers["location"] == "/console?pesan=selesai-1"
    assert (
        "Laporan pengaduan diteruskan kepada Kepala Seksi (Kasi)"
        in console.get(done.headers["location"]).text
    )
    [handoff] = _outbox("workflow.step.2.arrive")  # the hand-off to the Kasi's queue
    assert (handoff["case_id"], handoff["step"]) == (case_id, 2)
    assert _state(case_id)[0] == 2
    with get_db().transaction() as session:
        arrive(session, StepHandoffV1(case_id=case_id, step=2))

    log_in(console, Role.KASI)
    assert _rows(console.get("/console").text) == ["PGD-TEST-0001"]
    page = console.get(f"/console/kasus/{case_id}").text
    assert form_paths(page) == ["claim", "complete", "request_information", "decline", "note"]
    assert "Selesaikan langkah 2: verifikasi" in page
    assert 'name="verification"' in page
    assert "Catatan admin" in page and "Lengkap" in page  # step 1's input, on the record


def test_a_form_post_without_its_csrf_token_is_refused_and_changes_nothing(
    console: TestClient, staff: dict[Role, StaffUser], case_at_step_1: Case
) -> None:
    log_in(console, Role.ADMIN)
    before = _state(case_at_step_1.id)
    response = console.post(f"/console/kasus/{case_at_step_1.id}/langkah/1", data={"note": "x"})
    assert response.status_code == 403
    assert _state(case_at_step_1.id) == before


def test_a_missing_verification_is_422_in_indonesian_and_changes_nothing(
    console: TestClient, staff: dict[Role, StaffUser], case_at_step_1: Case
) -> None:
    _at_step_2(case_at_step_1, staff)
    before = _state(case_at_step_1.id)
    log_in(console, Role.KASI)
    response = post_form(
        console, f"/console/kasus/{case_at_step_1.id}/langkah/2", {"verification": "   "}
    )
    assert response.status_code == 422
    assert "Hasil telaah dan verifikasi wajib diisi" in response.text
    assert 'aria-invalid="true"' in response.text
    assert _state(case_at_step_1.id) == before


def test_an_invalid_path_input_is_422_and_writes_no_half_record(
    console: TestClient, staff: dict[Role, StaffUser], case_at_step_1: Case
) -> None:
    before = _state(case_at_step_1.id)
    log_in(console, Role.ADMIN)
    response = post_form(
        console,
        f"/console/kasus/{case_at_step_1.id}/langkah/1/jalur/mark_duplicate",
        {"original_tracking_code": "PGD-TIDAK-ADA"},
    )
    assert response.status_code == 422
    assert "PGD-TIDAK-ADA tidak ditemukan" in response.text
    assert 'class="card action other failed" data-path="mark_duplicate"' in response.text
    assert _state(case_at_step_1.id) == before


def test_another_role_posting_to_a_step_is_403_and_changes_nothing(
    console: TestClient, staff: dict[Role, StaffUser], case_at_step_1: Case
) -> None:
    before = _state(case_at_step_1.id)
    log_in(console, Role.KASI)
    response = post_form(console, f"/console/kasus/{case_at_step_1.id}/langkah/1", {"note": "x"})
    assert response.status_code == 403
    assert "adalah tugas Admin Pengaduan" in response.text
    duplicate = post_form(
        console,
        f"/console/kasus/{case_at_step_1.id}/langkah/1/jalur/mark_duplicate",
        {"original_tracking_code": "PGD-TEST-0001"},
    )
    assert duplicate.status_code == 403
    assert post_form(console, f"/console/kasus/{case_at_step_1.id}/ambil").status_code == 403
    assert _state(case_at_step_1.id) == before


def test_a_step_someone_else_completed_is_409_in_indonesian(
    console: TestClient, staff: dict[Role, StaffUser], case_at_step_1: Case
) -> None:
    log_in(console, Role.ADMIN)
    page = console.get(f"/console/kasus/{case_at_step_1.id}").text  # the form is on screen
    assert "complete" in form_paths(page)
    with get_db().transaction() as session:  # meanwhile, through the API's code path
        complete_step(
            session,
            case_id=case_at_step_1.id,
            step_number=1,
            user=staff[Role.ADMIN],
            payload={},
        )
    before = _state(case_at_step_1.id)
    late = post_form(console, f"/console/kasus/{case_at_step_1.id}/langkah/1", {})
    assert late.status_code == 409
    assert "PGD-TEST-0001" in late.text
    assert _state(case_at_step_1.id) == before


def test_declining_through_its_form_closes_the_case(
    console: TestClient, staff: dict[Role, StaffUser], case_at_step_1: Case
) -> None:
    _at_step_2(case_at_step_1, staff)
    log_in(console, Role.KASI)
    response = post_form(
        console,
        f"/console/kasus/{case_at_step_1.id}/langkah/2/jalur/decline",
        {"reason": "Bukan pengaduan perizinan", "responsible_body": ""},
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/console?pesan=jalur-decline"
    assert _state(case_at_step_1.id)[:2] == (None, "declined")
    page = console.get(f"/console/kasus/{case_at_step_1.id}").text
    assert form_paths(page) == ["note"]
    assert "Bukan pengaduan perizinan" in page


def test_claiming_shows_the_holder_and_releasing_frees_the_case(
    console: TestClient, staff: dict[Role, StaffUser], case_at_step_1: Case
) -> None:
    url = f"/console/kasus/{case_at_step_1.id}"
    log_in(console, Role.ADMIN)
    claimed = post_form(console, f"{url}/ambil")
    assert claimed.status_code == 303
    assert claimed.headers["location"] == f"{url}?pesan=diambil"
    page = console.get(url).text
    assert form_paths(page) == ["release", "complete", "mark_duplicate", "note"]
    assert "Dipegang oleh" in page
    assert post_form(console, f"{url}/lepas").status_code == 303
    assert form_paths(console.get(url).text)[0] == "claim"


def test_an_unknown_case_is_a_404_page(console: TestClient, staff: dict[Role, StaffUser]) -> None:
    log_in(console, Role.ADMIN)
    for case_id in ("00000000-0000-0000-0000-000000000000", "bukan-id"):
        response = console.get(f"/console/kasus/{case_id}")
        assert response.status_code == 404
        assert "Laporan pengaduan tidak ditemukan" in response.text
        assert response.headers["content-type"].startswith("text/html")


def test_the_licence_reference_is_shown_when_the_case_has_one(
    console: TestClient, staff: dict[Role, StaffUser], case_at_step_1: Case
) -> None:
    url = f"/console/kasus/{case_at_step_1.id}"
    log_in(console, Role.ADMIN)
    assert 'id="nomor-izin"' not in console.get(url).text
    with get_db().transaction() as session:
        session.get_one(Case, case_at_step_1.id).licence_reference = "NIB-1234567890123"
    assert "NIB-1234567890123" in console.get(url).text
