"""``GET /api/v1/reports/monthly``: who may read it, what a wrong month gets, and the JSON's
figures (the figures themselves are checked one by one in test_monthly_figures)."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from pypdf import PdfReader

from services.workflow.database import get_db
from services.workflow.models import StaffUser
from shared.sop import Role
from tests.workflow.conftest import login
from tests.workflow.reports.monthly_records import (
    SURVEY_A,
    add_case,
    answer,
    declined_by,
    step_done,
    survey,
    wib,
)

URL = "/api/v1/reports/monthly"
READERS = (Role.KOORDINATOR, Role.KASI, Role.ADMIN)


@pytest.fixture
def november(configured: dict[str, str]) -> None:
    """Two NIB complaints by the web form (one answered, rated and surveyed; one declined to a
    body) and one naming no service by telephone, still open."""
    with get_db().transaction() as session:
        a = add_case(session, "PGD-A", wib(2), service_code="NIB", filed_via="web")
        step_done(session, a, 1, 3.0, wib(2, 9, 5))
        answer(session, a, wib(2, 10), score=4)
        survey(session, a, SURVEY_A)
        c = add_case(session, "PGD-C", wib(3), service_code="NIB", filed_via="web")
        c.status = "declined"
        declined_by(session, c, "Dinas Kesehatan", wib(3, 10))
        add_case(
            session,
            "PGD-F",
            wib(4),
            received_via="telepon",
            status="verifying",
            current_step=2,
        )


@pytest.mark.parametrize("role", READERS)
def test_the_three_roles_read_the_months_figures(
    client: TestClient, staff: dict[Role, StaffUser], november: None, role: Role
) -> None:
    response = client.get(URL, params={"month": "2026-11"}, headers=login(client, role))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["month"] == "2026-11"
    totals = body["totals"]
    assert {k: totals[k] for k in ("filed", "answered", "declined", "open", "overdue")} == {
        "filed": 3,
        "answered": 1,
        "declined": 1,
        "open": 1,
        "overdue": 0,
    }
    assert totals["filed_via"] == {
        "web": 2,
        "api": 0,
        "open311": 0,
        "telepon": 1,
        "loket": 0,
        "surat": 0,
    }
    assert totals["declined_to"] == {"Dinas Kesehatan": 1}
    assert (totals["steps_completed"], totals["within_standard_share"]) == (1, 1.0)
    assert (totals["median_minutes_to_answer"], totals["satisfied_share"]) == (60.0, 1.0)
    ikm = totals["ikm"]
    assert (ikm["respondents"], ikm["value"], ikm["converted"], ikm["grade"]) == (
        1,
        4.0,
        100.0,
        "A",
    )
    assert [e["code"] for e in ikm["elements"]] == [f"U{i}" for i in range(1, 10)]
    assert ikm["elements"][0] == {"code": "U1", "name": "Persyaratan", "average": 4.0}
    assert [(s["code"], s["name"], s["group"], s["filed"]) for s in body["services"]] == [
        ("NIB", "Nomor Induk Berusaha (NIB) melalui OSS", "berusaha", 2),
        (None, "Tidak disebutkan", None, 1),
    ]
    assert body["services"][1]["ikm"] is None
    assert "Peraturan Menteri PANRB Nomor 14 Tahun 2017" in body["method"]


def test_the_tim_koordinasi_is_refused(
    client: TestClient, staff: dict[Role, StaffUser], november: None
) -> None:
    response = client.get(
        URL, params={"month": "2026-11"}, headers=login(client, Role.TIM_KOORDINASI)
    )
    assert response.status_code == 403
    assert response.json()["message"] == (
        "Laporan bulanan hanya dapat dibaca oleh Koordinator (Kepala Bidang), Kepala Seksi "
        "(Kasi), Admin Pengaduan"
    )


def test_without_a_token_it_asks_to_log_in(client: TestClient) -> None:
    assert client.get(URL, params={"month": "2026-11"}).status_code == 401


@pytest.mark.parametrize(
    ("month", "says"),
    [
        ("2026-13", "Bulan laporan tidak valid"),
        ("11-2026", "Bulan laporan tidak valid"),
        ("2026-1", "Bulan laporan tidak valid"),
        ("", "Bulan laporan tidak valid"),
        ("0001-01", "Bulan laporan tidak valid"),
        ("2026-12", "Bulan 2026-12 belum tiba"),  # the test clock stands on 30 November 2026
        ("2027-01", "Bulan 2027-01 belum tiba"),
    ],
)
def test_a_wrong_month_is_refused_in_indonesian(
    client: TestClient, staff: dict[Role, StaffUser], month: str, says: str
) -> None:
    response = client.get(URL, params={"month": month}, headers=login(client, Role.KASI))
    assert response.status_code == 422, response.text
    assert response.json()["message"].startswith(says)


def test_the_month_is_required(client: TestClient, staff: dict[Role, StaffUser]) -> None:
    response = client.get(URL, headers=login(client, Role.KASI))
    assert response.status_code == 422
    assert "month" in response.text


def test_the_current_month_is_read_as_of_now(
    client: TestClient, staff: dict[Role, StaffUser], november: None
) -> None:
    response = client.get(URL, params={"month": "2026-11"}, headers=login(client, Role.ADMIN))
    # The test clock: Monday 30 November 2026, 09.00 WIB, and running.
    as_of = response.json()["as_of"]
    assert as_of.startswith("2026-11-30T02:00")
    assert (response.json()["period_start"], response.json()["period_end"]) == (
        "2026-11-01T00:00:00+07:00",
        "2026-12-01T00:00:00+07:00",
    )


def test_the_docs_describe_the_report(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    operation = schema["paths"][URL]["get"]
    assert operation["summary"] == "Laporan bulanan"
    assert "MonthlyReportOut" in schema["components"]["schemas"]
    assert "IkmOut" in schema["components"]["schemas"]


@pytest.mark.parametrize(
    ("fmt", "media_type"),
    [
        ("csv", "text/csv; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("pdf", "application/pdf"),
    ],
)
def test_the_same_report_as_a_file(
    client: TestClient, staff: dict[Role, StaffUser], november: None, fmt: str, media_type: str
) -> None:
    response = client.get(
        URL, params={"month": "2026-11", "format": fmt}, headers=login(client, Role.KOORDINATOR)
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == media_type
    assert response.headers["content-disposition"] == (
        f'attachment; filename="laporan-bulanan-2026-11.{fmt}"'
    )
    assert response.headers["cache-control"] == "no-store"
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
        filed = rows[0].index("Pengaduan masuk")
        assert [row[filed] for row in rows[1:]] == ["3", "2", "1"]  # total, NIB, no service
    elif fmt == "xlsx":
        book = load_workbook(io.BytesIO(response.content))
        summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(values_only=True)}
        assert (summary["Pengaduan masuk"], summary["Ditolak (di luar kewenangan)"]) == (3, 1)
    else:
        text = " ".join(
            page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
        )
        assert "Bulan November 2026" in text and "Dinas Kesehatan" in text


def test_a_file_of_an_unknown_format_is_refused(
    client: TestClient, staff: dict[Role, StaffUser]
) -> None:
    response = client.get(
        URL, params={"month": "2026-11", "format": "docx"}, headers=login(client, Role.KASI)
    )
    assert response.status_code == 422
    assert response.json()["message"] == (
        "Format berkas tidak dikenal: 'docx'; pilih salah satu: csv, xlsx, pdf"
    )


def test_the_tim_koordinasi_gets_no_file_either(
    client: TestClient, staff: dict[Role, StaffUser]
) -> None:
    response = client.get(
        URL,
        params={"month": "2026-11", "format": "pdf"},
        headers=login(client, Role.TIM_KOORDINASI),
    )
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/json")
