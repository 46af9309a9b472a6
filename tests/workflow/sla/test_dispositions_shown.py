"""A page of the Mutu Baku report lists the first dispositions of its range and says how many
there are, and the next pages follow a cursor; the CSV lists them all (a year of a large desk
holds a quarter of a million)."""

from __future__ import annotations

import csv
import html
import io
import re
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
HOURS = (8, 8, 9)  # A and B at the same moment: the cursor must not skip or repeat either


@pytest.fixture
def three_dispositions(configured: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api_reports, "DISPOSITIONS_SHOWN", 2)
    monkeypatch.setattr(console_reports, "DISPOSITIONS_SHOWN", 2)
    with get_db().transaction() as session:
        for hour, code in zip(HOURS, CODES, strict=True):
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


def _pages(client: TestClient, headers: dict[str, str]) -> list[list[str]]:
    pages, cursor = [], None
    while True:
        params = RANGE if cursor is None else {**RANGE, "cursor": cursor}
        body = client.get("/api/v1/reports/sla", params=params, headers=headers).json()
        pages.append([row["tracking_code"] for row in body["dispositions"]])
        assert body["dispositions_total"] == 3
        cursor = body["dispositions_next"]
        if cursor is None:
            return pages


@pytest.mark.parametrize("shown", [1, 2, 3])
def test_the_api_gives_every_disposition_once_page_after_page(
    client: TestClient,
    staff: dict,
    three_dispositions: None,
    monkeypatch: pytest.MonkeyPatch,
    shown: int,
) -> None:
    monkeypatch.setattr(api_reports, "DISPOSITIONS_SHOWN", shown)
    pages = _pages(client, login(client, Role.KOORDINATOR))
    assert [code for page in pages for code in page] == list(CODES)
    assert all(len(page) == shown for page in pages[:-1])
    # Three in pages of three: one page, no cursor to a page with nothing on it.
    assert len(pages) == -(-len(CODES) // shown)


@pytest.mark.parametrize("cursor", ["abc", "12-", "-1-2", "9" * 18 + "-1", "1" * 41])
def test_a_bad_cursor_is_refused_with_a_message(
    client: TestClient, staff: dict, cursor: str
) -> None:
    headers = login(client, Role.KOORDINATOR)
    response = client.get(
        "/api/v1/reports/sla", params={**RANGE, "cursor": cursor}, headers=headers
    )
    assert response.status_code == 422, response.text
    assert "cursor" in response.text


def test_the_console_links_the_next_dispositions(staff: dict, three_dispositions: None) -> None:
    with open_console() as console:
        log_in(console, Role.KOORDINATOR)
        first = console.get("/console/laporan?from=2026-12-01&to=2026-12-02").text
        link = re.search(
            r'href="(/console/laporan\?[^"]+)#tabel-disposisi">Disposisi berikutnya', first
        )
        assert link is not None
        following = console.get(html.unescape(link.group(1))).text
    assert "Menampilkan 1 disposisi berikutnya dari 3" in following
    assert CODES[2] in following and CODES[0] not in following
    assert "Disposisi berikutnya" not in following
