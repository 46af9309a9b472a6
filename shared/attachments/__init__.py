"""Attachments (*lampiran*): what an upload is and what of it is kept (``inspection``), and the
store the files are kept in (``store``: a directory or an S3-compatible object store). Shared by
intake, which checks and writes them, and the workflow, which reads them by id and digest.

``inspection`` (Pillow, pypdf) is imported from its own module, not from here: only the
processes that take uploads need it, and the workers that only read or erase files do not."""

from shared.attachments.headers import download_headers
from shared.attachments.keys import InvalidKey, original_key, thumbnail_key
from shared.attachments.rejections import UploadRejected
from shared.attachments.store import (
    AttachmentCorrupt,
    AttachmentStore,
    MissingAttachment,
    StoreUnavailable,
    open_store,
    read_verified,
)
from shared.attachments.stored_files import (
    STORED_MEDIA_TYPES,
    THUMBNAIL_MEDIA_TYPE,
    StoredFile,
    stored_file,
)

__all__ = [
    "STORED_MEDIA_TYPES",
    "THUMBNAIL_MEDIA_TYPE",
    "AttachmentCorrupt",
    "AttachmentStore",
    "InvalidKey",
    "MissingAttachment",
    "StoreUnavailable",
    "StoredFile",
    "UploadRejected",
    "download_headers",
    "open_store",
    "original_key",
    "read_verified",
    "stored_file",
    "thumbnail_key",
]
