"""Limits on the citizens' API request bodies. A size limit, enforced before the body is read: a
declared ``Content-Length`` over the limit is refused at once, and a body sent without one
(chunked) is refused as soon as it grows past the limit, so a client cannot make the service
hold megabytes. The largest valid request (a complaint of 5,000 characters of text, every one
escaped as ``\\uXXXX``) stays well below the limit. The portal's forms have their own limit
(``shared.web.pages.MAX_FORM_BYTES``).

And UTF-8 only: Python's ``json.loads`` reads UTF-16 and UTF-32 bytes as well, which RFC 8259
rules out between systems and which the API's error text already refuses; a body that is not
UTF-8 is answered 400 here, before the app parses it.

A file upload (``POST .../attachments``, multipart) is the one body larger than that, and it is
binary: it may take one file of ``settings.attachments.max_bytes`` plus the multipart framing,
and is not read ahead but streamed to the route under that cap (``run_capped``), refused with
413 as soon as it passes it."""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from shared.web.api_errors import UNREADABLE_BODY, ErrorBody
from shared.web.request_body import read_at_most, replay, run_capped

MAX_BODY_BYTES = 64 * 1024
# The routes that take a file, and the room an upload's framing (boundaries, part headers, a
# long file name) may take beside the file itself.
UPLOAD_PATH = re.compile(r"/api/v1/complaints/[^/]+/attachments/?")
MULTIPART_FRAMING_BYTES = 16 * 1024
TOO_LARGE_MESSAGE = (
    f"Isi permintaan terlalu besar (maksimal {MAX_BODY_BYTES // 1024} kB). Persingkat isian "
    "Anda, lalu kirim lagi."
)
TOO_LARGE_RESPONSE: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorBody, "description": "Isi permintaan terlalu besar (maksimal 64 kB)"}
}
_WITH_BODY = frozenset({"POST", "PUT", "PATCH"})


def upload_too_large_message(max_file_bytes: int) -> str:
    return (
        f"Berkas terlalu besar. Ukuran paling besar {max_file_bytes / 2**20:g} MB per berkas, "
        "satu berkas dalam setiap permintaan."
    )


class BodyLimit:
    def __init__(
        self, app: ASGIApp, *, max_bytes: int = MAX_BODY_BYTES, max_file_bytes: int = 0
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        # An upload's body: the largest file and its framing (0: the app takes no files).
        self.max_upload_bytes = max_file_bytes + MULTIPART_FRAMING_BYTES if max_file_bytes else 0
        self.upload_message = upload_too_large_message(max_file_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in _WITH_BODY
            or not str(scope["path"]).startswith("/api/")
        ):
            await self.app(scope, receive, send)
            return
        if self.max_upload_bytes and UPLOAD_PATH.fullmatch(str(scope["path"])):
            await run_capped(
                self.app, scope, receive, send, self.max_upload_bytes, self._upload_too_large
            )
            return
        if self._declared_too_large(scope):
            await _too_large(send)
            return
        body = await read_at_most(receive, self.max_bytes)
        if body is None:
            await _too_large(send)
            return
        if not _is_utf8(body):
            await _refuse(send, 400, "http_400", UNREADABLE_BODY, close=False)
            return
        await self.app(scope, replay(body, receive), send)

    def _declared_too_large(self, scope: Scope) -> bool:
        declared: bytes = dict(scope["headers"]).get(b"content-length", b"")
        return declared.isdigit() and int(declared) > self.max_bytes

    async def _upload_too_large(self, send: Send) -> None:
        await _refuse(send, 413, "payload_too_large", self.upload_message, close=True)


def _is_utf8(body: bytes) -> bool:
    # UTF-16 and UTF-32 of plain ASCII text are valid UTF-8 byte for byte, save for the NUL
    # bytes between the characters; JSON in UTF-8 never holds a raw NUL (it must be escaped).
    if b"\x00" in body:
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


async def _too_large(send: Send) -> None:
    # The rest of the body is not read: the connection cannot carry another request.
    await _refuse(send, 413, "payload_too_large", TOO_LARGE_MESSAGE, close=True)


async def _refuse(send: Send, status: int, code: str, message: str, *, close: bool) -> None:
    payload = json.dumps({"code": code, "message": message}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(payload)).encode()),
    ]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})
