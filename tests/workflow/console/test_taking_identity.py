"""The identity choice on the Admin Pengaduan's "Catat pengaduan": explained before it is made,
carried to intake on ComplaintTakenV1, an anonymous complaint taken without name or contact
(one typed anyway is refused on the form) and its receipt saying code and token are the only
way back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from services.workflow.database import get_db
from services.workflow.models import StaffUser
from shared.messaging.contracts import INTAKE_TAKEN_TASK
from shared.sop import Role
from tests.support.outbox import queued_payloads
from tests.workflow.console.test_taking import taking_form
from tests.workflow.console_client import log_in, open_console, post_form


@pytest.fixture
def console(configured: dict[str, str], staff: dict[Role, StaffUser]) -> Iterator[TestClient]:
    with open_console() as client:
        log_in(client, Role.ADMIN)
        yield client


def test_the_form_explains_each_identity_before_the_choice(console: TestClient) -> None:
    page = console.get("/console/catat").text
    explained = page.index('id="penjelasan-identitas"')
    assert explained < page.index('name="identity"')
    for words in ("Ditampilkan", "Rahasia", "Identitas dirahasiakan", "satu-satunya jalan kembali"):
        assert words in page
    assert 'id="identity" name="identity" value="shown" checked' in page


def test_a_confidential_complaint_is_taken_with_its_identity(console: TestClient) -> None:
    response = post_form(console, "/console/catat", taking_form(identity="confidential"))

    assert response.status_code == 200, response.text
    [sent] = queued_payloads(get_db(), INTAKE_TAKEN_TASK)
    assert sent["identity"] == "confidential"
    assert sent["reporter"]["name"] == "Pak Slamet"
    assert "Pak Slamet" in response.text  # the receipt is the complainant's own paper
    assert "Rahasia: hanya Admin Pengaduan yang membaca nama dan kontak Anda" in response.text
    assert 'id="jalan-kembali"' not in response.text


def test_an_anonymous_complaint_is_taken_without_reporter(console: TestClient) -> None:
    form = taking_form(identity="anonymous", name="", phone="", channels=["app"])

    response = post_form(console, "/console/catat", form)

    assert response.status_code == 200, response.text
    [sent] = queued_payloads(get_db(), INTAKE_TAKEN_TASK)
    assert (sent["identity"], sent["reporter"]) == ("anonymous", None)
    assert 'id="nama-pengadu">Anonim<' in response.text
    assert 'id="identitas">Anonim: tanpa nama dan kontak<' in response.text
    assert "satu-satunya jalan kembali" in response.text
    again = console.get(f"/console/catat/{form['taking_id']}/tanda-terima").text
    assert "satu-satunya jalan kembali" in again


def test_an_anonymous_complaint_with_a_name_or_sms_is_refused_on_the_form(
    console: TestClient,
) -> None:
    named = post_form(console, "/console/catat", taking_form(identity="anonymous"))
    assert named.status_code == 422
    assert "laporan anonim tidak boleh menyertakan nama" in named.text
    assert 'value="anonymous" checked' in named.text  # the choice is kept on the form

    by_sms = taking_form(identity="anonymous", name="", phone="", channels=["sms"])
    refused = post_form(console, "/console/catat", by_sms)
    assert refused.status_code == 422
    assert "laporan anonim hanya dapat menerima kabar" in refused.text
    assert queued_payloads(get_db(), INTAKE_TAKEN_TASK) == []
