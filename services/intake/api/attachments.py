"""The citizens' routes for attachments (*lampiran*): sending a file with the access token,
listing them, and downloading each (and an image's thumbnail). Every file answer is a download
(``Content-Disposition: attachment``) the browser may not sniff."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Response, UploadFile, status

from services.intake.api.dependencies import NO_STORE, CitizenComplaint, SessionDep
from services.intake.filing import attachments
from services.intake.filing.schemas import AttachmentOut
from shared.attachments import STORED_MEDIA_TYPES, THUMBNAIL_MEDIA_TYPE
from shared.web.api_errors import error_responses
from shared.web.downloads import file_answer_doc, file_response

router = APIRouter(prefix="/api/v1/complaints/{tracking_code}/attachments")


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Kirim lampiran (foto atau PDF)",
    responses=error_responses(400, 401, 404, 409, 413, 415, 422, 429, 503),
    # One file and nothing else; a text field is a name, never more than a few bytes.
    form_limits={"max_files": 1, "max_fields": 0, "max_part_size": 1024},
)
def add_attachment(
    file: Annotated[
        UploadFile, File(description="Foto (JPEG, PNG, WebP, HEIC) atau PDF, satu berkas")
    ],
    complaint: CitizenComplaint,
    session: SessionDep,
    response: Response,
) -> AttachmentOut:
    """Lampirkan satu foto atau PDF pada laporan pengaduan, dengan header `X-Access-Token`.
    Jenis berkas ditentukan dari isinya (bukan nama atau header): selain foto dan PDF ditolak
    (415); berkas kosong, rusak, PDF berisi skrip (422) dan berkas di atas batas ukuran (413)
    juga ditolak. Foto disimpan ulang tanpa metadata (termasuk lokasi GPS). Hanya saat
    pengaduan diajukan dan saat petugas meminta kelengkapan data (selain itu 409), dan
    paling banyak sejumlah berkas yang ditetapkan per laporan pengaduan (409)."""
    attachments.check_room(session, complaint, 1)  # before the work of checking the file
    # A worker thread's work (the route is sync): checking and re-encoding a photo takes a while.
    inspected = attachments.inspect(attachments.read_upload(file.file), file.filename)
    attachment = attachments.attach(session, complaint, inspected)
    response.headers.update(NO_STORE)
    code = complaint.tracking_code
    response.headers["Location"] = f"/api/v1/complaints/{code}/attachments/{attachment.id}"
    return AttachmentOut.of(attachment)


@router.get(
    "",
    summary="Daftar lampiran laporan pengaduan",
    responses=error_responses(401, 404, 429),
)
def list_attachments(
    complaint: CitizenComplaint, session: SessionDep, response: Response
) -> list[AttachmentOut]:
    """Lampiran yang Anda kirim, yang terlama lebih dulu."""
    response.headers.update(NO_STORE)
    return [AttachmentOut.of(a) for a in attachments.attachments_of(session, complaint)]


@router.get(
    "/{attachment_id}",
    summary="Unduh lampiran",
    response_class=Response,
    responses={
        200: file_answer_doc("Berkas lampiran", STORED_MEDIA_TYPES),
        **error_responses(401, 404, 429, 503),
    },
)
def download_attachment(
    attachment_id: str, complaint: CitizenComplaint, session: SessionDep
) -> Response:
    """Berkas lampiran seperti disimpan (foto tanpa metadata), selalu sebagai unduhan."""
    return _file(session, complaint, attachment_id, thumbnail=False)


@router.get(
    "/{attachment_id}/thumbnail",
    summary="Unduh gambar kecil lampiran foto",
    response_class=Response,
    responses={
        200: file_answer_doc("Gambar kecil (JPEG)", (THUMBNAIL_MEDIA_TYPE,)),
        **error_responses(401, 404, 429, 503),
    },
)
def download_thumbnail(
    attachment_id: str, complaint: CitizenComplaint, session: SessionDep
) -> Response:
    """Gambar kecil sebuah lampiran foto; PDF tidak memilikinya (404)."""
    return _file(session, complaint, attachment_id, thumbnail=True)


def _file(
    session: SessionDep, complaint: CitizenComplaint, attachment_id: str, *, thumbnail: bool
) -> Response:
    attachment = attachments.attachment_of(session, complaint, attachment_id)
    data, media_type, name = attachments.content(attachment, thumbnail=thumbnail)
    return file_response(data, media_type, name)  # never cached: private, no-store
