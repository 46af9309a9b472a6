"""The ids every log line carries: the request that started the work and the complaint it is for.

An API request gets its id from ``X-Request-ID`` (asgi-correlation-id checks and sets it); the
outbox stores that id with each message it keeps, the relay sends it as a task header, and the
consuming task logs under it and passes it on with the messages it sends in turn. So the lines
of a filing, in the API, in every worker and in the notifier, share one ``request_id``, and every
line about a complaint carries its ``tracking_code`` (the case id a citizen and staff both see).

Hand-written on purpose: the outbox relay publishes from its own thread, after the request has
ended, so the header has to travel in the outbox row; no logging library does that part.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from types import MappingProxyType
from typing import Any

from celery import current_task

# The task header that carries the request id from the outbox to the consuming task.
REQUEST_ID_HEADER = "request_id"

# The fields a log line may carry beside its message, in the order text logs show them.
CONTEXT_FIELDS = ("request_id", "tracking_code", "case_id", "notification_id")

# Never mutated: every change sets a new mapping, so a scope's reset restores the one before.
_NONE: Mapping[str, str] = MappingProxyType({})
_fields: ContextVar[Mapping[str, str]] = ContextVar("pengaduan_log_fields", default=_NONE)
# The HTTP request's id, in a process that serves HTTP: ``shared.runtime.request_logging`` sets
# it to asgi-correlation-id's. A worker has none, and imports no web stack to learn that.
_http_request_id: dict[str, Callable[[], str | None]] = {"get": lambda: None}


def read_http_request_id_from(getter: Callable[[], str | None]) -> None:
    _http_request_id["get"] = getter


def current_request_id() -> str | None:
    """The request id in force: a task's (from its header) or else the HTTP request's."""
    return _fields.get().get("request_id") or _http_request_id["get"]()


@contextmanager
def log_scope(**fields: object) -> Iterator[None]:
    """Log under ``fields`` until the block ends (a task's whole run, say); ``None`` is left out."""
    token = _fields.set({**_fields.get(), **_clean(fields)})
    try:
        yield
    finally:
        _fields.reset(token)


def annotate(**fields: object) -> None:
    """Add ``fields`` to the current scope, from inside it: a task that learns the tracking code
    only once it has loaded the case. The enclosing ``log_scope`` drops them at its end."""
    _fields.set({**_fields.get(), **_clean(fields)})


def start_task_scope(task: Any = None, **_: Any) -> None:
    """Celery's ``task_prerun``: a task logs under the request id its message carries, and under
    nothing a task before it in this process annotated."""
    request_id = task.request.get(REQUEST_ID_HEADER) if task is not None else None
    _fields.set(MappingProxyType(_clean({"request_id": request_id})))


def end_task_scope(**_: Any) -> None:
    """Celery's ``task_postrun``."""
    _fields.set(_NONE)


def ids_of(message: object) -> dict[str, object]:
    """The ids a contract message carries that a log line should show."""
    return {name: getattr(message, name, None) for name in CONTEXT_FIELDS[1:]}


def _clean(fields: Mapping[str, object]) -> dict[str, str]:
    return {key: str(value) for key, value in fields.items() if value not in (None, "")}


class ContextFilter(logging.Filter):
    """Puts the scope's ids, and the running Celery task's name and id, on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        fields: dict[str, Any] = dict(_fields.get())
        if "request_id" not in fields and (request_id := _http_request_id["get"]()):
            fields["request_id"] = request_id
        # A proxy: false outside a task, so the API's lines carry no task fields.
        if current_task and current_task.request.id is not None:
            fields.setdefault("task_id", current_task.request.id)
            fields.setdefault("task_name", current_task.name)
        for key, value in fields.items():
            if not hasattr(record, key):
                setattr(record, key, value)
        return True
