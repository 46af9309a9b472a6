"""A stored file as an HTTP answer, the same way wherever one is served (staff API, console,
complainant's download): always a download, never rendered by the browser in our origin."""

from __future__ import annotations

from typing import Any

from fastapi.responses import Response

from shared.attachments import download_headers

# What OpenAPI says of a file answer's headers (``responses={200: file_answer_doc(...)}``).
FILE_HEADERS_DOC: dict[str, Any] = {
    "Content-Disposition": {
        "description": 'Selalu unduhan: attachment; filename="<nama ASCII>"; '
        "filename*=UTF-8''<nama berkas>",
        "schema": {"type": "string"},
    },
    "X-Content-Type-Options": {
        "description": "nosniff: peramban memakai jenis berkas yang disimpan",
        "schema": {"type": "string"},
    },
    "Content-Security-Policy": {
        "description": "default-src 'none'; sandbox: berkas tidak dijalankan sebagai halaman",
        "schema": {"type": "string"},
    },
    "Cache-Control": {
        "description": "private, no-store: lampiran adalah data pribadi",
        "schema": {"type": "string"},
    },
}


def file_response(data: bytes, media_type: str, filename: str) -> Response:
    """The bytes with their stored media type and the attachment headers of
    ``shared.attachments.download_headers``: a download the browser neither sniffs nor runs."""
    headers = download_headers(filename, media_type)
    del headers["Content-Type"]  # the response's own media type sets it
    return Response(content=data, media_type=media_type, headers=headers)


def file_answer_doc(description: str, media_types: tuple[str, ...]) -> dict[str, Any]:
    """The OpenAPI description of a 200 file answer in any of ``media_types``."""
    return {
        "description": description,
        "content": {t: {"schema": {"type": "string", "format": "binary"}} for t in media_types},
        "headers": FILE_HEADERS_DOC,
    }
