"""Reading a request's body ahead of the app, in ASGI middleware, and handing it on unchanged.

Two middlewares need it (the API's size limit, the pages' CSRF check); Starlette reads a body
only inside a route, so the few lines live here once. A file upload is not read ahead: it
streams to the route under a byte cap (``run_capped``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


async def read_at_most(receive: Receive, limit: int) -> bytes | None:
    """The whole body, or ``None`` as soon as it is longer than ``limit`` (the rest unread)."""
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return bytes(body)  # the client left; what follows sees what came
        body += message.get("body", b"")
        if len(body) > limit:
            return None
        if not message.get("more_body", False):
            return bytes(body)


def replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives ``body`` first, then whatever comes (a disconnect, for a
    streaming answer to notice)."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed


Refusal = Callable[[Send], Awaitable[None]]


class BodyTooLarge(HTTPException):
    """Raised from a capped ``receive`` once the body passes its limit: whatever the app makes
    of it, ``run_capped`` answers with its own refusal."""

    def __init__(self) -> None:
        super().__init__(413)


def declared_length(scope: Scope) -> int | None:
    declared: bytes = dict(scope["headers"]).get(b"content-length", b"")
    return int(declared) if declared.isdigit() else None


async def run_capped(
    app: ASGIApp, scope: Scope, receive: Receive, send: Send, limit: int, refuse: Refusal
) -> None:
    """Run ``app`` on a body of at most ``limit`` bytes without holding it: a declared length
    over the limit is refused before anything is read, and a body that grows past it (chunked,
    or longer than declared) as soon as it does. The app reads the body as it streams in (a
    file upload spools to disk); its answer to the aborted read is replaced by ``refuse``."""
    declared = declared_length(scope)
    if declared is not None and declared > limit:
        await refuse(send)
        return
    seen = 0
    over = False
    started = False

    async def counted() -> Message:
        nonlocal seen, over
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                over = True
                raise BodyTooLarge
        return message

    async def answer(message: Message) -> None:
        nonlocal started
        if over:
            if not started:
                started = True
                await refuse(send)
            return
        if message["type"] == "http.response.start":
            started = True
        await send(message)

    try:
        await app(scope, counted, answer)
    except Exception:
        if not over:
            raise
        if not started:
            await refuse(send)


def replay_messages(messages: list[Message], receive: Receive) -> Receive:
    """A ``receive`` that gives ``messages`` again, then whatever comes after them."""
    pending = list(messages)

    async def replayed() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed
