"""Attachments in the portal: the filing form and the reply form carry files (multipart, with
their CSRF token first), the tracking page lists the complainant's own with downloads that open
for the access cookie only, and a refused file leaves the form to correct with nothing filed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from services.intake.api.app import create_app
from services.intake.database import get_db
from services.intake.models import Complaint
from shared.messaging.contracts import WORKFLOW_ATTACHMENT_TASK
from shared.web.pages import CSRF_COOKIE
from tests.intake.conftest import (
    attachment_rows,
    outbox_rows,
    row_counts,
    set_settings,
    stored_files,
)
from tests.intake.portal.conftest import (
    REQUEST_NOTE,
    by_id,
    complaint_form,
    form,
    open_tracking,
    set_status,
)
from tests.support.attachment_files import SCRIPT, has_gps, pdf, photo_with_gps


def with_files(*files: tuple[str, bytes]) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("lampiran", (name, data, "application/octet-stream")) for name, data in files]


def file_with_attachments(portal: TestClient, *files: tuple[str, bytes], **overrides: Any) -> Any:
    return portal.post(
        "/", data=form(portal, **complaint_form(**overrides)), files=with_files(*files)
    )


def test_the_filing_form_takes_files_and_says_its_limits(portal: TestClient) -> None:
    page = portal.get("/").text
    assert 'enctype="multipart/form-data"' in page
    field = re.search(r'<input id="lampiran"[^>]*>', page)
    assert field is not None
    assert 'type="file"' in field.group(0) and " multiple" in field.group(0)
    assert 'accept="image/jpeg,image/png,image/webp,image/heic' in field.group(0)
    assert "Lampiran (foto atau PDF), paling banyak 5 berkas, masing-masing 10 MB." in page
    # The token comes before any file: the CSRF check reads no further.
    assert page.index('name="csrftoken"') < page.index('name="lampiran"')


def test_a_complaint_filed_with_a_photo_and_a_pdf_lists_them_for_its_complainant(
    portal: TestClient,
) -> None:
    filed = file_with_attachments(
        portal, ("IMG_2041.jpeg", photo_with_gps()), ("surat OSS.pdf", pdf())
    )
    assert filed.status_code == 200, filed.text
    code, token = by_id(filed.text, "kode-pelacakan"), by_id(filed.text, "token-akses")
    rows = attachment_rows()
    assert sorted(r.filename for r in rows) == ["IMG_2041.jpg", "surat OSS.pdf"]
    assert len([r for r in outbox_rows() if r.task_name == WORKFLOW_ATTACHMENT_TASK]) == 2

    assert open_tracking(portal, code, token).status_code == 303
    page = portal.get(f"/lacak/{code}").text
    photo = next(r for r in rows if r.media_type == "image/jpeg")
    letter = next(r for r in rows if r.media_type == "application/pdf")
    assert f'<a href="/lacak/{code}/lampiran/{photo.id}" download>IMG_2041.jpg</a>' in page
    assert f'<a href="/lacak/{code}/lampiran/{letter.id}" download>surat OSS.pdf</a>' in page
    assert f'<img src="/lacak/{code}/lampiran/{photo.id}/kecil"' in page
    assert f"/lacak/{code}/lampiran/{letter.id}/kecil" not in page  # a PDF has no thumbnail

    got = portal.get(f"/lacak/{code}/lampiran/{photo.id}")
    assert got.status_code == 200
    assert got.headers["content-disposition"] == "attachment; filename*=UTF-8''IMG_2041.jpg"
    assert got.headers["x-content-type-options"] == "nosniff"
    assert not has_gps(got.content)
    assert portal.get(f"/lacak/{code}/lampiran/{photo.id}/kecil").status_code == 200

    # Another browser, without this complaint's access cookie, gets nothing.
    with TestClient(create_app(), base_url="https://testserver") as stranger:
        assert stranger.get(f"/lacak/{code}/lampiran/{photo.id}").status_code == 404
        assert stranger.get(f"/lacak/{code}/lampiran/{photo.id}/kecil").status_code == 404


def test_a_refused_file_leaves_the_form_with_nothing_filed(portal: TestClient) -> None:
    before = row_counts()
    refused = file_with_attachments(portal, ("foto.jpg", photo_with_gps()), ("kw.jpg", SCRIPT))
    assert refused.status_code == 422
    assert "kw.jpg: Jenis berkas tidak didukung" in refused.text
    assert 'id="lampiran-galat"' in refused.text
    assert 'value="Izin usaha belum terbit"' in refused.text  # what was typed stays
    assert row_counts() == before and stored_files() == []


def test_files_with_an_incomplete_form_are_asked_for_again(portal: TestClient) -> None:
    before = row_counts()
    refused = file_with_attachments(portal, ("foto.jpg", photo_with_gps()), subject="")
    assert refused.status_code == 422
    assert "Pokok pengaduan wajib diisi" in refused.text
    assert "Pilih kembali lampiran Anda" in refused.text
    assert row_counts() == before and stored_files() == []


def test_six_files_on_the_form_are_refused(portal: TestClient) -> None:
    before = row_counts()
    six = [(f"foto-{n}.jpg", photo_with_gps((32, 32))) for n in range(6)]
    refused = file_with_attachments(portal, *six)
    assert refused.status_code == 422
    assert "Lampiran paling banyak 5 berkas" in refused.text
    assert row_counts() == before and stored_files() == []


def test_the_same_form_sent_twice_files_and_attaches_once(portal: TestClient) -> None:
    fields = form(portal, **complaint_form(filing_key="a" * 32))
    files = with_files(("foto.jpg", photo_with_gps()))
    first = portal.post("/", data=fields, files=files)
    again = portal.post("/", data=fields, files=files)
    assert first.status_code == again.status_code == 200
    assert by_id(first.text, "kode-pelacakan") == by_id(again.text, "kode-pelacakan")
    assert len(attachment_rows()) == 1
    with get_db().sessions() as session:
        assert len(list(session.scalars(select(Complaint)))) == 1


@pytest.mark.parametrize("case", ["no-token", "wrong-token", "file-before-token"])
def test_a_multipart_form_without_its_csrf_token_first_is_refused(
    portal: TestClient, case: str
) -> None:
    before = row_counts()
    photo = ("lampiran", ("foto.jpg", photo_with_gps(), "image/jpeg"))
    fields = [(name, (None, value)) for name, value in complaint_form(channels="email").items()]
    token = portal.cookies[CSRF_COOKIE]
    body = {
        "no-token": [*fields, photo],
        "wrong-token": [("csrftoken", (None, token[:-4] + "AAAA")), *fields, photo],
        "file-before-token": [photo, ("csrftoken", (None, token)), *fields],
    }[case]
    refused = portal.post("/", files=body)
    assert refused.status_code == 403
    assert row_counts() == before and stored_files() == []


def test_the_reply_form_sends_files_with_the_reply(
    portal: TestClient, tracked: tuple[str, str]
) -> None:
    code, _ = tracked
    set_status(code, "information_requested", note=REQUEST_NOTE)
    page = portal.get(f"/lacak/{code}").text
    reply_form = page[page.index(f'action="/lacak/{code}/balasan"') :]
    assert 'enctype="multipart/form-data"' in page
    assert 'name="lampiran"' in reply_form

    sent = portal.post(
        f"/lacak/{code}/balasan",
        data=form(portal, message="Berikut kwitansi pembayaran retribusi."),
        files=with_files(("kwitansi.pdf", pdf())),
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text
    [row] = attachment_rows()
    assert row.filename == "kwitansi.pdf"
    tasks = [r.task_name for r in sorted(outbox_rows(), key=lambda r: r.created_at)]
    assert tasks.index(WORKFLOW_ATTACHMENT_TASK) < tasks.index(
        next(t for t in tasks if t.endswith("complainant_reply"))
    )
    assert "kwitansi.pdf" in portal.get(sent.headers["location"]).text


@pytest.fixture
def small_portal(
    configured: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> Iterator[TestClient]:
    set_settings(monkeypatch, attachments_max_bytes=str(32 * 1024), attachments_max_files="1")
    with TestClient(create_app(), base_url="https://testserver") as client:
        client.get("/")
        yield client


def test_a_form_body_past_its_files_limit_is_refused_with_413(small_portal: TestClient) -> None:
    before = row_counts()
    refused = file_with_attachments(small_portal, ("besar.jpg", b"\xff" * 300_000))
    assert refused.status_code == 413
    assert "Berkas yang dilampirkan terlalu besar" in refused.text
    assert row_counts() == before and stored_files() == []


def test_a_text_field_past_its_size_in_a_form_with_files_is_413(portal: TestClient) -> None:
    before = row_counts()
    refused = file_with_attachments(
        portal, ("foto.jpg", photo_with_gps()), description="a" * 200_000
    )
    assert refused.status_code == 413
    assert row_counts() == before and stored_files() == []
