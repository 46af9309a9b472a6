"""A complaint filed with a phone photo and a PDF, through the intake API, read by the Kasi
through the workflow API: the photo comes back without its GPS (no EXIF at all), the PDF as
sent. And the workflow's consumer on a real worker: a file announced before its case still
ends on it, and a redelivered announcement adds nothing."""

from __future__ import annotations

import io
import uuid

import pytest
from PIL import Image

from shared.messaging.celery_app import get_celery
from shared.messaging.contracts import (
    WORKFLOW_ATTACHMENT_TASK,
    AttachmentAddedV1,
    AttachmentRefV1,
    ComplaintFiledV1,
    Reporter,
)
from shared.sop import FIRST_STEP, Role
from tests.support.attachment_files import has_gps, pdf, photo_with_gps
from tools.harness.desk import Desk

pytestmark = pytest.mark.both_databases


def test_the_kasi_reads_the_photo_without_its_gps_and_the_pdf_as_sent(system: Desk) -> None:
    filed = system.file_complaint()
    photo, document = photo_with_gps(), pdf()
    assert has_gps(photo)
    sent_photo = system.upload(filed, "foto-loket.jpg", photo, "image/jpeg")
    assert sent_photo.status_code == 201, sent_photo.text
    sent_pdf = system.upload(filed, "bukti pendaftaran.pdf", document, "application/pdf")
    assert sent_pdf.status_code == 201, sent_pdf.text

    case_id = system.walk(filed["tracking_code"], range(1, 2))
    system.wait_for_work(Role.KASI, filed["tracking_code"], 2)
    files = {f["filename"]: f for f in system.wait_for_attachments(Role.KASI, case_id, count=2)}
    assert files.keys() == {"foto-loket.jpg", "bukti pendaftaran.pdf"}

    got_pdf = system.download(Role.KASI, files["bukti pendaftaran.pdf"]["links"]["content"])
    assert got_pdf.status_code == 200, got_pdf.text
    assert got_pdf.headers["content-type"] == "application/pdf"
    assert got_pdf.headers["x-content-type-options"] == "nosniff"
    assert got_pdf.headers["content-disposition"] == (
        "attachment; filename=\"bukti pendaftaran.pdf\"; filename*=UTF-8''bukti%20pendaftaran.pdf"
    )
    assert got_pdf.content == document

    got_photo = system.download(Role.KASI, files["foto-loket.jpg"]["links"]["content"])
    assert got_photo.status_code == 200, got_photo.text
    assert got_photo.headers["content-type"] == files["foto-loket.jpg"]["media_type"]
    assert got_photo.headers["x-content-type-options"] == "nosniff"
    image = Image.open(io.BytesIO(got_photo.content))
    assert image.size == (640, 480)
    assert not has_gps(got_photo.content)
    assert dict(image.getexif()) == {}  # no EXIF at all
    assert "exif" not in image.info
    assert b"Exif" not in got_photo.content
    assert b"PhoneCam" not in got_photo.content

    small = system.download(Role.KASI, files["foto-loket.jpg"]["links"]["thumbnail"])
    assert small.status_code == 200, small.text
    assert Image.open(io.BytesIO(small.content)).format == "JPEG"
    assert files["bukti pendaftaran.pdf"]["links"]["thumbnail"] is None

    added = [e for e in system.case(case_id)["history"] if e["kind"] == "attachment_added"]
    assert sorted(e["output"]["filename"] for e in added) == [
        "bukti pendaftaran.pdf",
        "foto-loket.jpg",
    ]
    assert {e["actor"] for e in added} == {"pengadu"}


def test_a_file_announced_before_its_case_is_attached_once_despite_a_redelivery(
    system: Desk, configured: dict[str, str]
) -> None:
    """The messages go onto the real queues as intake's relay puts them there; the workflow
    worker consumes them."""
    code = f"PGD-UJI-{uuid.uuid4().hex[:6].upper()}"
    announced = AttachmentAddedV1(
        tracking_code=code,
        attachment=AttachmentRefV1(
            attachment_id=uuid.uuid4(),
            filename="kwitansi.pdf",
            media_type="application/pdf",
            size=1234,
            sha256="0" * 64,
        ),
    )
    app = get_celery()
    worker = system.workers["workflow"]
    app.send_task(WORKFLOW_ATTACHMENT_TASK, kwargs={"message": announced.model_dump(mode="json")})
    # It arrived before its case, and waits with Celery's retry.
    worker.wait_for_output("CaseNotYetRegistered", timeout=60)

    filing = ComplaintFiledV1(
        tracking_code=code,
        subject="Kwitansi retribusi tidak diakui",
        description="Kwitansi pembayaran retribusi kami tidak diakui petugas loket.",
        reporter=Reporter(name="Sri Wahyuni", email="sri@example.id"),
        channels=("email",),
    )
    app.send_task(FIRST_STEP.arrive_task, kwargs={"message": filing.model_dump(mode="json")})
    item = system.wait_for_work(Role.ADMIN, code, 1)
    [kept] = system.wait_for_attachments(Role.ADMIN, item["case_id"], count=1)
    assert kept["attachment_id"] == str(announced.attachment.attachment_id)

    # The same message delivered again (a redelivery after a lost acknowledgement).
    app.send_task(WORKFLOW_ATTACHMENT_TASK, kwargs={"message": announced.model_dump(mode="json")})
    worker.wait_for_output(f"message {announced.message_id} already applied", timeout=60)
    assert len(system.attachments(Role.ADMIN, item["case_id"])) == 1
    history = system.case(item["case_id"])["history"]
    assert [e["kind"] for e in history].count("attachment_added") == 1
