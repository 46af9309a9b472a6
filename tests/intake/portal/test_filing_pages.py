"""The citizens' portal, in-process: filing through the form (the same rules, the same outbox as
the JSON API), refusing bad input in Indonesian without a trace, the one-time token page."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.intake.portal.forms import UNREADABLE_MESSAGE
from shared.messaging.contracts import ComplaintFiledV1
from shared.sop import FIRST_STEP, STATUS_LABELS
from shared.web.pages import CSRF_COOKIE, MAX_FORM_BYTES
from tests.intake.conftest import outbox_rows, row_counts, track
from tests.intake.portal.conftest import (
    LABELS,
    assert_clean_page,
    by_id,
    complaint_form,
    form,
    open_tracking,
    set_status,
)


def test_the_form_labels_every_field_and_ties_hints_to_them(portal: TestClient) -> None:
    page = portal.get("/")
    assert page.status_code == 200
    assert_clean_page(page)
    assert "<h1>Ajukan laporan pengaduan</h1>" in page.text
    for field_id, label in LABELS.items():
        assert re.search(rf'<label for="{field_id}">{re.escape(label)}[ <]', page.text), field_id
        assert f'id="{field_id}"' in page.text
    assert 'aria-describedby="phone-petunjuk"' in page.text
    assert 'name="csrftoken"' in page.text
    assert ">Kirim laporan pengaduan</button>" in page.text
    assert "/static/portal.css?v=" in page.text


def test_filing_through_the_form_files_once_and_hands_over_code_and_token(
    portal: TestClient,
) -> None:
    before = row_counts()
    response = portal.post("/", data=form(portal, **complaint_form()))

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert_clean_page(response)
    assert "Laporan pengaduan diterima" in response.text
    assert by_id(response.text, "status") == STATUS_LABELS["submitted"]
    assert "hanya ditampilkan sekali" in response.text
    code, token = by_id(response.text, "kode-pelacakan"), by_id(response.text, "token-akses")
    after = row_counts()
    assert after["complaints"] == before["complaints"] + 1
    assert after["outbox"] == before["outbox"] + 2  # the workflow's step 1 and the notifier
    arrive = next(r for r in outbox_rows() if r.task_name == FIRST_STEP.arrive_task)
    handed = ComplaintFiledV1.model_validate(arrive.payload)
    assert handed.tracking_code == code
    assert handed.reporter.phone == "+6281234567890"
    assert handed.licence_reference == "503/0123/IUMK/2026"
    # The token opens the JSON API, like one the API handed out.
    assert track(portal, code, token)["licence_reference"] == "503/0123/IUMK/2026"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": "  "}, "name", "Nama lengkap wajib diisi"),
        ({"email": "budi@"}, "email", "Email: alamat email &#39;budi@&#39; tidak valid"),
        ({"phone": "12345"}, "phone", "Nomor HP: nomor telepon &#39;12345&#39; tidak valid"),
        ({"channels": []}, "channels", "Pilih minimal satu saluran jawaban"),
        ({"channels": ["sms"], "phone": ""}, "channels", "nomor telepon pelapor tidak diisi"),
        ({"subject": "x" * 201}, "subject", "terlalu panjang (maksimal 200 karakter)"),
        ({"licence_reference": "NIB: 123"}, "licence_reference", "hanya boleh berisi huruf"),
    ],
)
def test_bad_input_is_shown_on_its_field_and_changes_nothing(
    portal: TestClient, overrides: dict[str, Any], field: str, message: str
) -> None:
    before, outbox = row_counts(), outbox_rows()
    response = portal.post("/", data=form(portal, **complaint_form(**overrides)))

    assert response.status_code == 422
    assert_clean_page(response)
    assert 'id="ringkasan-galat"' in response.text
    assert re.search(rf'<a href="#{field}">[^<]*{re.escape(message)}', response.text)
    assert f'id="{field}-galat"' in response.text
    assert 'value="Budi Santoso"' in response.text or field == "name"
    assert "Permohonan izin usaha kami sudah tiga minggu" in response.text
    assert row_counts() == before
    assert [r.id for r in outbox_rows()] == [r.id for r in outbox]


@pytest.mark.parametrize("name", [b"Budi\xff", b"Budi%FF"])
def test_a_form_that_is_not_utf8_is_refused_and_changes_nothing(
    portal: TestClient, name: bytes
) -> None:
    before = row_counts()
    body = b"csrftoken=" + portal.cookies[CSRF_COOKIE].encode() + b"&name=" + name
    response = portal.post(
        "/", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 422
    assert UNREADABLE_MESSAGE in response.text
    assert row_counts() == before


def test_an_oversized_form_is_refused_unread_and_changes_nothing(portal: TestClient) -> None:
    before = row_counts()
    fields = complaint_form(description="a" * MAX_FORM_BYTES)
    response = portal.post("/", data=form(portal, **fields))
    assert response.status_code == 413
    assert "terlalu besar" in response.text
    assert row_counts() == before


def test_a_post_without_its_csrf_token_is_refused_and_changes_nothing(portal: TestClient) -> None:
    before = row_counts()
    response = portal.post("/", data=complaint_form())
    assert response.status_code == 403
    assert "kedaluwarsa" in response.text
    assert row_counts() == before


def test_the_portal_scripts_and_stylesheet_are_served_here(portal: TestClient) -> None:
    for name, kind in (
        ("portal.css", "text/css"),
        ("portal.js", "javascript"),
        ("lacak.js", "javascript"),
    ):
        response = portal.get(f"/static/{name}")
        assert response.status_code == 200, name
        assert kind in response.headers["content-type"]


def test_the_same_form_sent_twice_files_once_and_shows_the_same_receipt(
    portal: TestClient,
) -> None:
    page = portal.get("/").text
    key = re.search(r'name="filing_key" value="([0-9a-f]{32})"', page)
    assert key, "the form carries no one-time key"
    before = row_counts()
    sent = form(portal, **complaint_form(), filing_key=key.group(1))
    first, again = portal.post("/", data=sent), portal.post("/", data=sent)  # a reload
    assert first.status_code == again.status_code == 200
    receipt = (by_id(first.text, "kode-pelacakan"), by_id(first.text, "token-akses"))
    assert (by_id(again.text, "kode-pelacakan"), by_id(again.text, "token-akses")) == receipt
    assert row_counts()["complaints"] == before["complaints"] + 1


def test_the_receipt_says_received_until_the_workflow_has_registered_the_laporan(
    portal: TestClient,
) -> None:
    sent = form(portal, **complaint_form(), filing_key=uuid.uuid4().hex)
    first = portal.post("/", data=sent)
    code, token = by_id(first.text, "kode-pelacakan"), by_id(first.text, "token-akses")
    assert by_id(first.text, "status") == STATUS_LABELS["submitted"]
    assert "diterima" in STATUS_LABELS["submitted"]
    for claim in ("teregister", "terdaftar", "diteruskan"):
        assert claim not in first.text, claim  # nothing the workflow has not done yet

    set_status(code, FIRST_STEP.status, sequence=2)  # the step-1 arrival's update, applied
    again = portal.post("/", data=sent)  # the receipt reloaded
    assert (by_id(again.text, "kode-pelacakan"), by_id(again.text, "token-akses")) == (
        code,
        token,
    )
    registered = by_id(again.text, "status")
    assert registered == STATUS_LABELS[FIRST_STEP.status]
    assert "teregister pada Sistem Pengaduan" in registered
    assert "diteruskan kepada Admin Pengaduan" in registered
    # The tracking page says the same.
    assert open_tracking(portal, code, token).status_code == 303
    assert by_id(portal.get(f"/lacak/{code}").text, "status") == registered


def test_a_changed_form_sent_with_the_old_key_is_a_new_complaint(portal: TestClient) -> None:
    key = uuid.uuid4().hex
    first = portal.post("/", data=form(portal, **complaint_form(), filing_key=key))
    changed = complaint_form(subject="Izin reklame belum terbit")
    second = portal.post("/", data=form(portal, **changed, filing_key=key))
    assert first.status_code == second.status_code == 200
    assert by_id(first.text, "kode-pelacakan") != by_id(second.text, "kode-pelacakan")


def test_a_form_that_fails_validation_keeps_its_key(portal: TestClient) -> None:
    key = uuid.uuid4().hex
    refused = portal.post("/", data=form(portal, **complaint_form(name=""), filing_key=key))
    assert refused.status_code == 422
    assert f'name="filing_key" value="{key}"' in refused.text
