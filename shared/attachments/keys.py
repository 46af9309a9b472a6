"""The keys files are kept under in the attachment store, the one naming every backend shares:
``originals/<attachment id>`` and ``thumbnails/<attachment id>``."""

from __future__ import annotations

import re
import uuid

# A key is slash-separated segments of letters, digits, dot, dash and underscore, no segment
# "." or "..": nothing a backend could read as leaving its directory or bucket prefix.
_SEGMENT = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}")
_MAX_SEGMENTS = 4


class InvalidKey(ValueError):
    """A key outside the store's naming (a path that could escape the store): a program error."""


def checked_key(key: str) -> str:
    """``key`` itself when it is a valid store key; otherwise ``InvalidKey``."""
    segments = key.split("/")
    if len(segments) > _MAX_SEGMENTS or not all(
        _SEGMENT.fullmatch(part) and part not in {".", ".."} for part in segments
    ):
        raise InvalidKey(f"not an attachment store key: {key!r}")
    return key


def original_key(attachment_id: uuid.UUID | str) -> str:
    """The stored (re-encoded) file of an attachment."""
    return checked_key(f"originals/{uuid.UUID(str(attachment_id))}")


def thumbnail_key(attachment_id: uuid.UUID | str) -> str:
    """An image attachment's thumbnail."""
    return checked_key(f"thumbnails/{uuid.UUID(str(attachment_id))}")
