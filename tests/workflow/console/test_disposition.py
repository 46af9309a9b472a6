"""The console's step 3 form (members to tick, a due date, the directions), the case page that
says to whom the case was disposed, the mark on the named member's worklist, and the report's
table of dispositions."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from services.workflow.cases.steps import arrive
from services.workflow.database import get_db
from services.workflow.models import Case, StaffUser
from shared.messaging.contracts import StepHandoffV1
from shared.sop import Role
from tests.workflow.conftest import PASSWORD, at_step_3
from tests.workflow.console_client import log_in, open_console, post_form

DIRECTIONS = "Hubungi pengadu dan periksa berkas di OSS."


@pytest.fixture
def console(configured: dict[str, str]) -> Iterator[TestClient]:
    with open_console() as client:
        yield client


def test_the_form_offers_the_active_members_with_their_unit_and_a_date(
    console: TestClient, staff: dict[Role, StaffUser], members: dict[str, StaffUser]
) -> None:
    case_id = at_step_3(staff)
    log_in(console, Role.KOORDINATOR)
    page = console.get(f"/console/kasus/{case_id}").text
    form = page[page.index('data-path="complete"') :]
    form = form[: form.index("</form>")]
    ticks = re.findall(
        r'<input type="checkbox" [^>]*value="([^"]+)"[^>]*><label [^>]*>([^<]+)<', form
    )
    # Active Tim Koordinasi members only (not the inactive one, not the Kasi), by unit.
    assert ticks == [
        ("rina", "Rina Kartika (Bidang Perizinan)"),
        ("joko", "Joko Susilo (Seksi Pengaduan)"),
        ("petugas_tim_koordinasi", "petugas_tim_koordinasi"),
    ]
    assert (
        '<input type="date" id="complete-due-date" name="due_date" value="" min="2026-11-30"'
        in form
    )
    assert "<legend>Didisposisikan kepada" in form


def test_a_form_naming_no_one_is_shown_again_with_the_error_in_indonesian(
    console: TestClient, staff: dict[Role, StaffUser], members: dict[str, StaffUser]
) -> None:
    case_id = at_step_3(staff)
    log_in(console, Role.KOORDINATOR)
    response = post_form(
        console,
        f"/console/kasus/{case_id}/langkah/3",
        {"disposition": DIRECTIONS, "due_date": "2026-11-27"},
    )
    assert response.status_code == 422
    assert "Didisposisikan kepada (assignees) wajib diisi" in response.text
    assert "Pilih paling sedikit satu petugas." in response.text
    assert DIRECTIONS in response.text  # what was typed is kept
    with get_db().sessions() as session:
        assert session.get_one(Case, case_id).current_step == 3


def test_ticked_members_receive_the_case_and_the_pages_say_so(
    console: TestClient, staff: dict[Role, StaffUser], members: dict[str, StaffUser]
) -> None:
    case_id = at_step_3(staff)
    log_in(console, Role.KOORDINATOR)
    response = post_form(
        console,
        f"/console/kasus/{case_id}/langkah/3",
        {"disposition": DIRECTIONS, "assignees": ["rina", "joko"], "due_date": "2026-12-02"},
    )
    assert response.status_code == 303, response.text
    with get_db().transaction() as session:
        arrive(session, StepHandoffV1(case_id=case_id, step=4))
    page = console.get(f"/console/kasus/{case_id}").text
    assert (
        "Didisposisikan kepada: Rina Kartika (Bidang Perizinan), Joko Susilo (Seksi Pengaduan), "
        "batas waktu 2 Desember 2026"
    ) in page
    assert "rina, joko" in page  # the record's step 3, as the timeline tells it

    post_form(console, "/console/masuk", {"username": "joko", "password": PASSWORD})
    worklist = console.get("/console").text
    assert 'data-assigned-to-me="true"' in worklist
    assert "Tim Koordinasi Perizinan DPMPTSP, Seksi Pengaduan</span>" in worklist  # who is in
    assert "Disposisi untuk Anda, batas 2 Desember 2026" in worklist

    report = console.get("/console/laporan?from=2026-11-30&to=2026-11-30").text
    table = report[report.index('id="tabel-disposisi"') :]
    assert "PGD-DISP-0001" in table
    assert "Rina Kartika (Bidang Perizinan), Joko Susilo (Seksi Pengaduan)" in table
    assert "2 Desember 2026" in table
    csv_text = console.get("/console/laporan.csv?from=2026-11-30&to=2026-11-30").text
    assert (
        ",Rina Kartika (Bidang Perizinan); Joko Susilo (Seksi Pengaduan),2 Desember 2026"
        in csv_text
    )
