"""The case page's *Lampiran*: each file as staff read it, and the console's own routes for the
file and its thumbnail (the session cookie is scoped to ``/console``, so an ``<img>`` on the
page cannot use the API's Bearer routes). Both read through the same checks as the API."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import Response
from sqlalchemy.orm import Session

from services.workflow.cases import attachments, identity, search
from services.workflow.console.session import ConsoleUser
from services.workflow.dependencies import SessionDep, StoreDep
from services.workflow.models import Case, CaseAttachment, StaffUser
from shared.web.downloads import file_response
from shared.wording.file_sizes import size_words

router = APIRouter(prefix="/console/kasus", include_in_schema=False)
CaseId = Annotated[str, Path(max_length=64)]
AttachmentId = Annotated[str, Path(max_length=64)]

TYPE_LABELS = {
    "image/jpeg": "Foto JPEG",
    "image/png": "Gambar PNG",
    "image/webp": "Gambar WebP",
    "application/pdf": "Dokumen PDF",
}


@dataclass(frozen=True)
class AttachmentView:
    filename: str
    type_label: str
    size: str
    download_url: str
    thumbnail_url: str | None


def _named_for(session: Session, case_id: str, user: StaffUser) -> Callable[[str], str]:
    """A file's name as ``user`` may read it (``identity.scrubber``)."""
    return identity.scrubber(search.get_case(session, case_id), user)


def file_url(attachment: CaseAttachment) -> str:
    return f"/console/kasus/{attachment.case_id}/lampiran/{attachment.attachment_id}"


def views(session: Session, case: Case, user: StaffUser) -> list[AttachmentView]:
    scrub = identity.scrubber(case, user)
    return [
        AttachmentView(
            filename=scrub(a.filename),
            type_label=TYPE_LABELS.get(a.media_type, a.media_type),
            size=size_words(a.size),
            download_url=file_url(a),
            thumbnail_url=f"{file_url(a)}/gambar-kecil" if a.thumbnail_sha256 else None,
        )
        for a in attachments.attachments_of(session, case.id)
    ]


@router.get("/{case_id}/lampiran/{attachment_id}")
def download(
    case_id: CaseId,
    attachment_id: AttachmentId,
    user: ConsoleUser,
    session: SessionDep,
    store: StoreDep,
) -> Response:
    attachment = attachments.get_attachment(session, case_id, attachment_id)
    data, media_type, name = attachments.content(store, attachment)
    return file_response(data, media_type, _named_for(session, case_id, user)(name))


@router.get("/{case_id}/lampiran/{attachment_id}/gambar-kecil")
def thumbnail(
    case_id: CaseId,
    attachment_id: AttachmentId,
    user: ConsoleUser,
    session: SessionDep,
    store: StoreDep,
) -> Response:
    attachment = attachments.get_attachment(session, case_id, attachment_id)
    data, media_type, name = attachments.content(store, attachment, thumbnail=True)
    return file_response(data, media_type, _named_for(session, case_id, user)(name))
