"""What an upload is, decided from its bytes alone (never its name or the client's header),
and what is kept of it: the re-encoded image and its thumbnail, or the checked PDF, under a
safe display name, with their digests. Anything else is refused with an ``UploadRejected``
before a byte is stored."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal

# filetype: signature matching in pure Python (no libmagic to install in the image), one answer
# per file and HEIC/HEIF among the types it knows; the bytes are then decoded by Pillow or
# pypdf, which is the real proof of the type. Magic-based guessers (python-magic) need the
# system's libmagic and answer with free text.
import filetype

from shared.attachments import images, rejections
from shared.attachments.filenames import is_hostile_filename, safe_filename
from shared.attachments.pdf_checks import check_pdf
from shared.attachments.rejections import UploadRejected
from shared.attachments.stored_files import EXTENSIONS, PDF

ACCEPTED = frozenset({*images.FORMATS, PDF})


@dataclass(frozen=True)
class Inspected:
    """An upload fit to store: ``content`` is what is kept (an image re-encoded without its
    metadata), ``filename`` the name to show and download it under."""

    media_type: str
    kind: Literal["image", "pdf"]
    content: bytes
    thumbnail: bytes | None
    filename: str
    size: int
    sha256: str
    thumbnail_sha256: str | None


def detected_type(data: bytes) -> str:
    """The media type ``data``'s signature shows, or ``UploadRejected`` (415) if none allowed."""
    guess = filetype.guess(data)
    media_type = str(guess.mime) if guess is not None else None
    if media_type is None or media_type not in ACCEPTED:
        raise rejections.unsupported()
    return media_type


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def inspect_upload(data: bytes, filename: str | None, *, max_bytes: int) -> Inspected:
    """The upload checked and made safe to keep, or ``UploadRejected``: 422 a name that is a path
    or hides characters, 422 empty, 413 over ``max_bytes``, 415 not a photo or PDF, 422
    truncated, corrupt, a decompression bomb, an encrypted PDF or one with active content."""
    if is_hostile_filename(filename):
        raise rejections.unsafe_filename()
    if not data:
        raise rejections.empty()
    if len(data) > max_bytes:
        raise rejections.too_large(max_bytes)
    media_type = detected_type(data)
    kind: Literal["image", "pdf"]
    if media_type == PDF:
        check_pdf(data)
        content, thumbnail, kind = data, None, "pdf"
    else:
        image = images.reencode(data, media_type)
        content, thumbnail, kind = image.content, image.thumbnail, "image"
        media_type = image.media_type
    extension = "pdf" if media_type == PDF else EXTENSIONS[media_type]
    return Inspected(
        media_type=media_type,
        kind=kind,
        content=content,
        thumbnail=thumbnail,
        filename=safe_filename(filename, extension),
        size=len(content),
        sha256=_digest(content),
        thumbnail_sha256=_digest(thumbnail) if thumbnail is not None else None,
    )


__all__ = ["Inspected", "UploadRejected", "detected_type", "inspect_upload"]
