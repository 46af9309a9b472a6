"""The citizens' routes for attachments (*lampiran*): sending a file with the access token,
listing them, and downloading each (and an image's thumbnail). Every file answer is a download
(``Content-Disposition: attachment``) the browser may not sniff."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Response, UploadFile, status

from services.intake.api.dependencies import NO_STORE, CitizenComplaint, SessionDep
from services.intake.filing import attachments
from services.intake.filing.schemas import AttachmentOut
from shared.web.api_errors import error_responses
from shared.web.downloads import file_answer_doc, file_response

router = APIRouter(prefix="/api/v1/complaints/{tracking_code}/attachments")
FILE_TYPES = ("image/jpeg", "image/png", "image/webp", "application/pdf")


async def read_upload(upload: UploadFile) -> tuple[bytes, str | None]:
    """The file's bytes (one more than the limit at most: that is enough to refuse it) and the
    name the client gave."""
    data = await upload.read(attachments.max_bytes() + 1)
    return data, upload.filename


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Kirim lampiran (foto atau PDF)",
    responses=error_responses(400, 401, 404, 409, 413, 415, 422, 429, 503),
    # One file and nothing else; a text field is a name, never more than a few bytes.
    form_limits={"max_files": 1, "max_fields": 0, "max_part_size": 1024},
)
async def add_attachment(
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
    data, name = await read_upload(file)
    inspected = attachments.inspect(data, name)
    attachments.check_room(session, complaint, 1)
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
        200: file_answer_doc("Berkas lampiran", FILE_TYPES),
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
        200: file_answer_doc("Gambar kecil (JPEG)", ("image/jpeg",)),
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
    answer = file_response(data, media_type, name)
    answer.headers.update(NO_STORE)
    return answer
