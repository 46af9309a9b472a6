"""Everything a Redis database holds, as text to search (the erasure journey): every key and
value of every type, kombu's unacked hash and queues included, with each kombu message's body
decoded (kombu writes it base64-encoded inside its JSON envelope)."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator
from typing import Any

import redis


def _decoded(raw: bytes) -> Iterator[str]:
    text = raw.decode("utf-8", errors="replace")
    yield text
    try:
        envelope: Any = json.loads(text)
    except ValueError:
        return
    # A queue holds the envelope; the unacked hash holds [envelope, exchange, routing key].
    for message in envelope if isinstance(envelope, list) else [envelope]:
        if isinstance(message, dict) and isinstance(message.get("body"), str):
            try:
                yield base64.b64decode(message["body"]).decode("utf-8", errors="replace")
            except (binascii.Error, ValueError):
                yield message["body"]


def redis_texts(url: str) -> list[str]:
    """Each key of the database at ``url`` and each of its values, decoded."""
    client: Any = redis.Redis.from_url(url)  # its stubs type every reply as maybe-awaitable
    texts: list[str] = []
    try:
        for key in client.scan_iter(count=500):
            texts.append(key.decode("utf-8", errors="replace"))
            kind = client.type(key).decode()
            values: list[bytes] = []
            if kind == "string":
                values = [client.get(key) or b""]
            elif kind == "list":
                values = list(client.lrange(key, 0, -1))
            elif kind == "hash":
                values = [b for pair in client.hgetall(key).items() for b in pair]
            elif kind == "set":
                values = list(client.smembers(key))
            elif kind == "zset":
                values = [member for member, _ in client.zrange(key, 0, -1, withscores=True)]
            elif kind == "stream":
                values = [
                    b for _, fields in client.xrange(key) for pair in fields.items() for b in pair
                ]
            for value in values:
                texts.extend(_decoded(value))
    finally:
        client.close()
    return texts
