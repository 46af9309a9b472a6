"""What each service wires the same way: its database handle with an outbox relay, the request
session of its API, and the API's relay thread."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from shared.database.engine import ServiceDatabase
from shared.messaging.celery_app import get_celery
from shared.messaging.relay import OutboxRelay
from shared.runtime.settings import get_settings

if TYPE_CHECKING:  # the workers import this module too, and no web stack
    from fastapi import FastAPI


def connect(service: str) -> ServiceDatabase:
    """The service's own database, with a relay publishing its outbox through Celery."""
    settings = get_settings()
    db = ServiceDatabase(service, settings.database_url(service))
    db.relay = OutboxRelay(
        db.sessions,
        get_celery(),
        poll_seconds=settings.outbox.poll_seconds,
        claim_seconds=settings.outbox.claim_seconds,
        redrive_seconds=settings.outbox.redrive_seconds,
        linger_seconds=settings.outbox.batch_linger_seconds,
    )
    return db


def request_session(database: Callable[[], ServiceDatabase]) -> Callable[[], Iterator[Session]]:
    """A FastAPI dependency: one transaction per request, committed when the route returns.

    Use it with ``Depends(..., scope="function")`` so the commit happens before the response is
    sent: a 2xx then means the change is on record.
    """

    def session() -> Iterator[Session]:
        with database().transaction() as s:
            yield s

    return session


def relay_lifespan(
    database: Callable[[], ServiceDatabase], name: str
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """Run the outbox relay thread for as long as the API runs."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        db = database()
        if db.relay is not None:
            db.relay.start(name)
        yield
        if db.relay is not None:
            db.relay.stop()

    return lifespan
