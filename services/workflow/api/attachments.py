"""Staff routes for the complainant's files on a case (*lampiran*): any active staff member may
list and download them. Each file is read from the attachment store and checked against the
digest intake sent; every file answer is a download the browser does not sniff."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import Response

from services.workflow.api.cases import CaseId
from services.workflow.api.dependencies import CurrentUser
from services.workflow.api.schemas import AttachmentLinks, AttachmentOut
from services.workflow.cases import attachments, search
from services.workflow.dependencies import SessionDep, StoreDep
from services.workflow.models import CaseAttachment
from shared.attachments import STORED_MEDIA_TYPES, THUMBNAIL_MEDIA_TYPE
from shared.web.api_errors import error_responses
from shared.web.downloads import file_answer_doc, file_response

router = APIRouter(prefix="/api/v1/cases", tags=["laporan pengaduan"])
AttachmentId = Annotated[str, Path(max_length=64, description="attachment_id lampiran")]
FILE_ERRORS = error_responses(401, 404, 502)


def content_url(attachment: CaseAttachment) -> str:
    return f"/api/v1/cases/{attachment.case_id}/attachments/{attachment.attachment_id}"


def _out(attachment: CaseAttachment) -> AttachmentOut:
    url = content_url(attachment)
    return AttachmentOut(
        attachment_id=attachment.attachment_id,
        filename=attachment.filename,
        media_type=attachment.media_type,
        size=attachment.size,
        added_at=attachment.added_at,
        links=AttachmentLinks(
            content=url,
            thumbnail=f"{url}/thumbnail" if attachment.thumbnail_sha256 else None,
        ),
    )


@router.get(
    "/{case_id}/attachments",
    summary="Daftar lampiran laporan pengaduan",
    responses=error_responses(401, 404),
)
def list_attachments(
    case_id: CaseId, _user: CurrentUser, session: SessionDep
) -> list[AttachmentOut]:
    """Berkas yang dilampirkan pengadu (foto dan PDF), dari yang terlama, dengan alamat
    unduhannya dan, untuk foto, alamat gambar kecilnya."""
    case = search.get_case(session, case_id)
    return [_out(a) for a in attachments.attachments_of(session, case.id)]


@router.get(
    "/{case_id}/attachments/{attachment_id}",
    summary="Unduh lampiran",
    response_class=Response,
    responses={200: file_answer_doc("Isi berkas", STORED_MEDIA_TYPES), **FILE_ERRORS},
)
def download(
    case_id: CaseId,
    attachment_id: AttachmentId,
    _user: CurrentUser,
    session: SessionDep,
    store: StoreDep,
) -> Response:
    """Isi berkas lampiran, persis seperti yang disimpan (foto tanpa metadata). Berkas yang
    hilang atau rusak di penyimpanan dijawab 502 dengan penjelasan, bukan berkas yang salah."""
    attachment = attachments.get_attachment(session, case_id, attachment_id)
    return file_response(*attachments.content(store, attachment))


@router.get(
    "/{case_id}/attachments/{attachment_id}/thumbnail",
    summary="Gambar kecil lampiran",
    response_class=Response,
    responses={200: file_answer_doc("Gambar kecil", (THUMBNAIL_MEDIA_TYPE,)), **FILE_ERRORS},
)
def thumbnail(
    case_id: CaseId,
    attachment_id: AttachmentId,
    _user: CurrentUser,
    session: SessionDep,
    store: StoreDep,
) -> Response:
    """Gambar kecil sebuah foto lampiran (404 untuk PDF, yang tidak memilikinya)."""
    attachment = attachments.get_attachment(session, case_id, attachment_id)
    return file_response(*attachments.content(store, attachment, thumbnail=True))
