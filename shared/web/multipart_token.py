"""The CSRF token of a form that carries files (multipart), read from the start of its body.

asgi-csrf's own reading of a multipart form no longer runs with the python-multipart this
project installs (it passes the parser a ``FileClass`` it no longer takes: every such post
would be a 500), so the token is found here and handed to asgi-csrf as its header, which it
checks against the signed cookie as it checks any token. The token must come before any file
(the pages put the hidden field first); only the parts before it are read, never a file."""

from __future__ import annotations

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.types import Message, Receive

FIELD = b"csrftoken"
MAX_TOKEN_BYTES = 512  # asgi-csrf's signed tokens are about 100 bytes


class _Found(Exception):
    def __init__(self, token: bytes) -> None:
        super().__init__()
        self.token = token


class _NotFirst(Exception):
    """A file, or a token longer than any real one, came before a token."""


class _TokenReader:
    def __init__(self) -> None:
        self.headers: dict[bytes, bytes] = {}
        self.name = b""
        self.value = b""
        self.in_token = False
        self.token = b""

    def part_begin(self) -> None:
        self.headers, self.in_token, self.token = {}, False, b""

    def header_field(self, data: bytes, start: int, end: int) -> None:
        self.name += data[start:end]

    def header_value(self, data: bytes, start: int, end: int) -> None:
        self.value += data[start:end]

    def header_end(self) -> None:
        self.headers[self.name.strip().lower()] = self.value.strip()
        self.name, self.value = b"", b""

    def headers_finished(self) -> None:
        _, options = parse_options_header(self.headers.get(b"content-disposition", b""))
        if b"filename" in options:
            raise _NotFirst
        self.in_token = options.get(b"name") == FIELD

    def part_data(self, data: bytes, start: int, end: int) -> None:
        if self.in_token:
            self.token += data[start:end]
            if len(self.token) > MAX_TOKEN_BYTES:
                raise _NotFirst

    def part_end(self) -> None:
        if self.in_token:
            raise _Found(self.token)


async def multipart_token(
    boundary: bytes, receive: Receive, *, within: int
) -> tuple[str | None, list[Message]]:
    """The form's ``csrftoken`` (None: none before the first file or within the first
    ``within`` bytes, or not UTF-8) and the messages read to find it, for the app to receive
    again: what is held here stays small, whatever the body's size."""
    reader = _TokenReader()
    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": reader.part_begin,
            "on_header_field": reader.header_field,
            "on_header_value": reader.header_value,
            "on_header_end": reader.header_end,
            "on_headers_finished": reader.headers_finished,
            "on_part_data": reader.part_data,
            "on_part_end": reader.part_end,
        },
    )
    read: list[Message] = []
    seen = 0
    try:
        while True:
            message = await receive()
            read.append(message)
            if message["type"] != "http.request":
                return None, read
            body = message.get("body", b"")
            parser.write(body[: max(0, within - seen)])
            seen += len(body)
            if seen > within or not message.get("more_body", False):
                return None, read
    except _Found as found:
        try:
            return found.token.decode("utf-8"), read
        except UnicodeDecodeError:
            return None, read
    except (_NotFirst, MultipartParseError):
        return None, read
