"""The files a complainant attaches to their complaint (*lampiran*): when they may, how many,
and keeping one so that nothing is ever half kept.

An upload is checked by ``shared.attachments.inspect_upload`` (its type from its content, an
image re-encoded without its metadata, a thumbnail), then written to the attachment store; the
row and the ``AttachmentAddedV1`` for the workflow commit in the request's one transaction.
Should that transaction roll back, the files just written are deleted again."""

from __future__ import annotations

import logging
import uuid
from typing import IO

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, SessionTransaction

from services.intake.filing.complaints import WAITING_PATHS
from services.intake.models import Attachment, Complaint
from shared.attachments import (
    THUMBNAIL_MEDIA_TYPE,
    AttachmentCorrupt,
    AttachmentStore,
    MissingAttachment,
    StoreUnavailable,
    UploadRejected,
    open_store,
    original_key,
    read_verified,
    stored_file,
    thumbnail_key,
)
from shared.attachments.inspection import Inspected, inspect_upload
from shared.database.engine import utcnow
from shared.messaging.contracts import (
    WORKFLOW_ATTACHMENT_TASK,
    AttachmentAddedV1,
    AttachmentRefV1,
)
from shared.messaging.outbox import enqueue
from shared.runtime.settings import get_settings
from shared.sop import FIRST_STEP, SUBMITTED
from shared.web.domain_errors import Conflict, DomainError, NotFound

log = logging.getLogger(__name__)

# At filing (before the Admin has taken the complaint further than receiving it), and while the
# office waits for information from the complainant.
ATTACHABLE = frozenset({SUBMITTED, FIRST_STEP.status, *WAITING_PATHS})
NOT_NOW_MESSAGE = (
    "Lampiran hanya dapat ditambahkan saat laporan pengaduan diajukan atau saat petugas meminta "
    "kelengkapan data"
)
NOT_FOUND_MESSAGE = "Lampiran tidak ditemukan"
UNAVAILABLE_MESSAGE = "Penyimpanan lampiran sedang tidak dapat dipakai, coba lagi sebentar"
_DELETE_ON_ROLLBACK = "pengaduan.attachments.delete_on_rollback"


class UploadRefused(DomainError):
    """An ``UploadRejected`` of the library, answered as every other 4xx (415, 413 or 422)."""

    def __init__(self, rejected: UploadRejected) -> None:
        super().__init__(rejected.message)
        self.status_code = rejected.status_code
        self.code = rejected.code


class TooManyAttachments(Conflict):
    code = "too_many_attachments"


class NotAttachable(Conflict):
    code = "attachments_closed"


class AttachmentsUnavailable(DomainError):
    status_code = 503
    code = "temporarily_unavailable"

    @property
    def headers(self) -> dict[str, str] | None:
        return {"Retry-After": "5"}


def max_files() -> int:
    return get_settings().attachments.max_files


def max_bytes() -> int:
    return get_settings().attachments.max_bytes


def too_many_message() -> str:
    return f"Lampiran paling banyak {max_files()} berkas untuk setiap laporan pengaduan"


def read_upload(file: IO[bytes]) -> bytes:
    """An upload's bytes from its spooled file, one more than the limit at most: enough to
    refuse it."""
    file.seek(0)
    return file.read(max_bytes() + 1)


def inspect(data: bytes, filename: str | None) -> Inspected:
    """The upload made safe to keep, or ``UploadRefused`` saying why not."""
    try:
        return inspect_upload(data, filename, max_bytes=max_bytes())
    except UploadRejected as exc:
        log.info("upload refused: %s", exc.code)
        raise UploadRefused(exc) from None


def check_room(session: Session, complaint: Complaint, adding: int) -> None:
    """``NotAttachable`` unless the complaint takes files now; ``TooManyAttachments`` unless
    ``adding`` more fit. The complaint's row is locked (PostgreSQL; SQLite's write transaction
    is exclusive anyway) so two uploads at once cannot both take the last place."""
    if complaint.status not in ATTACHABLE:
        raise NotAttachable(NOT_NOW_MESSAGE)
    session.execute(select(Complaint.id).where(Complaint.id == complaint.id).with_for_update())
    kept = session.scalar(
        select(func.count()).select_from(Attachment).where(Attachment.complaint_id == complaint.id)
    )
    if (kept or 0) + adding > max_files():
        raise TooManyAttachments(too_many_message())


def attach(
    session: Session,
    complaint: Complaint,
    inspected: Inspected,
    store: AttachmentStore | None = None,
) -> Attachment:
    """Keep ``inspected`` for ``complaint``: the files into the store first, then the row and the
    workflow's message in the caller's transaction (``check_room`` first)."""
    store = store or open_store()
    attachment_id = uuid.uuid4()
    files = [(original_key(attachment_id), inspected.content, inspected.media_type)]
    if inspected.thumbnail is not None:
        files.append((thumbnail_key(attachment_id), inspected.thumbnail, THUMBNAIL_MEDIA_TYPE))
    for key, data, media_type in files:
        _delete_on_rollback(session, store, key)  # before the write: a half write goes too
        try:
            store.put(key, data, media_type)
        except StoreUnavailable as exc:
            log.exception("attachment %s not stored", key)
            raise AttachmentsUnavailable(UNAVAILABLE_MESSAGE) from exc
    now = utcnow()
    message = AttachmentAddedV1(
        occurred_at=now,
        tracking_code=complaint.tracking_code,
        attachment=AttachmentRefV1(
            attachment_id=attachment_id,
            filename=inspected.filename,
            media_type=inspected.media_type,
            size=inspected.size,
            sha256=inspected.sha256,
            thumbnail_sha256=inspected.thumbnail_sha256,
        ),
    )
    attachment = Attachment(
        id=str(attachment_id),
        complaint_id=complaint.id,
        filename=inspected.filename,
        media_type=inspected.media_type,
        size=inspected.size,
        sha256=inspected.sha256,
        thumbnail_sha256=inspected.thumbnail_sha256,
        message_id=str(message.message_id),
        created_at=now,
    )
    session.add(attachment)
    enqueue(session, WORKFLOW_ATTACHMENT_TASK, message)
    session.flush()
    log.info("attachment %s (%s) added to %s", attachment.id, inspected.media_type, complaint.id)
    return attachment


def attach_all(session: Session, complaint: Complaint, inspected: list[Inspected]) -> None:
    """A form's files, all or none: room for every one is checked before the first is kept."""
    if not inspected:
        return
    check_room(session, complaint, len(inspected))
    store = open_store()
    for upload in inspected:
        attach(session, complaint, upload, store)


def attachments_of(session: Session, complaint: Complaint) -> list[Attachment]:
    """The complaint's attachments, in the order they came."""
    return list(
        session.scalars(
            select(Attachment)
            .where(Attachment.complaint_id == complaint.id)
            .order_by(Attachment.created_at, Attachment.id)
        )
    )


def attachment_of(session: Session, complaint: Complaint, attachment_id: str) -> Attachment:
    """One of the complaint's attachments; ``NotFound`` for any other id (another complaint's
    too)."""
    try:
        wanted = str(uuid.UUID(attachment_id))
    except ValueError:
        raise NotFound(NOT_FOUND_MESSAGE) from None
    attachment = session.get(Attachment, wanted)
    if attachment is None or attachment.complaint_id != complaint.id:
        raise NotFound(NOT_FOUND_MESSAGE)
    return attachment


def content(attachment: Attachment, *, thumbnail: bool = False) -> tuple[bytes, str, str]:
    """The stored bytes (checked against the digest they were kept with), their media type and
    the name to download them under; ``NotFound`` for a PDF's (missing) thumbnail."""
    stored = stored_file(
        attachment.id,
        filename=attachment.filename,
        media_type=attachment.media_type,
        sha256=attachment.sha256,
        thumbnail_sha256=attachment.thumbnail_sha256,
        thumbnail=thumbnail,
    )
    if stored is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    try:
        data = read_verified(open_store(), stored.key, stored.sha256)
    except (MissingAttachment, AttachmentCorrupt):
        log.exception("attachment %s unreadable from the store", stored.key)
        raise NotFound(NOT_FOUND_MESSAGE) from None
    except StoreUnavailable as exc:
        log.exception("attachment store unavailable reading %s", stored.key)
        raise AttachmentsUnavailable(UNAVAILABLE_MESSAGE) from exc
    return data, stored.media_type, stored.filename


def _delete_on_rollback(session: Session, store: AttachmentStore, key: str) -> None:
    if _DELETE_ON_ROLLBACK not in session.info:
        session.info[_DELETE_ON_ROLLBACK] = []
        event.listen(session, "after_commit", _keep)
        event.listen(session, "after_transaction_end", _delete_unless_kept)
    session.info[_DELETE_ON_ROLLBACK].append((store, key))


def _keep(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint's release fires after_commit too
        return
    session.info[_DELETE_ON_ROLLBACK] = []


def _delete_unless_kept(session: Session, transaction: SessionTransaction) -> None:
    # The outermost transaction's end, whatever ended it (a savepoint's rollback is not the
    # request's): after a commit nothing is pending any more.
    if transaction.parent is not None:
        return
    pending: list[tuple[AttachmentStore, str]] = session.info.get(_DELETE_ON_ROLLBACK, [])
    session.info[_DELETE_ON_ROLLBACK] = []
    for store, key in pending:
        try:
            store.delete(key)
        except Exception:  # the rollback stands; an orphan file is only space
            log.exception("attachment %s left in the store after a rollback", key)
        else:
            log.info("attachment %s deleted: its transaction rolled back", key)
