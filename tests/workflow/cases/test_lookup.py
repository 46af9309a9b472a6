"""Finding a case by what a caller quotes (``lookup``): its tracking code, the complainant's
phone, email or name, the licence's NIB or application number; and nothing else by a part."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.workflow.cases.search import CaseFilter, find_cases
from services.workflow.cases.steps import receive_complaint
from services.workflow.database import get_db
from shared.messaging.contracts import Reporter
from shared.sop import Role
from tests.workflow.conftest import filed_message, login


def _file(code: str, reporter: Reporter, reference: str | None) -> str:
    message = filed_message(code).model_copy(
        update={"reporter": reporter, "licence_reference": reference}
    )
    with get_db().transaction() as session:
        return receive_complaint(session, message).id


@pytest.fixture
def cases(staff: dict) -> dict[str, str]:
    """Two complainants who differ only in the last digits of their phones and NIBs."""
    return {
        "siti": _file(
            "PGD-7EMA-0001",
            Reporter(name="Siti Aminah", email="Siti.Aminah@example.id", phone="+6281234567890"),
            "1234567890123",
        ),
        "budi": _file(
            "PGD-7EMA-0002",
            Reporter(name="Budi Santoso", email="budi@example.id", phone="+6281234567891"),
            "503/0123/IUMK/2026",
        ),
        "anon": _file("PGD-7EMA-0003", Reporter(name="Dewi Lestari"), None),
    }


def _find(cases: dict[str, str], q: str, **query: Any) -> list[str]:
    names = {case_id: name for name, case_id in cases.items()}
    with get_db().sessions() as session:
        found = find_cases(session, CaseFilter.model_validate({"q": q, **query}))
    return sorted(names[c.id] for c in found.cases)


@pytest.mark.parametrize(
    "typed",
    [
        "0812-3456-7890",
        "+62 812 3456 7890",
        "6281234567890",
        "081234567890",
        "+62812-3456-7890",
        "(0812) 3456 7890",
        "0812.3456.7890",
    ],
)
def test_the_phone_in_any_indonesian_form_finds_its_case_only(cases: dict, typed: str) -> None:
    assert _find(cases, typed) == ["siti"]


@pytest.mark.parametrize("part", ["0812", "812", "7890", "3456", "081234", "+62", "62", "0"])
def test_a_part_of_a_phone_matches_no_one(cases: dict, part: str) -> None:
    assert _find(cases, part) == []


def test_a_number_that_is_no_phone_is_not_read_as_one(cases: dict) -> None:
    assert _find(cases, "0812-3456-78901234") == []  # too long for any number
    assert _find(cases, "PGD-0812-3456") == []  # a code's shape, no such case


def test_the_email_is_matched_whole_in_any_case(cases: dict) -> None:
    assert _find(cases, "siti.aminah@example.id") == ["siti"]
    assert _find(cases, "  BUDI@EXAMPLE.ID ") == ["budi"]
    assert _find(cases, "@example.id") == []
    assert _find(cases, "aminah@example.id") == []


def test_the_name_is_found_by_a_part_in_any_case(cases: dict) -> None:
    assert _find(cases, "aminah") == ["siti"]
    assert _find(cases, "DEWI") == ["anon"]
    assert _find(cases, "santoso") == ["budi"]


def test_the_tracking_code_is_found_as_typed(cases: dict) -> None:
    assert _find(cases, "pgd 7ema 0002") == ["budi"]
    assert _find(cases, "7emaOO03") == ["anon"]  # O for 0, without prefix or dashes


def test_the_nib_or_application_number_is_matched_whole(cases: dict) -> None:
    assert _find(cases, "1234567890123") == ["siti"]
    assert _find(cases, "1234 5678 90123") == ["siti"]
    assert _find(cases, "503/0123/iumk/2026") == ["budi"]
    assert _find(cases, "123456789012") == []  # one digit short
    assert _find(cases, "0123") == []
    assert _find(cases, "IUMK") == []


def test_a_lookup_keeps_the_other_filters_and_the_paging(cases: dict) -> None:
    assert _find(cases, "0812-3456-7890", status=["received"]) == ["siti"]
    assert _find(cases, "0812-3456-7890", status=["answered"]) == []
    assert _find(cases, "example.id", limit=1) == []  # an email's part is no text of the case
    assert _find(cases, "a", limit=1, offset=0) != _find(cases, "a", limit=1, offset=1)


def test_staff_find_a_case_by_phone_over_http(client: TestClient, cases: dict) -> None:
    headers = login(client, Role.KASI)
    for typed in ("0812-3456-7890", "+62 812 3456 7890", "6281234567890"):
        response = client.get("/api/v1/cases", params={"q": typed}, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["total"] == 1
        assert [i["case_id"] for i in body["items"]] == [cases["siti"]]
