"""The SLA report's figures of what complainants made of the answers, per month of the answer
in the office's time zone (WIB): answers sent, rated, rated *puas* (3 or 4) and reopened, in
the API, the CSV and the console. The record is seeded by hand; every figure is worked out in
the comments."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from services.workflow.database import get_db
from services.workflow.models import CaseAnswer, StaffUser
from shared.sop import Role
from tests.support.clock import WIB
from tests.workflow.conftest import login
from tests.workflow.console_client import log_in, open_console
from tests.workflow.records import seed_case

RANGE = {"from": "2026-11-01", "to": "2026-12-31"}


def wib(month: int, day: int, hour: int = 10, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, tzinfo=WIB)


@pytest.fixture
def seeded(configured: dict[str, str]) -> None:
    # (case, round, answered at, score, reopened)
    answers = [
        ("PGD-A", 1, wib(11, 10), 4, False),  # November: puas
        ("PGD-C", 1, wib(11, 20), None, True),  # November: reopened on request, not rated
        # 06.00 WIB on 1 December is still 30 November in UTC: December in the office's zone.
        ("PGD-B", 1, wib(12, 1, 6), 2, True),
        ("PGD-B", 2, wib(12, 10), None, False),  # B's second answer, not rated yet
        ("PGD-D", 1, wib(12, 2), 3, False),
        ("PGD-E", 1, wib(12, 3), 1, False),  # tidak puas, but rated after the window
        ("PGD-G", 1, wib(1, 1, 0, year=2027), 1, True),  # after the range
    ]
    with get_db().transaction() as session:
        cases = {}
        for code, round_, at, score, reopened in answers:
            case = cases.get(code) or seed_case(session, code, at - timedelta(days=1))
            cases[code] = case
            session.flush()
            session.add(
                CaseAnswer(
                    case_id=case.id,
                    round=round_,
                    answered_at=at,
                    reopen_until=at + timedelta(days=14),
                    score=score,
                    rated_at=at + timedelta(days=1) if score else None,
                    reopened_at=at + timedelta(days=1) if reopened else None,
                    reopen_reason="Belum selesai" if reopened else None,
                )
            )


# November: A and C answered (2); A rated (1), puas (1) -> 100%; C reopened -> 1/2.
# December: B, B's second, D, E answered (4); B, D, E rated (3), D puas (1) -> 1/3; B reopened
# -> 1/4. G, at midnight after the range, is not counted.
NOVEMBER = {
    "month": "2026-11",
    "month_label": "November 2026",
    "answered": 2,
    "rated": 1,
    "satisfied": 1,
    "satisfied_share": 1.0,
    "reopened": 1,
    "reopen_rate": 0.5,
}
DECEMBER = {
    "month": "2026-12",
    "month_label": "Desember 2026",
    "answered": 4,
    "rated": 3,
    "satisfied": 1,
    "satisfied_share": 0.3333,
    "reopened": 1,
    "reopen_rate": 0.25,
}


def test_the_report_gives_the_puas_share_and_the_reopen_rate_per_month(
    client: TestClient, staff: dict[Role, StaffUser], seeded: None
) -> None:
    response = client.get("/api/v1/reports/sla", params=RANGE, headers=login(client, Role.ADMIN))
    assert response.status_code == 200, response.text
    assert response.json()["satisfaction"] == [NOVEMBER, DECEMBER]


def test_a_month_with_no_answer_has_zeros_and_no_shares(
    client: TestClient, staff: dict[Role, StaffUser], seeded: None
) -> None:
    response = client.get(
        "/api/v1/reports/sla",
        params={"from": "2027-02-01", "to": "2027-02-05"},
        headers=login(client, Role.KASI),
    )
    [february] = response.json()["satisfaction"]
    assert (february["answered"], february["satisfied_share"], february["reopen_rate"]) == (
        0,
        None,
        None,
    )


def test_the_csv_has_the_monthly_table_below_the_steps(
    client: TestClient, staff: dict[Role, StaffUser], seeded: None
) -> None:
    response = client.get(
        "/api/v1/reports/sla.csv", params=RANGE, headers=login(client, Role.ADMIN)
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    header = rows.index(
        [
            "Bulan jawaban",
            "Jawaban terkirim",
            "Jawaban dinilai",
            "Dinilai puas",
            "Puas (% dari yang dinilai)",
            "Dibuka kembali",
            "Tingkat dibuka kembali (%)",
        ]
    )
    assert rows[header - 1] == []
    assert rows[header + 1 :] == [
        ["November 2026", "2", "1", "1", "100", "1", "50"],
        ["Desember 2026", "4", "3", "1", "33.33", "1", "25"],
    ]


@pytest.fixture
def console(configured: dict[str, str]) -> Iterator[TestClient]:
    with open_console() as client:
        yield client


def test_the_console_report_shows_the_monthly_figures(
    console: TestClient, staff: dict[Role, StaffUser], seeded: None
) -> None:
    log_in(console, Role.KOORDINATOR)
    page = console.get("/console/laporan?from=2026-11-01&to=2026-12-31").text

    assert "Penilaian pengadu dan laporan dibuka kembali" in page
    row = page[page.index('<tr data-month="2026-12">') :]
    row = row[: row.index("</tr>")]
    assert '<th scope="row">Desember 2026</th>' in row
    cells = re.findall(r'<td class="num"><span class="cell-label"[^>]*>[^<]*</span> ([^<]*)<', row)
    assert cells == ["4", "3", "1", "33%", "1", "25%"]
