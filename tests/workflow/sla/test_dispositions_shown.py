"""A page of the Mutu Baku report lists the first dispositions of its range and says how many
there are; the CSV lists them all (a year of a large desk holds a quarter of a million)."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from fastapi.testclient import TestClient

from services.workflow.api import reports as api_reports
from services.workflow.console import reports as console_reports
from services.workflow.database import get_db
from shared.sop import Role
from tests.support.clock import WIB
from tests.workflow.conftest import login
from tests.workflow.console_client import log_in, open_console
from tests.workflow.records import completed, seed_case

RANGE = {"from": "2026-12-01", "to": "2026-12-02"}
CODES = ("PGD-DISP-A", "PGD-DISP-B", "PGD-DISP-C")


@pytest.fixture
def three_dispositions(configured: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api_reports, "DISPOSITIONS_SHOWN", 2)
    monkeypatch.setattr(console_reports, "DISPOSITIONS_SHOWN", 2)
    with get_db().transaction() as session:
        for hour, code in enumerate(CODES, start=8):
            case = seed_case(session, code, datetime(2026, 12, 1, 7, tzinfo=WIB))
            disposed = {"disposition": "Tindak lanjuti", "assignees": ["petugas_tim_koordinasi"]}
            completed(session, case, 3, 2, datetime(2026, 12, 1, hour, tzinfo=WIB), disposed)


def test_the_api_lists_the_first_dispositions_and_counts_them_all(
    client: TestClient, staff: dict, three_dispositions: None
) -> None:
    headers = login(client, Role.KOORDINATOR)
    body = client.get("/api/v1/reports/sla", params=RANGE, headers=headers).json()
    assert [row["tracking_code"] for row in body["dispositions"]] == list(CODES[:2])
    assert body["dispositions_total"] == 3
    exported = client.get("/api/v1/reports/sla.csv", params=RANGE, headers=headers).text
    rows = list(csv.reader(io.StringIO(exported)))
    assert all(any(code in row for row in rows) for code in CODES)


def test_the_console_says_it_shows_part_of_them(staff: dict, three_dispositions: None) -> None:
    with open_console() as console:
        log_in(console, Role.KOORDINATOR)
        page = console.get("/console/laporan?from=2026-12-01&to=2026-12-02").text
    assert "Menampilkan 2 disposisi pertama dari 3" in page
    assert CODES[0] in page and CODES[2] not in page
