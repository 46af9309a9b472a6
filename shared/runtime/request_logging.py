"""An API's request logging: the ``X-Request-ID`` each request is logged (and answered) under,
and the complaint or case its path names.

Apart from ``log_setup`` because it needs the web stack (FastAPI, asgi-correlation-id's
middleware), which the workers and beat, logging through ``log_setup`` too, never import.
"""

from __future__ import annotations

from asgi_correlation_id import CorrelationIdMiddleware, correlation_id
from fastapi import Depends, FastAPI, Request

from shared.runtime.log_context import annotate, read_http_request_id_from
from shared.runtime.log_setup import configure_logging

REQUEST_ID_HEADER = "X-Request-ID"
# Path parameters that name a complaint, a case or a notification.
PATH_IDS = ("tracking_code", "case_id", "notification_id")
MAX_ID_LENGTH = 64

# A line logged while a request is served carries the id the middleware gave it.
read_http_request_id_from(correlation_id.get)


def install_request_logging(app: FastAPI, service: str) -> None:
    """An API's logs, and the ``X-Request-ID`` each request is logged (and answered) under.

    A caller's own id is kept when it is a UUID, so a proxy's or a client's id ties its lines to
    ours; anything else is replaced. The id only groups log lines: nothing trusts it.
    """
    configure_logging(service)
    app.add_middleware(CorrelationIdMiddleware, header_name=REQUEST_ID_HEADER)
    # Before any route is added: every route then takes the dependency.
    app.router.dependencies.append(Depends(_log_path_ids))


async def _log_path_ids(request: Request) -> None:
    """Log a request for a complaint or case under its id, as a task about it is.

    Async on purpose: it then runs in the request's own context, which the route's thread
    inherits. Only well-formed ids are kept: the path is the caller's text, and a line break in
    it must not forge a log line.
    """
    ids = {
        key: value
        for key in PATH_IDS
        if (value := request.path_params.get(key)) is not None and _looks_like_id(str(value))
    }
    if ids:
        annotate(**ids)


def _looks_like_id(value: str) -> bool:
    return 0 < len(value) <= MAX_ID_LENGTH and value.isascii() and value.replace("-", "").isalnum()
