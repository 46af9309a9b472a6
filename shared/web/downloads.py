"""A stored file as an HTTP answer, the same way wherever one is served (staff API, console,
complainant's download): always a download, never rendered by the browser in our origin."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi.responses import Response

# What OpenAPI says of a file answer's headers (``responses={200: file_answer_doc(...)}``).
FILE_HEADERS_DOC: dict[str, Any] = {
    "Content-Disposition": {
        "description": "Selalu unduhan: attachment; filename*=UTF-8''<nama berkas>",
        "schema": {"type": "string"},
    },
    "X-Content-Type-Options": {
        "description": "nosniff: peramban memakai jenis berkas yang disimpan",
        "schema": {"type": "string"},
    },
}


def content_disposition(filename: str) -> str:
    """``attachment`` with the name in RFC 5987 form, so any name (spaces, non-ASCII, quotes)
    travels intact and cannot break out of the header."""
    return f"attachment; filename*=UTF-8''{quote(filename, safe='')}"


def file_response(data: bytes, media_type: str, filename: str) -> Response:
    """The bytes with their stored media type, as a download the browser does not sniff."""
    return Response(
        content=data,
        media_type=media_type,
        headers={
            "Content-Disposition": content_disposition(filename),
            "X-Content-Type-Options": "nosniff",
        },
    )


def file_answer_doc(description: str, media_types: tuple[str, ...]) -> dict[str, Any]:
    """The OpenAPI description of a 200 file answer in any of ``media_types``."""
    return {
        "description": description,
        "content": {t: {"schema": {"type": "string", "format": "binary"}} for t in media_types},
        "headers": FILE_HEADERS_DOC,
    }
