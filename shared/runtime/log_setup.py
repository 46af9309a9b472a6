"""What every process's log lines look like and where they go: stderr, one JSON object per line
(``PENGADUAN_LOG_FORMAT=json``, the default, for a log collector) or plain text for a terminal.

Each line names its service and, through ``shared.runtime.log_context``, the request id and the
complaint's tracking code; uvicorn's and Celery's own lines go the same way.
"""

from __future__ import annotations

import logging
import sys
from typing import Any, TextIO

from celery import signals
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

from shared.runtime.log_context import (
    CONTEXT_FIELDS,
    ContextFilter,
    end_task_scope,
    start_task_scope,
)
from shared.runtime.log_redaction import RedactingFormatter
from shared.runtime.settings import Settings, get_settings

HANDLER_NAME = "pengaduan"
ACCESS_ARGS = 5
# Query parameters never logged: what a person searched for (``q``: maybe a complainant's name,
# email or phone), the portal's one-time access link (``token``) and an Open311 partner's key
# (``api_key``, which the spec's reads carry in the query).
REDACTED_PARAMETERS = frozenset({"q", "token", "api_key"})
# uvicorn's own loggers: their lines go through the root handler like everyone else's.
UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the time (test runners swap it)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _: Any) -> None:
        pass


class TextFormatter(logging.Formatter):
    """``time level logger [ids]: message``, for a person at a terminal (``make run``)."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s%(ids)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        ids = [f"{key}={getattr(record, key)}" for key in CONTEXT_FIELDS if hasattr(record, key)]
        record.ids = f" [{' '.join(ids)}]" if ids else ""
        return super().format(record)


class AccessFieldsFilter(logging.Filter):
    """uvicorn's access line as fields (method, path, status) a log query can filter on; a
    search's value and a one-time link's token left out of its address."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        # uvicorn's arguments: client, method, path, HTTP version, status.
        if record.name == "uvicorn.access" and isinstance(args, tuple) and len(args) == ACCESS_ARGS:
            client, method, path, version, status = args
            path = without_secrets(str(path))
            record.args = (client, method, path, version, status)
            record.http_method, record.http_path, record.http_status = method, path, status
        return True


def without_secrets(path: str) -> str:
    """``path`` with the value of each redacted parameter replaced by ``[redacted]``."""
    if "?" not in path:
        return path
    base, _, query = path.partition("?")
    parts = [
        f"{name}=[redacted]" if name in REDACTED_PARAMETERS else f"{name}{sep}{value}"
        for name, sep, value in (part.partition("=") for part in query.split("&"))
    ]
    return f"{base}?{'&'.join(parts)}"


def json_formatter(service: str) -> JsonFormatter:
    return JsonFormatter(
        "{levelname}{name}{message}",
        style="{",
        timestamp="time",
        rename_fields={"levelname": "level", "name": "logger"},
        static_fields={"service": service},
        json_ensure_ascii=False,
        # uvicorn's copy of the message with terminal colours: noise in a JSON line.
        reserved_attrs=[*RESERVED_ATTRS, "color_message"],
    )


def configure_logging(service: str, settings: Settings | None = None) -> None:
    """Send every logger's lines to stderr in the configured format; safe to call again."""
    settings = settings or get_settings()
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(old)
    handler = _StderrHandler()
    handler.set_name(HANDLER_NAME)
    formatter = json_formatter(service) if settings.logs.format == "json" else TextFormatter()
    # No email address or phone number in a line, even quoted from a server or an exception.
    handler.setFormatter(RedactingFormatter(formatter))
    handler.addFilter(ContextFilter())
    handler.addFilter(AccessFieldsFilter())
    root.addHandler(handler)
    root.setLevel(settings.logs.level)
    for name in UVICORN_LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True


def log_celery_as(service: str) -> None:
    """A Celery process (worker, beat) logs like the APIs instead of Celery's own set-up, and
    each task under the request id its message carries."""

    def setup(**_: Any) -> None:
        configure_logging(service)

    # One receiver each, however often this is called (dispatch_uid).
    signals.setup_logging.connect(setup, weak=False, dispatch_uid="pengaduan-logging")
    signals.task_prerun.connect(start_task_scope, weak=False, dispatch_uid="pengaduan-task-scope")
    signals.task_postrun.connect(end_task_scope, weak=False, dispatch_uid="pengaduan-task-scope")
