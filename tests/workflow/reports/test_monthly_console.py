"""The console's *Laporan bulanan*: the month picker, the figures, the charts, the IKM with its
method and the files, for the three roles that read it; the Tim Koordinasi neither sees it in
the menu nor opens it."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from services.workflow.database import get_db
from services.workflow.models import StaffUser
from shared.sop import Role
from tests.workflow.console_client import log_in, open_console
from tests.workflow.reports.monthly_records import (
    SURVEY_A,
    add_case,
    answer,
    declined_by,
    survey,
    wib,
)

PAGE = "/console/laporan-bulanan"


@pytest.fixture
def console(configured: dict[str, str]) -> Iterator[TestClient]:
    with open_console() as client:
        yield client


@pytest.fixture
def november(configured: dict[str, str]) -> None:
    with get_db().transaction() as session:
        a = add_case(session, "PGD-A", wib(2), service_code="PBG", filed_via="web")
        answer(session, a, wib(2, 10), score=4)
        survey(session, a, SURVEY_A)
        c = add_case(session, "PGD-C", wib(3), service_code="PBG", received_via="telepon")
        c.status = "declined"
        declined_by(session, c, "Badan Pertanahan Nasional", wib(3, 10))
        add_case(session, "PGD-F", wib(4), filed_via="api", status="verifying", current_step=2)


def figure(page: str, name: str) -> str:
    row = re.search(rf'<tr data-figure="{name}">.*?<td class="num">(.*?)</td>', page)
    assert row is not None, name
    return row.group(1)


@pytest.mark.parametrize("role", [Role.KOORDINATOR, Role.KASI, Role.ADMIN])
def test_the_readers_see_the_month_with_its_figures(
    console: TestClient, staff: dict[Role, StaffUser], november: None, role: Role
) -> None:
    log_in(console, role)
    response = console.get(PAGE, params={"bulan": "2026-11"})
    assert response.status_code == 200
    page = response.text
    assert "<h1>Laporan bulanan November 2026</h1>" in page
    assert '<a href="/console/laporan-bulanan" aria-current="page">Laporan bulanan</a>' in page
    assert [figure(page, n) for n in ("filed", "answered", "declined", "open")] == [
        "3",
        "1",
        "1",
        "1",
    ]
    assert figure(page, "ikm") == "100.00 (mutu A, sangat baik)"
    assert "Badan Pertanahan Nasional</span>: 1 laporan" in page
    assert page.count('class="report-chart"') == 3
    assert 'data-service="PBG"' in page and 'data-service="tanpa-layanan"' in page
    assert "Peraturan Menteri PANRB Nomor 14 Tahun 2017" in page
    for fmt in ("csv", "xlsx", "pdf"):
        assert f'href="/console/laporan-bulanan/berkas?bulan=2026-11&amp;format={fmt}"' in page


def test_the_page_opens_on_this_month(
    console: TestClient, staff: dict[Role, StaffUser], november: None
) -> None:
    log_in(console, Role.KASI)
    page = console.get(PAGE).text  # the test clock: 30 November 2026
    assert 'value="2026-11" max="2026-11"' in page
    assert figure(page, "filed") == "3"


def test_the_tim_koordinasi_has_no_such_page(
    console: TestClient, staff: dict[Role, StaffUser], november: None
) -> None:
    log_in(console, Role.TIM_KOORDINASI)
    worklist = console.get("/console").text
    assert "Laporan bulanan" not in worklist
    response = console.get(PAGE, params={"bulan": "2026-11"})
    assert response.status_code == 403
    assert "Laporan bulanan hanya dapat dibaca oleh" in response.text
    assert console.get(f"{PAGE}/berkas", params={"format": "csv"}).status_code == 403


def test_the_menu_shows_it_to_the_readers(
    console: TestClient, staff: dict[Role, StaffUser]
) -> None:
    log_in(console, Role.ADMIN)
    menu = console.get("/console").text
    links = re.findall(r'<li><a href="(/console[^"]*)"', menu)
    assert links.index("/console/laporan-bulanan") == links.index("/console/laporan") + 1
    assert "/console/catat" in links  # the Admin's own entry stays


@pytest.mark.parametrize(
    ("month", "says"),
    [("2026-13", "Bulan laporan tidak valid"), ("2027-02", "Bulan 2027-02 belum tiba")],
)
def test_a_wrong_month_says_so_beside_the_picker(
    console: TestClient, staff: dict[Role, StaffUser], month: str, says: str
) -> None:
    log_in(console, Role.KOORDINATOR)
    response = console.get(PAGE, params={"bulan": month})
    assert response.status_code == 422
    assert says in response.text
    assert 'id="form-laporan-bulanan"' in response.text
    assert 'id="tabel-ringkasan"' not in response.text


def test_the_files_download_behind_the_session(
    console: TestClient, staff: dict[Role, StaffUser], november: None
) -> None:
    log_in(console, Role.KOORDINATOR)
    response = console.get(f"{PAGE}/berkas", params={"bulan": "2026-11", "format": "xlsx"})
    assert response.status_code == 200
    assert response.headers["content-disposition"] == (
        'attachment; filename="laporan-bulanan-2026-11.xlsx"'
    )
    summary = {
        row[0]: row[1]
        for row in load_workbook(io.BytesIO(response.content))["Ringkasan"].iter_rows(
            values_only=True
        )
    }
    assert summary["Pengaduan masuk"] == 3
    wrong = console.get(f"{PAGE}/berkas", params={"bulan": "2026-11", "format": "docx"})
    assert wrong.status_code == 422
    assert "Format berkas tidak dikenal" in wrong.text
