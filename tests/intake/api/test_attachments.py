"""Attachments through the citizens' API: a photo and a PDF attached with the access token,
listed, downloaded (the photo without its GPS position) and announced to the workflow through
the outbox; refused when the complaint has gone past filing, when full, or for another token;
and nothing kept of an upload whose transaction fails."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from services.intake.api.app import create_app
from services.intake.database import get_db
from services.intake.filing import attachments as attachments_module
from services.intake.models import Complaint
from shared.messaging.celery_app import task_routes
from shared.messaging.contracts import WORKFLOW_ATTACHMENT_TASK, AttachmentAddedV1
from shared.sop import FIRST_STEP, complainant_desk
from tests.intake.conftest import (
    attachment_rows,
    file,
    headers,
    outbox_rows,
    set_settings,
    stored_files,
    track,
    upload,
)
from tests.support.attachment_files import has_gps, pdf, photo_with_gps


def set_status(tracking_code: str, status: str) -> None:
    with get_db().transaction() as session:
        session.execute(
            update(Complaint).where(Complaint.tracking_code == tracking_code).values(status=status)
        )


@pytest.fixture
def generous(configured: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    set_settings(monkeypatch, tracking_limit="1000/minute")


@pytest.fixture
def api(generous: None) -> Iterator[TestClient]:
    with TestClient(create_app()) as client:
        yield client


def test_a_photo_and_a_pdf_are_attached_listed_and_downloaded(api: TestClient) -> None:
    filed = file(api)
    photo = upload(api, filed, "IMG_2041.jpeg", photo_with_gps())
    assert photo.status_code == 201, photo.text
    body = photo.json()
    assert set(body) == {"id", "filename", "media_type", "size"}
    assert body["filename"] == "IMG_2041.jpg"
    assert body["media_type"] == "image/jpeg"
    letter = upload(api, filed, "surat balasan OSS.pdf", pdf())
    assert letter.status_code == 201, letter.text
    assert letter.json()["media_type"] == "application/pdf"

    code, auth = filed["tracking_code"], headers(filed)
    listed = api.get(f"/api/v1/complaints/{code}/attachments", headers=auth).json()
    assert [a["id"] for a in listed] == [body["id"], letter.json()["id"]]
    assert track(api, code, filed["access_token"])["attachments"] == listed

    got = api.get(f"/api/v1/complaints/{code}/attachments/{body['id']}", headers=auth)
    assert got.status_code == 200
    assert got.headers["content-type"] == "image/jpeg"
    assert got.headers["content-disposition"] == (
        "attachment; filename=\"IMG_2041.jpg\"; filename*=UTF-8''IMG_2041.jpg"
    )
    assert got.headers["x-content-type-options"] == "nosniff"
    assert len(got.content) == body["size"]
    assert not has_gps(got.content)
    thumb = api.get(f"/api/v1/complaints/{code}/attachments/{body['id']}/thumbnail", headers=auth)
    assert thumb.status_code == 200
    assert thumb.headers["content-type"] == "image/jpeg"
    assert thumb.headers["content-disposition"].startswith("attachment; filename=")
    assert thumb.headers["x-content-type-options"] == "nosniff"

    pdf_id = letter.json()["id"]
    got_pdf = api.get(f"/api/v1/complaints/{code}/attachments/{pdf_id}", headers=auth)
    assert got_pdf.content == pdf()
    assert got_pdf.headers["content-disposition"] == (
        'attachment; filename="surat balasan OSS.pdf"; '
        f"filename*=UTF-8''{quote('surat balasan OSS.pdf', safe='')}"
    )
    assert (
        api.get(f"/api/v1/complaints/{code}/attachments/{pdf_id}/thumbnail", headers=auth)
    ).status_code == 404


def test_each_attachment_is_announced_to_the_complainant_desk_in_the_same_commit(
    api: TestClient,
) -> None:
    filed = file(api)
    body = upload(api, filed, "foto.jpg", photo_with_gps()).json()

    [row] = attachment_rows()
    [sent] = [r for r in outbox_rows() if r.task_name == WORKFLOW_ATTACHMENT_TASK]
    message = AttachmentAddedV1.model_validate(sent.payload)
    assert message.tracking_code == filed["tracking_code"]
    assert str(message.attachment.attachment_id) == body["id"] == row.id
    assert str(message.message_id) == row.message_id
    assert message.attachment.sha256 == row.sha256
    assert message.attachment.thumbnail_sha256 == row.thumbnail_sha256 is not None
    original = next(p for p in stored_files() if p.parent.name == "originals")
    assert hashlib.sha256(original.read_bytes()).hexdigest() == row.sha256
    assert message.occurred_at == row.created_at
    assert task_routes()[WORKFLOW_ATTACHMENT_TASK]["queue"] == complainant_desk().value


@pytest.mark.parametrize("status", ["submitted", FIRST_STEP.status, "information_requested"])
def test_files_are_taken_at_filing_and_while_information_is_asked(
    api: TestClient, status: str
) -> None:
    filed = file(api)
    set_status(filed["tracking_code"], status)
    assert upload(api, filed, "foto.jpg", photo_with_gps()).status_code == 201


@pytest.mark.parametrize("status", ["verifying", "information_supplied", "answered", "declined"])
def test_files_are_refused_past_filing(api: TestClient, status: str) -> None:
    filed = file(api)
    set_status(filed["tracking_code"], status)
    refused = upload(api, filed, "foto.jpg", photo_with_gps())
    assert refused.status_code == 409
    assert refused.json() == {
        "code": "attachments_closed",
        "message": attachments_module.NOT_NOW_MESSAGE,
    }
    assert attachment_rows() == [] and stored_files() == []


def test_a_sixth_file_is_refused_when_five_are_allowed(api: TestClient) -> None:
    filed = file(api)
    for n in range(5):
        assert upload(api, filed, f"foto-{n}.jpg", photo_with_gps()).status_code == 201
    files_before = stored_files()

    refused = upload(api, filed, "foto-6.jpg", photo_with_gps())

    assert refused.status_code == 409
    assert refused.json()["message"] == (
        "Lampiran paling banyak 5 berkas untuk setiap laporan pengaduan"
    )
    assert len(attachment_rows()) == 5 and stored_files() == files_before


def test_another_token_gets_the_same_404_as_the_tracking_read(api: TestClient) -> None:
    mine, other = file(api), file(api)
    body = upload(api, mine, "foto.jpg", photo_with_gps()).json()
    code = mine["tracking_code"]
    expected = api.get(f"/api/v1/complaints/{code}", headers=headers(other))
    assert expected.status_code == 404

    for response in (
        upload(api, mine, "foto.jpg", photo_with_gps(), token=other["access_token"]),
        api.get(f"/api/v1/complaints/{code}/attachments", headers=headers(other)),
        api.get(f"/api/v1/complaints/{code}/attachments/{body['id']}", headers=headers(other)),
        # Another complaint's attachment under its own token: as if it did not exist.
        api.get(
            f"/api/v1/complaints/{other['tracking_code']}/attachments/{body['id']}",
            headers=headers(other),
        ),
    ):
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert len(attachment_rows()) == 1


@pytest.fixture
def small_files(
    configured: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> Iterator[TestClient]:
    set_settings(monkeypatch, attachments_max_bytes=str(64 * 1024))
    with TestClient(create_app()) as client:
        yield client


def test_a_body_past_the_file_limit_is_refused_before_it_is_read(
    small_files: TestClient,
) -> None:
    filed = file(small_files)
    path = f"/api/v1/complaints/{filed['tracking_code']}/attachments"
    declared = small_files.post(
        path,
        content=b"x" * 10,
        headers={
            **headers(filed),
            "Content-Type": "multipart/form-data; boundary=b",
            "Content-Length": str(10 * 2**20),
        },
    )
    assert declared.status_code == 413
    assert declared.json()["code"] == "payload_too_large"

    def chunks() -> Iterator[bytes]:
        yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\n'
        for _ in range(200):  # 12.5 MB if it were all read; refused after about 80 kB
            yield b"\xff" * 65536

    streamed = small_files.post(
        path,
        content=chunks(),
        headers={**headers(filed), "Content-Type": "multipart/form-data; boundary=b"},
    )
    assert streamed.status_code == 413
    assert "Berkas terlalu besar" in streamed.json()["message"]
    assert attachment_rows() == [] and stored_files() == []

    # A file just over the limit, inside the body's room for framing: the library's 413.
    over = upload(small_files, filed, "foto.jpg", b"\xff\xd8\xff" + b"\x00" * (64 * 1024))
    assert over.status_code == 413
    assert over.json()["code"] == "file_too_large"


def test_a_transaction_that_fails_leaves_no_file_in_the_store(
    configured: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_outbox(*_: Any) -> None:
        raise RuntimeError("the outbox insert failed")

    with TestClient(create_app(), raise_server_exceptions=False) as client:
        filed = file(client)
        monkeypatch.setattr(attachments_module, "enqueue", broken_outbox)
        failed = upload(client, filed, "foto.jpg", photo_with_gps())
    assert failed.status_code == 500
    assert attachment_rows() == []
    assert stored_files() == []
