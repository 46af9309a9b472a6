"""Staff type tracking codes too (issue 21, item 6): the console's search, the API's ``q`` and a
duplicate's ``original_tracking_code`` read a code with or without dashes, in lower case, with O
for 0 and I or L for 1."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from services.workflow.cases.paths import take_path
from services.workflow.cases.steps import receive_complaint
from services.workflow.database import get_db
from services.workflow.models import Case, StaffUser
from shared.sop import Role
from tests.workflow.conftest import filed_message, login
from tests.workflow.console_client import log_in, open_console

CODE = "PGD-0110-7RZG"
OTHER = "PGD-7KQ2-M9XD"
TYPED = ["PGD01107RZG", "pgd 0110 7rzg", "pgd-oilo-7rzg", "0110-7RZG"]


@pytest.fixture
def cases(staff: dict[Role, StaffUser]) -> dict[str, str]:
    with get_db().transaction() as session:
        return {code: receive_complaint(session, filed_message(code)).id for code in (CODE, OTHER)}


@pytest.mark.parametrize("typed", TYPED)
def test_the_console_search_finds_a_code_typed_loosely(cases: dict[str, str], typed: str) -> None:
    with open_console() as console:
        log_in(console, Role.KASI)
        found = console.get("/console/cari", params={"q": typed})
    assert "Hasil: 1 laporan pengaduan" in found.text
    assert f'href="/console/kasus/{cases[CODE]}"' in found.text


def test_the_api_search_finds_a_code_typed_loosely(
    cases: dict[str, str], client: TestClient
) -> None:
    response = client.get(
        "/api/v1/cases", params={"q": "pgd oilo 7rzg"}, headers=login(client, Role.ADMIN)
    )
    assert [item["tracking_code"] for item in response.json()["items"]] == [CODE]


def test_a_duplicate_names_its_original_as_typed(
    cases: dict[str, str], staff: dict[Role, StaffUser]
) -> None:
    with get_db().transaction() as session:
        take_path(
            session,
            case_id=cases[OTHER],
            step_number=1,
            name="mark_duplicate",
            user=staff[Role.ADMIN],
            payload={"original_tracking_code": "pgd oilo 7rzg"},
        )
    with get_db().sessions() as session:
        duplicate = session.scalars(select(Case).where(Case.tracking_code == OTHER)).one()
        assert (duplicate.status, duplicate.duplicate_of) == ("duplicate", cases[CODE])
