"""Consent at the desk (UU 27/2022): "Catat pengaduan" shows the Admin the privacy notice to
read to the complainant and a required box "Pelapor telah diberi tahu tujuan dan menyetujui";
without it nothing is taken, with it the consent travels to intake on ComplaintTakenV1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from services.workflow.database import get_db
from services.workflow.models import StaffUser, TakenComplaint
from shared.database.shared_tables import OutboxMessage
from shared.messaging.contracts import INTAKE_TAKEN_TASK
from shared.sop import Role
from shared.wording import privacy
from tests.support.outbox import queued_payloads
from tests.workflow.console.test_taking import taking_form
from tests.workflow.console_client import log_in, open_console, post_form


@pytest.fixture
def console(configured: dict[str, str], staff: dict[Role, StaffUser]) -> Iterator[TestClient]:
    with open_console() as client:
        log_in(client, Role.ADMIN)
        yield client


def _taken() -> tuple[int, int]:
    with get_db().sessions() as session:
        return (
            session.scalar(select(func.count()).select_from(TakenComplaint)) or 0,
            session.scalar(select(func.count()).select_from(OutboxMessage)) or 0,
        )


def test_the_form_holds_the_notice_and_the_box_before_its_button(console: TestClient) -> None:
    page = console.get("/console/catat").text

    box = page.index('name="consent"')
    assert page.index("Pemberitahuan privasi") < box < page.index(">Catat laporan pengaduan<")
    assert "2 tahun setelah laporan pengaduan ditutup" in page
    assert f'<label for="consent">{privacy.DESK_CONSENT_LABEL}</label>' in page


def test_without_the_box_nothing_is_taken(console: TestClient) -> None:
    before = _taken()
    response = post_form(console, "/console/catat", taking_form(consent=""))

    assert response.status_code == 422
    assert f"Persetujuan pelapor: {privacy.CONSENT_REQUIRED_MESSAGE}" in response.text
    assert 'id="consent-galat"' in response.text
    assert 'value="Pak Slamet"' in response.text  # what the Admin typed stays
    assert _taken() == before


def test_the_consent_travels_to_intake(console: TestClient) -> None:
    response = post_form(console, "/console/catat", taking_form())

    assert response.status_code == 200, response.text
    [sent] = queued_payloads(get_db(), INTAKE_TAKEN_TASK)
    assert sent["consent"] is True
