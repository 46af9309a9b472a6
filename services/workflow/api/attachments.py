"""Staff routes for the complainant's files on a case (*lampiran*): any active staff member may
list and download them. Each file is read from the attachment store and checked against the
digest intake sent; every file answer is a download the browser does not sniff."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import Response
from sqlalchemy.orm import Session

from services.workflow.api.cases import CaseId
from services.workflow.api.dependencies import CurrentUser
from services.workflow.api.schemas import AttachmentLinks, AttachmentOut
from services.workflow.cases import attachments, identity, search
from services.workflow.dependencies import SessionDep, StoreDep
from services.workflow.models import CaseAttachment, StaffUser
from shared.attachments import STORED_MEDIA_TYPES, THUMBNAIL_MEDIA_TYPE
from shared.web.api_errors import error_responses
from shared.web.downloads import file_answer_doc, file_response

router = APIRouter(prefix="/api/v1/cases", tags=["laporan pengaduan"])
AttachmentId = Annotated[str, Path(max_length=64, description="attachment_id lampiran")]
FILE_ERRORS = error_responses(401, 404, 502)


def _named_for(session: Session, case_id: str, user: StaffUser) -> Callable[[str], str]:
    """A file's name as ``user`` may read it (``identity.scrubber``)."""
    return identity.scrubber(search.get_case(session, case_id), user)


def content_url(attachment: CaseAttachment) -> str:
    return f"/api/v1/cases/{attachment.case_id}/attachments/{attachment.attachment_id}"


def _out(attachment: CaseAttachment, scrub: Callable[[str], str]) -> AttachmentOut:
    url = content_url(attachment)
    return AttachmentOut(
        attachment_id=attachment.attachment_id,
        filename=scrub(attachment.filename),
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
    case_id: CaseId, user: CurrentUser, session: SessionDep
) -> list[AttachmentOut]:
    """Berkas yang dilampirkan pengadu (foto dan PDF), dari yang terlama, dengan alamat
    unduhannya dan, untuk foto, alamat gambar kecilnya. Pada laporan rahasia, nama dan kontak
    pengadu dalam nama berkas hanya terbaca oleh Admin Pengaduan."""
    case = search.get_case(session, case_id)
    scrub = identity.scrubber(case, user)
    return [_out(a, scrub) for a in attachments.attachments_of(session, case.id)]


@router.get(
    "/{case_id}/attachments/{attachment_id}",
    summary="Unduh lampiran",
    response_class=Response,
    responses={200: file_answer_doc("Isi berkas", STORED_MEDIA_TYPES), **FILE_ERRORS},
)
def download(
    case_id: CaseId,
    attachment_id: AttachmentId,
    user: CurrentUser,
    session: SessionDep,
    store: StoreDep,
) -> Response:
    """Isi berkas lampiran, persis seperti yang disimpan (foto tanpa metadata). Berkas yang
    hilang atau rusak di penyimpanan dijawab 502 dengan penjelasan, bukan berkas yang salah."""
    attachment = attachments.get_attachment(session, case_id, attachment_id)
    data, media_type, name = attachments.content(store, attachment)
    return file_response(data, media_type, _named_for(session, case_id, user)(name))


@router.get(
    "/{case_id}/attachments/{attachment_id}/thumbnail",
    summary="Gambar kecil lampiran",
    response_class=Response,
    responses={200: file_answer_doc("Gambar kecil", (THUMBNAIL_MEDIA_TYPE,)), **FILE_ERRORS},
)
def thumbnail(
    case_id: CaseId,
    attachment_id: AttachmentId,
    user: CurrentUser,
    session: SessionDep,
    store: StoreDep,
) -> Response:
    """Gambar kecil sebuah foto lampiran (404 untuk PDF, yang tidak memilikinya)."""
    attachment = attachments.get_attachment(session, case_id, attachment_id)
    data, media_type, name = attachments.content(store, attachment, thumbnail=True)
    return file_response(data, media_type, _named_for(session, case_id, user)(name))
