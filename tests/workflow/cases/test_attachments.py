"""The complainant's files on the workflow side: kept once per announcement even when it comes
before the case, listed and served to staff (API and console) from the real directory store,
checked against the digest intake sent; a lost or altered file is a clear 502, never a 500."""

from __future__ import annotations

import hashlib
import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import func, select

from services.workflow import dependencies
from services.workflow.cases.attachments import attach
from services.workflow.cases.notifications import CaseNotYetRegistered
from services.workflow.cases.steps import receive_complaint
from services.workflow.database import get_db
from services.workflow.models import Case, CaseAttachment, CaseEvent, StaffUser
from services.workflow.tasks import attachment_added
from shared.attachments import StoreUnavailable, open_store, original_key, thumbnail_key
from shared.messaging.celery_app import get_celery
from shared.messaging.consumer import consume_once
from shared.messaging.contracts import (
    WORKFLOW_ATTACHMENT_TASK,
    AttachmentAddedV1,
    AttachmentRefV1,
)
from shared.sop import Role, complainant_desk
from tests.workflow.conftest import filed_message, login
from tests.workflow.console_client import log_in, open_console

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _jpeg(size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 60, 30)).save(out, "JPEG")
    return out.getvalue()


@dataclass(frozen=True)
class Stored:
    message: AttachmentAddedV1
    content: bytes
    thumbnail: bytes | None


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stored(
    filename: str, media_type: str, content: bytes, thumbnail: bytes | None = None
) -> Stored:
    """A file as intake leaves it: its bytes (and thumbnail) in the store, its announcement."""
    attachment_id = uuid.uuid4()
    store = open_store()
    store.put(original_key(attachment_id), content, media_type)
    if thumbnail is not None:
        store.put(thumbnail_key(attachment_id), thumbnail, "image/jpeg")
    message = AttachmentAddedV1(
        tracking_code="PGD-TEST-0001",
        attachment=AttachmentRefV1(
            attachment_id=attachment_id,
            filename=filename,
            media_type=media_type,
            size=len(content),
            sha256=_digest(content),
            thumbnail_sha256=_digest(thumbnail) if thumbnail is not None else None,
        ),
    )
    return Stored(message, content, thumbnail)


def _counts() -> tuple[int, int]:
    with get_db().sessions() as session:
        rows = session.scalar(select(func.count()).select_from(CaseAttachment)) or 0
        events = session.scalar(
            select(func.count()).select_from(CaseEvent).where(CaseEvent.kind == "attachment_added")
        )
        return rows, events or 0


def _apply(message: AttachmentAddedV1) -> str:
    return consume_once(get_db(), WORKFLOW_ATTACHMENT_TASK, message, attach)


@pytest.fixture
def photo(configured: dict[str, str]) -> Stored:
    return stored("foto toko — depan.jpg", "image/jpeg", _jpeg((800, 600)), _jpeg((320, 240)))


@pytest.fixture
def pdf(configured: dict[str, str]) -> Stored:
    return stored("surat izin.pdf", "application/pdf", PDF)


def test_the_task_is_routed_to_the_complainant_desks_queue() -> None:
    route = get_celery().amqp.router.route({}, WORKFLOW_ATTACHMENT_TASK)
    assert route["queue"].name == complainant_desk().value == "admin"
    assert attachment_added.name == WORKFLOW_ATTACHMENT_TASK
    assert CaseNotYetRegistered in attachment_added.retry_for
    # Short countdowns: each far below any broker visibility timeout (DESIGN.md).
    assert attachment_added.retry_backoff_max <= 10


def test_a_file_announced_before_its_case_waits_then_is_kept_once(
    photo: Stored, staff: dict[Role, StaffUser]
) -> None:
    with pytest.raises(CaseNotYetRegistered):
        _apply(photo.message)
    assert _counts() == (0, 0)  # nothing half-written: the try rolled back

    with get_db().transaction() as session:
        receive_complaint(session, filed_message())
    assert _apply(photo.message) == "applied"
    assert _apply(photo.message) == "duplicate"  # redelivered
    # The same file announced again under another message id adds nothing either.
    again = photo.message.model_copy(update={"message_id": uuid.uuid4()})
    assert _apply(again) == "applied"
    assert _counts() == (1, 1)

    with get_db().sessions() as session:
        case = session.scalars(select(Case)).one()
        [event] = session.scalars(select(CaseEvent).where(CaseEvent.kind == "attachment_added"))
        assert event.actor == "pengadu"  # as the filing and the replies name the complainant
        assert event.output == {
            "attachment_id": str(photo.message.attachment.attachment_id),
            "filename": "foto toko — depan.jpg",
            "media_type": "image/jpeg",
            "size": len(photo.content),
        }
        assert event.case_id == case.id


@pytest.fixture
def case_with_files(
    photo: Stored, pdf: Stored, staff: dict[Role, StaffUser]
) -> Iterator[tuple[str, Stored, Stored]]:
    with get_db().transaction() as session:
        case = receive_complaint(session, filed_message())
    _apply(photo.message)
    _apply(pdf.message)
    yield case.id, photo, pdf


def _file_url(case_id: str, item: Stored, suffix: str = "") -> str:
    return f"/api/v1/cases/{case_id}/attachments/{item.message.attachment.attachment_id}{suffix}"


def _assert_download(response: httpx.Response, media_type: str, disposition: str) -> None:
    """A download with the stored type, never sniffed, run or kept in a shared cache."""
    assert response.status_code == 200, response.text
    headers = response.headers
    assert headers["content-type"] == media_type
    assert headers["content-disposition"].startswith("attachment; filename=")
    assert headers["content-disposition"].endswith(f"; {disposition}")
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert "no-store" in headers["cache-control"]


def test_staff_list_and_download_the_files(
    client: TestClient, case_with_files: tuple[str, Stored, Stored]
) -> None:
    case_id, photo, pdf = case_with_files
    headers = login(client, Role.KOORDINATOR)  # any active staff member reads
    listed = client.get(f"/api/v1/cases/{case_id}/attachments", headers=headers)
    assert listed.status_code == 200
    by_name = {a["filename"]: a for a in listed.json()}
    assert by_name.keys() == {"foto toko — depan.jpg", "surat izin.pdf"}
    assert by_name["surat izin.pdf"]["media_type"] == "application/pdf"
    assert by_name["surat izin.pdf"]["size"] == len(PDF)
    assert by_name["surat izin.pdf"]["links"] == {
        "content": _file_url(case_id, pdf),
        "thumbnail": None,
    }
    assert by_name["foto toko — depan.jpg"]["links"]["thumbnail"] == _file_url(
        case_id, photo, "/thumbnail"
    )

    got = client.get(_file_url(case_id, pdf), headers=headers)
    _assert_download(got, "application/pdf", "filename*=UTF-8''surat%20izin.pdf")
    assert got.content == PDF
    got = client.get(_file_url(case_id, photo), headers=headers)
    _assert_download(got, "image/jpeg", "filename*=UTF-8''foto%20toko%20%E2%80%94%20depan.jpg")
    assert got.content == photo.content
    small = client.get(_file_url(case_id, photo, "/thumbnail"), headers=headers)
    _assert_download(
        small,
        "image/jpeg",
        "filename*=UTF-8''foto%20toko%20%E2%80%94%20depan-kecil.jpg",
    )
    assert small.content == photo.thumbnail
    assert client.get(_file_url(case_id, pdf, "/thumbnail"), headers=headers).status_code == 404


def test_no_token_401_and_anothers_case_or_an_unknown_file_404(
    client: TestClient, case_with_files: tuple[str, Stored, Stored]
) -> None:
    case_id, photo, _pdf = case_with_files
    assert client.get(f"/api/v1/cases/{case_id}/attachments").status_code == 401
    assert client.get(_file_url(case_id, photo)).status_code == 401
    headers = login(client, Role.ADMIN)
    with get_db().transaction() as session:
        other = receive_complaint(session, filed_message("PGD-TEST-0002"))
    for url in (
        _file_url(other.id, photo),  # a file of another case
        _file_url(other.id, photo, "/thumbnail"),
        f"/api/v1/cases/{case_id}/attachments/{uuid.uuid4()}",
        f"/api/v1/cases/{case_id}/attachments/bukan-id",
        f"/api/v1/cases/{uuid.uuid4()}/attachments",
    ):
        response = client.get(url, headers=headers)
        assert response.status_code == 404, url
        assert response.json()["code"] in ("attachment_not_found", "case_not_found")
    assert client.get(f"/api/v1/cases/{other.id}/attachments", headers=headers).json() == []


def test_a_lost_or_altered_file_is_a_clear_502(
    client: TestClient, case_with_files: tuple[str, Stored, Stored]
) -> None:
    case_id, photo, pdf = case_with_files
    headers = login(client, Role.KASI)
    store = open_store()
    store.put(original_key(pdf.message.attachment.attachment_id), PDF + b"tampered", "x")
    store.delete(original_key(photo.message.attachment.attachment_id))

    altered = client.get(_file_url(case_id, pdf), headers=headers)
    assert altered.status_code == 502
    assert altered.json()["code"] == "attachment_unavailable"
    assert "rusak" in altered.json()["message"]
    lost = client.get(_file_url(case_id, photo), headers=headers)
    assert lost.status_code == 502
    assert "tidak ada di penyimpanan" in lost.json()["message"]
    # The thumbnail is still whole, and served.
    assert client.get(_file_url(case_id, photo, "/thumbnail"), headers=headers).status_code == 200


def test_the_case_page_shows_the_files_and_serves_them_to_a_logged_in_member(
    case_with_files: tuple[str, Stored, Stored],
) -> None:
    case_id, photo, pdf = case_with_files
    photo_url = f"/console/kasus/{case_id}/lampiran/{photo.message.attachment.attachment_id}"
    pdf_url = f"/console/kasus/{case_id}/lampiran/{pdf.message.attachment.attachment_id}"
    with open_console() as console:
        assert console.get(photo_url).status_code == 303  # not logged in: to the login page
        log_in(console, Role.KASI)
        page = console.get(f"/console/kasus/{case_id}").text
        assert '<h2 id="judul-lampiran">Lampiran</h2>' in page
        assert "foto toko — depan.jpg" in page
        assert "Foto JPEG" in page
        assert "Dokumen PDF, 48 bita" in page
        assert f'<img src="{photo_url}/gambar-kecil"' in page
        assert f'href="{pdf_url}"' in page
        assert "Pengadu melampirkan berkas surat izin.pdf" in page  # the history

        small = console.get(f"{photo_url}/gambar-kecil")
        _assert_download(
            small,
            "image/jpeg",
            "filename*=UTF-8''foto%20toko%20%E2%80%94%20depan-kecil.jpg",
        )
        got = console.get(pdf_url)
        _assert_download(got, "application/pdf", "filename*=UTF-8''surat%20izin.pdf")
        assert got.content == PDF
        assert console.get(f"{pdf_url}/gambar-kecil").status_code == 404


def test_a_case_without_files_says_so(
    configured: dict[str, str], staff: dict[Role, StaffUser]
) -> None:
    with get_db().transaction() as session:
        case = receive_complaint(session, filed_message())
    with open_console() as console:
        log_in(console, Role.ADMIN)
        page = console.get(f"/console/kasus/{case.id}").text
    assert "Pengadu tidak melampirkan berkas." in page


class UnreachableStore:
    """An object store that does not answer, as the library's backends report it."""

    def get(self, key: str) -> bytes:
        raise StoreUnavailable(key)


def test_a_store_that_does_not_answer_is_a_503_to_retry(
    client: TestClient, case_with_files: tuple[str, Stored, Stored]
) -> None:
    case_id, _photo, pdf = case_with_files
    client.app.dependency_overrides[dependencies._store] = UnreachableStore  # type: ignore[attr-defined]
    response = client.get(_file_url(case_id, pdf), headers=login(client, Role.KASI))
    assert response.status_code == 503
    assert response.json()["code"] == "attachment_store_down"
    assert response.headers["retry-after"] == "30"
