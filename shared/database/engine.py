"""Engines, sessions and the one place a transaction is committed.

Each service owns its own database; ``ServiceDatabase`` bundles its engine, session factory
and the relay that watches its transactions (the outbox relay of ``shared.messaging``, known
here only by the ``Relay`` protocol: the database layer imports no messaging). Logic functions
take a ``Session`` and may ``flush()``; only ``ServiceDatabase.transaction()`` (used by API
requests and the base task) commits.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from shared.runtime.settings import get_settings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# A PostgreSQL server that has not answered a new connection within this is down: a request, a
# task or /readyz fails (and a task retries) instead of waiting out the OS's TCP timeout.
CONNECT_TIMEOUT_SECONDS = 5


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes on every backend (SQLite forgets the zone; this restores UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(
        self,
        value: datetime | None,
        dialect: Any,  # noqa: ARG002 - SQLAlchemy's signature; UTC is the same in every dialect
    ) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(UTC)

    def process_result_value(
        self,
        value: datetime | None,
        dialect: Any,  # noqa: ARG002 - SQLAlchemy's signature; UTC is the same in every dialect
    ) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def make_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING_CONVENTION)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the API and the workers read while one writes; busy_timeout makes a writer wait
    # for the lock instead of failing at once.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin_immediate(connection: Any) -> None:
    # Take the write lock when the transaction starts, not at its first write: a transaction that
    # read first and wrote later fails outright (SQLITE_BUSY_SNAPSHOT) if another process wrote
    # in between, whatever the busy timeout. Serialised writers suit the embedded default.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        # isolation_level=None: the sqlite3 module leaves BEGIN to us (SQLAlchemy's recipe).
        engine = create_engine(url, connect_args={"timeout": 15, "isolation_level": None})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin_immediate)
        return engine
    settings = get_settings()
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=settings.database.pool_size,
        max_overflow=settings.database.max_overflow,
        # No startup ``options``: PgBouncer refuses them. Settings such as JIT off are the
        # database's own (shared/database/server_settings.py).
        connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS},
    )


class Relay(Protocol):
    """What ``ServiceDatabase`` asks of the relay it carries (``shared.messaging.relay``): to
    watch each transaction, take what it left on commit, and run beside the process."""

    # Any: the handover is the relay's own record, opaque to the database that passes it on.
    def watch(self, session: Session) -> None: ...
    def handover(self, session: Session) -> Any: ...
    def committed(self, handover: Any) -> None: ...
    def start(self, name: str) -> None: ...
    def stop(self) -> None: ...


@dataclass
class ServiceDatabase:
    """A service's database handle; one per process (re-created after fork by the worker)."""

    service: str
    url: str
    engine: Engine = field(init=False)
    sessions: sessionmaker[Session] = field(init=False)
    relay: Relay | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    def __post_init__(self) -> None:
        self.engine = make_engine(self.url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commit at the end, roll back on any error, then hand what it wrote
        to the outbox to the relay (a read hands nothing and costs the relay nothing)."""
        session = self.sessions()
        try:
            if self.relay is not None:
                self.relay.watch(session)
            with session.begin():
                yield session
            handover = self.relay.handover(session) if self.relay is not None else None
        finally:
            session.close()
        if self.relay is not None and handover is not None:
            self.relay.committed(handover)

    def dispose_after_fork(self) -> None:
        self.engine.dispose(close=False)
