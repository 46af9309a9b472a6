"""Consent to the privacy notice (UU 27/2022): the portal's form states the purpose, what is kept
and by whom, for how long and the complainant's rights, before its submit button, and files
nothing without its box ticked; the API refuses ``"consent": false`` and records an absent
consent as not given; a complaint the Admin took carries the consent the console asked for."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from services.intake.database import get_db
from services.intake.models import Complaint
from shared.messaging.contracts.codes import new_access_token
from shared.runtime.settings import get_settings
from shared.wording import privacy
from tests.intake.conftest import NOTHING, complaint_body, row_counts
from tests.intake.filing.test_taken import RECEIPT_CODE, take, taken_message
from tests.intake.portal.conftest import by_id, complaint_form, form


def _stored() -> Complaint:
    with get_db().sessions() as session:
        [stored] = session.scalars(select(Complaint)).all()
        return stored


def test_the_form_states_the_notice_before_its_submit_button(portal: TestClient) -> None:
    page = portal.get("/").text

    notice = page.index('id="pemberitahuan-privasi"')
    box = page.index('name="consent"')
    assert page.index('name="description"') < notice < box < page.index('type="submit"')
    said = " ".join(page[notice:box].split())
    assert "UU Nomor 27 Tahun 2022" in said
    assert "menangani laporan pengaduan ini dan menyampaikan kabar serta jawabannya" in said
    assert "disimpan oleh layanan Sistem Pengaduan kantor ini" in said
    assert "hanya Admin Pengaduan yang membaca nama dan kontak Anda" in said  # rahasia
    assert "2 tahun setelah laporan pengaduan ditutup" in said
    assert "mengunduh salinan seluruh data Anda" in said
    assert "meminta data pribadi Anda dihapus lebih awal" in said
    assert f'<label for="consent">{privacy.CONSENT_LABEL}</label>' in page
    assert not re.search(r'id="consent"[^>]*checked', page)  # never ticked for them


def test_the_notice_names_the_retention_the_office_set(
    portal: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same setting the daily erasure sweep erases after (shared.runtime.settings.privacy).
    monkeypatch.setenv("PENGADUAN_PRIVACY_RETENTION_DAYS", "1095")
    get_settings.cache_clear()

    said = " ".join(portal.get("/").text.split())

    assert "3 tahun setelah laporan pengaduan ditutup" in said
    assert "2 tahun" not in said


def test_without_the_box_ticked_nothing_is_filed_and_the_box_is_marked(
    portal: TestClient,
) -> None:
    response = portal.post("/", data=form(portal, **complaint_form(consent="")))

    assert response.status_code == 422
    assert row_counts() == NOTHING
    error = by_id(response.text, "consent-galat")
    assert error == f"Persetujuan: {privacy.CONSENT_REQUIRED_MESSAGE}"
    assert 'href="#consent"' in response.text  # the summary leads to the box
    assert 'class="field has-error"' in response.text
    assert 'value="Izin usaha belum terbit"' in response.text  # what they typed is kept


def test_the_form_records_the_consent_with_the_notices_version(portal: TestClient) -> None:
    before = datetime.now(UTC)
    response = portal.post("/", data=form(portal, **complaint_form()))

    assert response.status_code == 200, response.text
    stored = _stored()
    assert stored.privacy_notice_version == privacy.NOTICE_VERSION
    assert stored.consent_at is not None
    assert stored.consent_at == stored.created_at >= before


def test_the_api_refuses_a_consent_refused_and_stores_nothing(client: TestClient) -> None:
    response = client.post("/api/v1/complaints", json=complaint_body(consent=False))

    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "consent"
    assert privacy.CONSENT_REQUIRED_MESSAGE in error["message"]
    assert row_counts() == NOTHING


def test_the_api_records_a_consent_given_and_one_not_sent_as_not_given(
    client: TestClient,
) -> None:
    given = client.post("/api/v1/complaints", json=complaint_body(consent=True))
    assert given.status_code == 202, given.text
    absent = client.post("/api/v1/complaints", json=complaint_body())
    assert absent.status_code == 202, absent.text

    with get_db().sessions() as session:
        rows = {
            c.tracking_code: (c.consent_at is not None, c.privacy_notice_version)
            for c in session.scalars(select(Complaint))
        }
    assert rows == {
        given.json()["tracking_code"]: (True, privacy.NOTICE_VERSION),
        absent.json()["tracking_code"]: (False, None),
    }


def test_the_docs_say_what_consent_means(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()["components"]["schemas"]["ComplaintIn"]
    said = schema["properties"]["consent"]["description"]
    assert "`false` ditolak (422)" in said
    assert "dicatat sebagai tidak diberikan" in said


def test_a_taken_complaint_carries_the_consent_given_at_the_desk(client: TestClient) -> None:
    at = datetime(2026, 12, 7, 3, 15, tzinfo=UTC)
    assert take(taken_message(new_access_token(), occurred_at=at, consent=True)) == "applied"
    stored = _stored()
    assert (stored.tracking_code, stored.consent_at) == (RECEIPT_CODE, at)
    assert stored.privacy_notice_version == privacy.NOTICE_VERSION


def test_a_taken_complaint_from_before_the_question_has_no_consent(client: TestClient) -> None:
    assert take(taken_message(new_access_token())) == "applied"
    stored = _stored()
    assert (stored.consent_at, stored.privacy_notice_version) == (None, None)
