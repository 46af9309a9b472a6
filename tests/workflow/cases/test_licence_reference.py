"""The licence reference a complainant named arrives with the filing and stays on the case."""

from __future__ import annotations

from fastapi.testclient import TestClient

from services.workflow.cases.steps import receive_complaint
from services.workflow.database import get_db
from services.workflow.models import Case
from shared.sop import Role
from tests.workflow.conftest import filed_message, login


def test_the_case_keeps_the_reference_and_shows_it_to_staff(
    client: TestClient, staff: dict[Role, object]
) -> None:
    message = filed_message().model_copy(update={"licence_reference": "1234567890123"})
    with get_db().transaction() as session:
        case_id = receive_complaint(session, message).id
    with get_db().sessions() as session:
        case = session.get(Case, case_id)
        assert case is not None
        assert case.licence_reference == "1234567890123"

    shown = client.get(f"/api/v1/cases/{case_id}", headers=login(client, Role.ADMIN))
    assert shown.status_code == 200, shown.text
    assert shown.json()["licence_reference"] == "1234567890123"


def test_a_filing_without_a_reference_opens_a_case_without_one(configured: dict[str, str]) -> None:
    with get_db().transaction() as session:
        case = receive_complaint(session, filed_message())
        assert case.licence_reference is None
