"""The Mutu Baku report over HTTP, JSON and CSV, against a record seeded by hand: every expected
figure below is worked out in the comments, not by the code under test.

The office calendar is the default one: Mon-Thu 07:30-12:00 and 13:00-16:00, Friday 07:30-11:30
and 13:00-16:00, Asia/Jakarta (WIB, UTC+7). The week of 30 November 2026 has no holiday.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from services.workflow.cases import answer_rounds
from services.workflow.database import get_db
from services.workflow.models import Case
from shared.sop import STEP_BY_NUMBER, Role
from tests.support.clock import WIB
from tests.workflow.conftest import login
from tests.workflow.records import breached, completed, seed_case

RANGE = {"from": "2026-12-01", "to": "2026-12-02"}  # Tuesday and Wednesday


def wib(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, second, tzinfo=WIB)


def answered(session: Session, case: Case, minutes: float, at: datetime) -> None:
    """The last step completed, and the answer it sends, as the step does: the total from
    filing to answer is read from the answer's kept office minutes."""
    completed(session, case, 5, minutes, at)
    case.answer_round = 1
    answer_rounds.open_round(session, case, at)
    case.closed_at = at
    case.status = "answered"
    case.current_step = None


@pytest.fixture
def seeded(configured: dict[str, str]) -> None:
    with get_db().transaction() as session:
        # Answered in the range; filed Tue 08:00, answered Tue 08:20: 20 office minutes.
        a = seed_case(session, "PGD-A", wib(1, 8))
        # Filed Mon 15:50, answered Tue 07:50: Mon 15:50-16:00 (10) + Tue 07:30-07:50 (20) = 30.
        b = seed_case(session, "PGD-B", datetime(2026, 11, 30, 15, 50, tzinfo=WIB))
        # Filed Tue 11:50, answered Tue 13:05: 11:50-12:00 (10) + 13:00-13:05 (5), rest break
        # left out = 15.
        c = seed_case(session, "PGD-C", wib(1, 11, 50))
        # Answered Thursday 00:00 WIB: after the range.
        d = seed_case(session, "PGD-D", wib(2, 9))

        # Step 1 in the range: 2 (at the first midnight, included), 3, 4, 6 (one second before
        # the closing midnight). Outside: 100 one second before the range, 50 at its end.
        completed(session, a, 1, 2, wib(1, 0))
        completed(session, b, 1, 3, wib(1, 9))
        completed(session, c, 1, 4, wib(2, 10))
        completed(session, d, 1, 6, wib(2, 23, 59, 59))
        completed(session, a, 1, 100, datetime(2026, 11, 30, 23, 59, 59, tzinfo=WIB))
        completed(session, b, 1, 50, wib(3, 0))
        # Step 2: 1.5 and 12; step 3: 5 alone; step 4: none.
        completed(session, a, 2, 1.5, wib(1, 10))
        completed(session, b, 2, 12, wib(2, 10))
        completed(session, c, 3, 5, wib(2, 11))
        # Breaches: step 2 once in the range (and once before it), step 4 once.
        breached(session, a, 2, wib(1, 10))
        breached(session, b, 2, datetime(2026, 11, 30, 12, tzinfo=WIB))
        breached(session, c, 4, wib(2, 14))
        # Step 5: 1 (A), 8 (B), 2 (C) in the range; D's 4 at Thursday's midnight is not.
        answered(session, a, 1, wib(1, 8, 20))
        answered(session, b, 8, wib(1, 7, 50))
        answered(session, c, 2, wib(1, 13, 5))
        answered(session, d, 4, wib(3, 0))


def report(client: TestClient, params: dict[str, str], role: Role = Role.KOORDINATOR) -> dict:
    response = client.get("/api/v1/reports/sla", params=params, headers=login(client, role))
    assert response.status_code == 200, response.text
    return response.json()


def test_report_gives_each_steps_figures_and_the_total_from_filing_to_answer(
    client: TestClient, staff: dict, seeded: None
) -> None:
    body = report(client, RANGE)
    assert (body["from"], body["to"], body["timezone"]) == (
        "2026-12-01",
        "2026-12-02",
        "Asia/Jakarta",
    )
    steps = {row["step"]: row for row in body["steps"]}
    assert [(r["step"], r["role"]) for r in body["steps"]] == [
        (1, "admin"),
        (2, "kasi"),
        (3, "koordinator"),
        (4, "tim_koordinasi"),
        (5, "admin"),
    ]
    # Step 1: [2, 3, 4, 6]. Median at rank (4-1)*0.5 = 1.5: 3 + 0.5*(4-3) = 3.5.
    # p90 at rank (4-1)*0.9 = 2.7: 4 + 0.7*(6-4) = 5.4. Within 5 minutes: 2, 3, 4 -> 3/4.
    assert steps[1] == {
        "step": 1,
        "step_name": STEP_BY_NUMBER[1].name,
        "role": "admin",
        "role_label": "Admin Pengaduan",
        "standard_minutes": 5,
        "handled": 4,
        "median_minutes": 3.5,
        "p90_minutes": 5.4,
        "within_standard_share": 0.75,
        "breaches": 0,
    }
    # Step 2: [1.5, 12]. Median 1.5 + 0.5*10.5 = 6.75; p90 1.5 + 0.9*10.5 = 10.95; 1/2 within.
    assert _figures(steps[2]) == (2, 6.75, 10.95, 0.5, 1)
    # Step 3: [5] alone: median and p90 are 5; 5 <= 5 is within.
    assert _figures(steps[3]) == (1, 5, 5, 1.0, 0)
    # Step 4: no completion (nulls, not zeros), one breach.
    assert _figures(steps[4]) == (0, None, None, None, 1)
    # Step 5: [1, 2, 8]. Median 2; p90 at rank 1.8: 2 + 0.8*(8-2) = 6.8; within 2/3.
    assert _figures(steps[5]) == (3, 2, 6.8, 0.6667, 0)
    # Total: A 20, B 30, C 15 -> [15, 20, 30]. Median 20; p90 at rank 1.8: 20 + 0.8*10 = 28;
    # within the SOP's 25 minutes: 15 and 20 -> 2/3.
    assert body["total"] == {
        "standard_minutes": 25,
        "answered": 3,
        "median_minutes": 20,
        "p90_minutes": 28,
        "within_standard_share": 0.6667,
    }


def _figures(row: dict) -> tuple:
    return (
        row["handled"],
        row["median_minutes"],
        row["p90_minutes"],
        row["within_standard_share"],
        row["breaches"],
    )


def test_a_range_starts_and_ends_at_midnight_in_the_office_time_zone(
    client: TestClient, staff: dict, seeded: None
) -> None:
    # Tuesday alone: 00:00 WIB is 17:00 UTC on Monday, so a UTC day would count Monday's 100.
    # Step 1 on Tuesday: 2 (at 00:00 WIB) and 3 -> median 2.5.
    step_1 = report(client, {"from": "2026-12-01", "to": "2026-12-01"})["steps"][0]
    assert (step_1["handled"], step_1["median_minutes"]) == (2, 2.5)
    # Monday alone: only the 100 at 23:59:59 WIB.
    step_1 = report(client, {"from": "2026-11-30", "to": "2026-11-30"})["steps"][0]
    assert (step_1["handled"], step_1["median_minutes"]) == (1, 100)


def test_an_empty_range_gives_zeros_and_nulls(
    client: TestClient, staff: dict, seeded: None
) -> None:
    body = report(client, {"from": "2027-01-04", "to": "2027-01-08"})
    assert [_figures(row) for row in body["steps"]] == [(0, None, None, None, 0)] * 5
    assert body["total"] == {
        "standard_minutes": 25,
        "answered": 0,
        "median_minutes": None,
        "p90_minutes": None,
        "within_standard_share": None,
    }


def test_csv_export_has_the_same_figures_under_indonesian_headers(
    client: TestClient, staff: dict, seeded: None
) -> None:
    response = client.get(
        "/api/v1/reports/sla.csv", params=RANGE, headers=login(client, Role.ADMIN)
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        'attachment; filename="laporan-mutu-baku-2026-12-01-sd-2026-12-02.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[0] == [
        "Langkah",
        "Uraian langkah",
        "Peran",
        "Waktu baku (menit)",
        "Jumlah ditangani",
        "Median (menit kerja)",
        "Persentil ke-90 (menit kerja)",
        "Dalam waktu baku (%)",
        "Melewati waktu baku",
    ]
    names = {n: STEP_BY_NUMBER[n].name for n in range(1, 6)}
    # The figures of the JSON test; shares as percentages, nothing as an empty cell.
    assert rows[1:] == [
        ["1", names[1], "Admin Pengaduan", "5", "4", "3.5", "5.4", "75", "0"],
        ["2", names[2], "Kepala Seksi (Kasi)", "5", "2", "6.75", "10.95", "50", "1"],
        ["3", names[3], "Koordinator (Kepala Bidang)", "5", "1", "5", "5", "100", "0"],
        ["4", names[4], "Tim Koordinasi Perizinan DPMPTSP", "5", "0", "", "", "", "1"],
        ["5", names[5], "Admin Pengaduan", "5", "3", "2", "6.8", "66.67", "0"],
        [
            "1-5",
            "Total: sejak pengaduan diajukan sampai jawaban terkirim",
            "",
            "25",
            "3",
            "20",
            "28",
            "66.67",
            "",
        ],
        # Below an empty row, to whom each case was disposed: C's step 3, recorded before
        # dispositions named anyone, names no one.
        [],
        [
            "Kode pelacakan",
            "Langkah",
            "Didisposisikan pada",
            "Oleh",
            "Didisposisikan kepada",
            "Batas waktu tindak lanjut",
        ],
        ["PGD-C", "3", "2 Desember 2026, 11.00 WIB", "petugas", "", ""],
        # Below another empty row, what complainants made of the answers: A's, B's and C's
        # went out in the range (D's after it), none rated or reopened: a 0% reopen rate.
        [],
        [
            "Bulan jawaban",
            "Jawaban terkirim",
            "Jawaban dinilai",
            "Dinilai puas",
            "Puas (% dari yang dinilai)",
            "Dibuka kembali",
            "Tingkat dibuka kembali (%)",
        ],
        ["Desember 2026", "3", "0", "0", "", "0", "0"],
    ]


@pytest.mark.parametrize("path", ["/api/v1/reports/sla", "/api/v1/reports/sla.csv"])
def test_reports_need_a_token(client: TestClient, path: str) -> None:
    assert client.get(path, params=RANGE).status_code == 401


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"from": "2026-12-02", "to": "2026-12-01"},
            "Tanggal akhir (to) tidak boleh sebelum tanggal awal (from)",
        ),
        # 1 Jan 2026 to 2 Jan 2027 is 365 + 2 = 367 days.
        ({"from": "2026-01-01", "to": "2027-01-02"}, "Rentang laporan paling panjang 366 hari"),
        ({"from": "kemarin", "to": "2026-12-01"}, "Tanggal awal (from) tidak valid"),
        ({"from": "2026-12-01", "to": "20261202"}, "Tanggal akhir (to) tidak valid"),
        ({"from": "2026-02-30", "to": "2026-03-01"}, "Tanggal awal (from) tidak valid"),
        ({"from": "2026-12-01"}, "to: wajib diisi"),
    ],
)
@pytest.mark.parametrize("path", ["/api/v1/reports/sla", "/api/v1/reports/sla.csv"])
def test_bad_ranges_are_refused_with_a_message(
    client: TestClient, staff: dict, path: str, params: dict[str, str], message: str
) -> None:
    response = client.get(path, params=params, headers=login(client, Role.KASI))
    assert response.status_code == 422
    assert message in response.json()["message"]


def test_a_leap_year_of_366_days_is_one_range(client: TestClient, staff: dict) -> None:
    body = report(client, {"from": "2028-01-01", "to": "2028-12-31"})
    assert body["total"]["answered"] == 0
