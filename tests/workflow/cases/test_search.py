"""Finding cases: the filters and pages of ``search.find_cases``, and the same over HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.workflow.cases.search import CaseFilter, find_cases
from services.workflow.cases.steps import arrive, complete_step, receive_complaint
from services.workflow.database import get_db
from shared.messaging.contracts import StepHandoffV1
from shared.sop import Role
from tests.support.clock import TestClock
from tests.workflow.conftest import filed_message, login

WIB = timedelta(hours=7)


def _file(code: str, subject: str, description: str, filed_wib: str) -> str:
    filed = datetime.fromisoformat(filed_wib).replace(tzinfo=UTC) - WIB
    message = filed_message(code).model_copy(
        update={"subject": subject, "description": description, "occurred_at": filed}
    )
    with get_db().transaction() as session:
        return receive_complaint(session, message).id


@pytest.fixture
def cases(staff: dict) -> dict[str, str]:
    """A and B wait at step 1; C waits at step 2; D is on its way to step 2."""
    ids = {
        "A": _file(
            "PGD-SRCH-000A", "Izin usaha belum terbit", "Sudah 1000 jam", "2026-03-01 10:00"
        ),
        # Filed on 2 March in Madiun, still 1 March in UTC: dates are the office's days.
        "B": _file("PGD-SRCH-000B", "Diskon 100% retribusi", "Ada potongan?", "2026-03-02 00:30"),
        "C": _file(
            "PGD-SRCH-000C", "Sertifikat laik fungsi", "nomor_induk salah", "2026-03-03 09:00"
        ),
        "D": _file("PGD-SRCH-000D", "NIB tidak sesuai", "Nomor induk berbeda", "2026-03-04 09:00"),
    }
    for name in ("C", "D"):
        with get_db().transaction() as session:
            complete_step(
                session, case_id=ids[name], step_number=1, user=staff[Role.ADMIN], payload={}
            )
    with get_db().transaction() as session:
        arrive(session, StepHandoffV1(case_id=ids["C"], step=2))
    return ids


def _find(cases: dict[str, str], now: datetime | None = None, **query: Any) -> list[str]:
    names = {case_id: name for name, case_id in cases.items()}
    with get_db().sessions() as session:
        found = find_cases(session, CaseFilter.model_validate(query), now=now)
    return [names[c.id] for c in found.cases]


def test_without_filters_every_case_is_found_newest_filing_first(cases: dict) -> None:
    assert _find(cases) == ["D", "C", "B", "A"]


def test_status_may_be_given_more_than_once(cases: dict) -> None:
    assert _find(cases, status=["verifying"]) == ["C"]
    assert _find(cases, status=["received"]) == ["D", "B", "A"]
    assert _find(cases, status=["verifying", "answered"]) == ["C"]


def test_step_and_role_find_cases_at_or_on_their_way_to_a_step(cases: dict) -> None:
    assert _find(cases, step=1) == ["B", "A"]
    assert _find(cases, step=2) == ["D", "C"]
    assert _find(cases, role="kasi") == ["D", "C"]
    assert _find(cases, role="admin") == ["B", "A"]
    assert _find(cases, role="koordinator") == []
    assert _find(cases, role="kasi", status=["verifying"]) == ["C"]


def test_filing_dates_are_whole_days_in_wib(cases: dict) -> None:
    assert _find(cases, filed_to="2026-03-01") == ["A"]
    assert _find(cases, filed_from="2026-03-02", filed_to="2026-03-03") == ["C", "B"]
    assert _find(cases, filed_from="2026-03-04") == ["D"]


def test_filing_times_are_inclusive_and_read_as_wib_without_a_zone(cases: dict) -> None:
    assert _find(cases, filed_to="2026-03-01T10:00:00") == ["A"]
    assert _find(cases, filed_to="2026-03-01T09:59:59") == []
    assert _find(cases, filed_from="2026-03-01T17:30:00Z", filed_to="2026-03-01T17:30Z") == ["B"]


def test_overdue_cases_are_those_past_due_at_a_step(cases: dict, office_clock: TestClock) -> None:
    assert _find(cases, overdue=True) == []
    later = office_clock() + timedelta(minutes=6)
    assert _find(cases, now=later, overdue=True) == ["C", "B", "A"]
    assert _find(cases, now=later, overdue=False) == ["D"]  # travelling: no clock runs


def test_text_search_ignores_case_and_reads_subject_and_description(cases: dict) -> None:
    assert _find(cases, q="IZIN usaha") == ["A"]
    assert _find(cases, q="potongan") == ["B"]
    assert _find(cases, q="  nomor  ") == ["D", "C"]  # spaces around do not count
    assert _find(cases, q="nomor  induk") == []  # those inside do


def test_like_wildcards_in_the_search_text_match_only_themselves(cases: dict) -> None:
    assert _find(cases, q="100%") == ["B"]  # not "1000"
    assert _find(cases, q="nomor_induk") == ["C"]  # not "Nomor induk"
    assert _find(cases, q="%") == ["B"]
    assert _find(cases, q="\\") == []


def test_pages_hold_limit_cases_after_offset_and_count_them_all(cases: dict) -> None:
    assert _find(cases, limit=2) == ["D", "C"]
    assert _find(cases, limit=2, offset=2) == ["B", "A"]
    assert _find(cases, limit=2, offset=4) == []
    with get_db().sessions() as session:
        page = find_cases(session, CaseFilter.model_validate({"limit": 1, "step": 2}))
    assert page.total == 2 and len(page.cases) == 1


def test_the_total_counts_every_match_on_any_page_past_the_end_or_none(cases: dict) -> None:
    """The page carries the count (one statement); a page past the end still tells it."""

    def found(**query: object) -> tuple[int, int]:
        with get_db().sessions() as session:
            page = find_cases(session, CaseFilter.model_validate(query))
        return page.total, len(page.cases)

    assert found(limit=3) == (4, 3)
    assert found(limit=3, offset=3) == (4, 1)
    assert found(limit=3, offset=9) == (4, 0)
    assert found(q="tidak ada di laporan mana pun") == (0, 0)
    assert found(q="tidak ada di laporan mana pun", offset=5) == (0, 0)


def test_any_role_finds_cases_over_http(client: TestClient, cases: dict) -> None:
    admin = login(client, Role.ADMIN)
    client.post(f"/api/v1/cases/{cases['A']}/claim", headers=admin)
    response = client.get(
        "/api/v1/cases",
        params={"status": ["received", "verifying"], "role": "admin", "limit": 1, "offset": 1},
        headers=login(client, Role.TIM_KOORDINASI),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["total"], body["limit"], body["offset"]) == (2, 1, 1)
    [item] = body["items"]
    assert item["case_id"] == cases["A"] and item["tracking_code"] == "PGD-SRCH-000A"
    assert item["status_label"] == "Menunggu diterima Admin Pengaduan"  # the staff's wording
    assert item["current_step"] == 1 and item["current_role"] == "admin"
    assert item["held_by"] == "petugas_admin" and item["held_at"]
    assert item["overdue"] is False and item["due_at"]


def test_default_page_is_twenty_cases(client: TestClient, cases: dict) -> None:
    body = client.get("/api/v1/cases", headers=login(client, Role.KASI)).json()
    assert (body["total"], body["limit"], body["offset"], len(body["items"])) == (4, 20, 0, 4)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("status=bogus", "status 'bogus' tidak dikenal"),
        ("step=9", "step: harus antara 1 dan 5"),
        ("step=dua", "step: harus berupa bilangan bulat"),
        ("role=kepala", "role: pilihan tidak dikenal"),
        ("filed_from=kemarin", "filed_from: harus berupa tanggal"),
        ("filed_to=2026-02-30", "filed_to: harus berupa tanggal"),
        ("filed_from=2026-03-05&filed_to=2026-03-01", "filed_from: tidak boleh setelah filed_to"),
        ("overdue=mungkin", "overdue: harus true atau false"),
        ("q=a%00b", "q: tidak boleh berisi karakter kendali"),
        ("q=" + "x" * 201, "q: terlalu panjang"),
        ("limit=0", "limit: harus antara 1 dan 100"),
        ("limit=101", "limit: harus antara 1 dan 100"),
        ("offset=-1", "offset: harus antara 0 dan"),
        ("offset=99999999999999999999999", "offset: harus antara 0 dan"),
        ("stauts=received", "stauts: tidak dikenal"),
    ],
)
def test_an_invalid_filter_is_422_in_indonesian(
    client: TestClient, staff: dict, query: str, message: str
) -> None:
    response = client.get(f"/api/v1/cases?{query}", headers=login(client, Role.KASI))
    assert response.status_code == 422, response.text
    assert response.json()["code"] in ("invalid_input", "invalid_filter")
    assert response.json()["message"].startswith("Data tidak valid.")
    assert message in response.json()["message"]


def test_finding_cases_needs_a_token(client: TestClient) -> None:
    assert client.get("/api/v1/cases").status_code == 401
