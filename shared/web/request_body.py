"""Reading a request's body ahead of the app, in ASGI middleware, and handing it on unchanged.

Two middlewares need it (the API's size limit, the pages' CSRF check); Starlette reads a body
only inside a route, so the few lines live here once.
"""

from __future__ import annotations

from starlette.types import Message, Receive


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
