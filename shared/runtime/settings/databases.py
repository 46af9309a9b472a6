"""The databases' settings: each service's URL, its pool, and how a worker rides out an outage."""

from __future__ import annotations

from pathlib import Path

from shared.runtime.settings.groups import Group, setting
from shared.runtime.settings.project import SERVICES


class DatabaseSettings(Group):
    """Databases: each service owns its own; unset, a SQLite file under the data directory."""

    intake_url: str | None = setting(
        "PENGADUAN_INTAKE_DATABASE_URL", None, "The intake's database (SQLAlchemy URL)."
    )
    workflow_url: str | None = setting(
        "PENGADUAN_WORKFLOW_DATABASE_URL", None, "The workflow's database (SQLAlchemy URL)."
    )
    notifier_url: str | None = setting(
        "PENGADUAN_NOTIFIER_DATABASE_URL", None, "The notifier's database (SQLAlchemy URL)."
    )
    pool_size: int = setting(
        "PENGADUAN_DATABASE_POOL_SIZE",
        10,
        "PostgreSQL connections each process keeps open. An API process serves up to ~40 "
        "requests at once in its thread pool; a worker process needs one. Mind PostgreSQL's "
        "max_connections (100 by default) across every process: compose runs two API "
        "processes per API container.",
        ge=1,
    )
    max_overflow: int = setting(
        "PENGADUAN_DATABASE_MAX_OVERFLOW",
        10,
        "How many more connections a process may open at a peak (closed again after).",
        ge=0,
    )

    outage_patience_seconds: float = setting(
        "PENGADUAN_DATABASE_OUTAGE_PATIENCE_SECONDS",
        300,
        "How long a worker keeps trying a message while its database cannot be reached "
        "(restarting, stopped, out of connections, a locked SQLite file), holding the message "
        "meanwhile; after that it puts the message back on its queue for a later try. A message "
        "is never given up, nor kept as a dead letter, because the database was away "
        '(docs/RELIABILITY.md, "When the database goes away").',
        gt=0,
    )
    outage_backoff_max_seconds: float = setting(
        "PENGADUAN_DATABASE_OUTAGE_BACKOFF_MAX_SECONDS",
        5,
        "The longest pause between two tries while the database is away (the pauses start at "
        "a quarter of a second and double, with jitter): how late, at most, work resumes after "
        "the database is back.",
        gt=0,
    )

    def configured_url(self, service: str) -> str | None:
        if service not in SERVICES:
            raise ValueError(f"unknown service {service!r}")
        url: str | None = getattr(self, f"{service}_url")
        return url

    def url(self, service: str, data_dir: Path) -> str:
        """The service's database; unset, its SQLite file under ``data_dir``."""
        return self.configured_url(service) or f"sqlite:///{data_dir / f'{service}.db'}"
