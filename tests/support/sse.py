"""Reading a Server-Sent Events stream as a browser's EventSource does (comments and ``retry``
skipped; an event is dispatched at the blank line that ends it)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass(frozen=True)
class Event:
    event: str
    data: str
    id: str | None

    def json(self) -> Any:
        return json.loads(self.data)


def events(lines: Iterable[str]) -> Iterator[Event]:
    name, data, event_id = "", [], None
    for line in lines:
        if line == "":
            if data:
                yield Event(name or "message", "\n".join(data), event_id)
            name, data, event_id = "", [], None
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if field == "event":
            name = value
        elif field == "data":
            data.append(value)
        elif field == "id":
            event_id = value


class StreamReader:
    """Reads a live stream in a thread of its own until ``done(events so far)`` holds."""

    def __init__(
        self,
        url: str,
        headers: dict[str, str],
        done: Callable[[list[Event]], bool],
        timeout: float = 90,
    ) -> None:
        self.url = url
        self.headers = headers
        self.done = done
        self.timeout = timeout
        self.received: list[Event] = []
        self.status_code: int | None = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> StreamReader:
        self._thread.start()
        return self

    def join(self, timeout: float = 90) -> None:
        self._thread.join(timeout)

    def _run(self) -> None:
        try:
            with httpx.stream(
                "GET", self.url, headers=self.headers, timeout=self.timeout
            ) as response:
                self.status_code = response.status_code
                for event in events(response.iter_lines()):
                    self.received.append(event)
                    if self.done(self.received):
                        return
        except BaseException as exc:  # handed to the test, which asserts on it
            self.error = exc
