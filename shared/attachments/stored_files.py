"""Which stored object a download of an attachment reads: the file itself or its thumbnail, the
digest it was kept with, and the type and name it is answered with. Intake (the complainant's
downloads) and the workflow (staff's) keep the same facts of a file in their own tables and
read it through this one choice, each answering a lost or altered file in its own way."""

from __future__ import annotations

from dataclasses import dataclass

from shared.attachments.keys import original_key, thumbnail_key

# The types a kept file has, here rather than beside Pillow and pypdf in ``images`` and
# ``inspection``: the workers read and erase files without importing either.
PDF = "application/pdf"
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}  # re-encoded photos

THUMBNAIL_MEDIA_TYPE = "image/jpeg"  # images.reencode writes every thumbnail as a JPEG
STORED_MEDIA_TYPES = (*EXTENSIONS, PDF)  # photos re-encoded as one of these; PDFs as sent


@dataclass(frozen=True)
class StoredFile:
    key: str
    sha256: str
    media_type: str
    filename: str


def thumbnail_name(filename: str) -> str:
    """The name a thumbnail downloads under: the file's own, marked small, as a JPEG."""
    stem = filename.rsplit(".", 1)[0] or "lampiran"
    return f"{stem}-kecil.jpg"


def stored_file(
    attachment_id: str,
    *,
    filename: str,
    media_type: str,
    sha256: str,
    thumbnail_sha256: str | None,
    thumbnail: bool,
) -> StoredFile | None:
    """The object to read for the file (``thumbnail`` false) or its thumbnail; ``None`` for the
    thumbnail of a file that has none (a PDF)."""
    if not thumbnail:
        return StoredFile(original_key(attachment_id), sha256, media_type, filename)
    if thumbnail_sha256 is None:
        return None
    return StoredFile(
        thumbnail_key(attachment_id),
        thumbnail_sha256,
        THUMBNAIL_MEDIA_TYPE,
        thumbnail_name(filename),
    )
