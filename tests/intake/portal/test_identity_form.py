"""The filing form's identity choice: explained before it is made, an anonymous complaint filed
without name or contact and its receipt saying the code and token are the only way back, and
every contradiction refused on the form (without JavaScript) with nothing stored."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from services.intake.database import get_db
from services.intake.models import Complaint
from shared.messaging.contracts import ComplaintFiledV1
from shared.sop import FIRST_STEP
from tests.intake.conftest import deliver, inbox_message, outbox_rows, row_counts, track
from tests.intake.portal.conftest import (
    assert_clean_page,
    by_id,
    complaint_form,
    form,
    open_tracking,
)

ANONYMOUS = {"identity": "anonymous", "name": "", "email": "", "phone": "", "channels": ["app"]}


def test_the_choice_is_explained_before_it_is_made(portal: TestClient) -> None:
    page = portal.get("/").text

    explained = page.index('id="penjelasan-identitas"')
    assert explained < page.index('name="identity"') < page.index('name="name"')
    said = " ".join(page[explained : page.index("<legend>Identitas pelapor")].split())
    assert "<strong>Rahasia</strong>: Anda tetap mengisi nama dan kontak" in said
    assert "hanya Admin Pengaduan yang dapat membacanya" in said
    assert "<strong>Anonim</strong>: Anda tidak mengisi nama, email maupun nomor HP" in said
    assert "satu-satunya jalan kembali" in said
    radios = re.findall(r'<input type="radio" id="([^"]+)" name="identity" value="([^"]+)"', page)
    assert radios == [
        ("identity", "shown"),
        ("identity-confidential", "confidential"),
        ("identity-anonymous", "anonymous"),
    ]
    assert re.search(r'id="identity" name="identity" value="shown" checked', page)
    assert '<label for="identity-anonymous">Anonim: tanpa nama dan kontak</label>' in page


def test_an_anonymous_complaint_filed_through_the_form_has_no_reporter(
    portal: TestClient,
) -> None:
    response = portal.post("/", data=form(portal, **complaint_form(**ANONYMOUS)))

    assert response.status_code == 200, response.text
    assert_clean_page(response)
    assert re.search(r'id="jalan-kembali".*SATU-SATUNYA jalan', response.text, re.S)
    code, token = by_id(response.text, "kode-pelacakan"), by_id(response.text, "token-akses")
    with get_db().sessions() as session:
        [stored] = session.scalars(select(Complaint)).all()
    assert (stored.identity, stored.reporter_name, stored.reporter_email) == (
        "anonymous",
        None,
        None,
    )
    arrive = next(r for r in outbox_rows() if r.task_name == FIRST_STEP.arrive_task)
    assert ComplaintFiledV1.model_validate(arrive.payload).reporter is None
    assert track(portal, code, token)["status"] == "submitted"


def test_an_anonymous_complaints_tracking_page_and_inbox_work(portal: TestClient) -> None:
    response = portal.post("/", data=form(portal, **complaint_form(**ANONYMOUS)))
    code, token = by_id(response.text, "kode-pelacakan"), by_id(response.text, "token-akses")
    assert open_tracking(portal, code, token).status_code == 303
    deliver(inbox_message(code, title="Laporan Anda sedang ditelaah", body="Yth. Bapak/Ibu,"))

    page = portal.get(f"/lacak/{code}")
    assert page.status_code == 200
    assert_clean_page(page)
    assert "Laporan Anda sedang ditelaah" in page.text
    assert "None" not in page.text


def test_a_confidential_complaint_is_filed_with_its_reporter(portal: TestClient) -> None:
    response = portal.post("/", data=form(portal, **complaint_form(identity="confidential")))

    assert response.status_code == 200, response.text
    assert 'id="jalan-kembali"' not in response.text
    with get_db().sessions() as session:
        [stored] = session.scalars(select(Complaint)).all()
    assert (stored.identity, stored.reporter_name) == ("confidential", "Budi Santoso")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {**ANONYMOUS, "name": "Budi Santoso"},
            "identity",
            "laporan anonim tidak boleh menyertakan nama, email atau nomor telepon pelapor",
        ),
        (
            {**ANONYMOUS, "phone": "0812-3456-7890"},
            "identity",
            "laporan anonim tidak boleh menyertakan nama",
        ),
        (
            {**ANONYMOUS, "channels": ["email", "app"]},
            "channels",
            "laporan anonim hanya dapat menerima kabar dan jawaban melalui aplikasi",
        ),
        ({"identity": "rahasia"}, "identity", "identitas &#39;rahasia&#39; tidak dikenal"),
        ({"identity": "confidential", "name": ""}, "name", "Nama lengkap wajib diisi"),
    ],
    ids=["anonymous_name", "anonymous_phone", "anonymous_email_channel", "unknown", "no_name"],
)
def test_a_contradiction_is_shown_on_the_form_and_changes_nothing(
    portal: TestClient, overrides: dict[str, Any], field: str, message: str
) -> None:
    before, outbox = row_counts(), outbox_rows()
    response = portal.post("/", data=form(portal, **complaint_form(**overrides)))

    assert response.status_code == 422
    assert_clean_page(response)
    assert re.search(rf'<a href="#{field}">[^<]*{re.escape(message)}', response.text)
    assert f'id="{field}-galat"' in response.text
    # What was chosen and typed is shown again, to be corrected rather than retyped.
    chosen = overrides["identity"]
    if chosen != "rahasia":
        assert re.search(rf'name="identity" value="{chosen}" checked', response.text)
    assert "Permohonan izin usaha kami sudah tiga minggu" in response.text
    assert row_counts() == before
    assert [r.id for r in outbox_rows()] == [r.id for r in outbox]
