"""The complainant's files on a case (*lampiran*): kept on the record when intake announces
them, listed for staff, and read back from the attachment store checked against the digest
intake sent. The workflow never reads intake's tables: the message is all it knows."""

from __future__ import annotations

import logging
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.workflow.cases.history import CITIZEN_ACTOR, record
from services.workflow.cases.notifications import CaseNotYetRegistered
from services.workflow.cases.search import get_case
from services.workflow.errors import AttachmentNotFound, AttachmentStoreDown, AttachmentUnavailable
from services.workflow.models import Case, CaseAttachment
from shared.attachments import (
    AttachmentCorrupt,
    AttachmentStore,
    MissingAttachment,
    StoreUnavailable,
    read_verified,
    stored_file,
)
from shared.messaging.contracts import AttachmentAddedV1

log = logging.getLogger(__name__)

ATTACHMENT_ADDED = "attachment_added"
NOT_FOUND = "Lampiran tidak ditemukan pada laporan pengaduan ini"


def attach(session: Session, msg: AttachmentAddedV1) -> None:
    """Keep the file on the case and on its record. The filing travels as another task, so
    the case may not be here yet: ``CaseNotYetRegistered`` makes the task try again."""
    case = session.scalar(select(Case).where(Case.tracking_code == msg.tracking_code))
    if case is None:
        raise CaseNotYetRegistered(msg.tracking_code)
    ref = msg.attachment
    if session.get(CaseAttachment, str(ref.attachment_id)) is not None:
        # The same file announced again under a new message id: it is already on the case.
        log.info("attachment %s already on case %s", ref.attachment_id, msg.tracking_code)
        return
    session.add(
        CaseAttachment(
            attachment_id=str(ref.attachment_id),
            case_id=case.id,
            filename=ref.filename,
            media_type=ref.media_type,
            size=ref.size,
            sha256=ref.sha256,
            thumbnail_sha256=ref.thumbnail_sha256,
            added_at=msg.occurred_at,
            message_id=str(msg.message_id),
        )
    )
    record(
        session,
        case,
        ATTACHMENT_ADDED,
        step=case.current_step,
        actor=CITIZEN_ACTOR,
        occurred_at=msg.occurred_at,
        output={
            "attachment_id": str(ref.attachment_id),
            "filename": ref.filename,
            "media_type": ref.media_type,
            "size": ref.size,
        },
    )


def attachments_of(session: Session, case_id: str) -> list[CaseAttachment]:
    """The case's files in the order they came."""
    return list(
        session.scalars(
            select(CaseAttachment)
            .where(CaseAttachment.case_id == case_id)
            .order_by(CaseAttachment.added_at, CaseAttachment.attachment_id)
        )
    )


def get_attachment(session: Session, case_id: str, attachment_id: str) -> CaseAttachment:
    """The file ``attachment_id`` of the case ``case_id``: an unknown case, an unknown file or
    a file of another case is a 404 alike."""
    case = get_case(session, case_id)
    try:
        uuid.UUID(attachment_id)
    except ValueError:
        raise AttachmentNotFound(NOT_FOUND) from None
    attachment = session.get(CaseAttachment, attachment_id)
    if attachment is None or attachment.case_id != case.id:
        raise AttachmentNotFound(NOT_FOUND)
    return attachment


def content(
    store: AttachmentStore, attachment: CaseAttachment, *, thumbnail: bool = False
) -> tuple[bytes, str, str]:
    """The file's (or its thumbnail's) stored bytes, checked against the digest intake sent,
    with the media type and name to answer them under; 404 for a PDF's thumbnail."""
    stored = stored_file(
        attachment.attachment_id,
        filename=attachment.filename,
        media_type=attachment.media_type,
        sha256=attachment.sha256,
        thumbnail_sha256=attachment.thumbnail_sha256,
        thumbnail=thumbnail,
    )
    if stored is None:
        raise AttachmentNotFound("Lampiran ini tidak memiliki gambar kecil")
    data = _read(store, stored.key, stored.sha256, attachment)
    return data, stored.media_type, stored.filename


def _read(store: AttachmentStore, key: str, sha256: str, attachment: CaseAttachment) -> bytes:
    """The stored bytes, only if they are the ones intake stored; otherwise a clear answer for
    the staff member and an error in the log for operators (a lost or altered file is theirs)."""
    try:
        return read_verified(store, key, sha256)
    except MissingAttachment:
        log.exception("attachment %s: %s is missing from the store", attachment.attachment_id, key)
        raise AttachmentUnavailable(
            "Berkas lampiran tidak ada di penyimpanan. Hubungi pengelola sistem."
        ) from None
    except AttachmentCorrupt:
        log.exception("attachment %s: %s does not match its digest", attachment.attachment_id, key)
        raise AttachmentUnavailable(
            "Berkas lampiran rusak: isinya tidak sama dengan yang dikirim pengadu. "
            "Hubungi pengelola sistem."
        ) from None
    except StoreUnavailable:  # the object store down, a disk unreadable: not the reader's doing
        log.exception("attachment %s: the store did not answer", attachment.attachment_id)
        raise AttachmentStoreDown(
            "Penyimpanan lampiran sedang tidak dapat dihubungi. Coba lagi sebentar lagi."
        ) from None
