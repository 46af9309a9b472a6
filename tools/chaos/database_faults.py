"""The chaos run's databases, and the faults it causes them.

On PostgreSQL the run starts a server of its own from Debian's binaries
(``tools.harness.postgres_cluster``): it may restart it (``pg_ctl restart -m fast``, every
connection of every process ended), stop it for a while, take one service's database away (its
connections ended and new ones refused, as a restart of that database alone would) and fill
every connection slot it has (``max_connections`` reached). On SQLite, the default of ``make
run``, it holds one service's database file locked past SQLite's busy timeout.
"""

from __future__ import annotations

import contextlib
import random
import sqlite3
import time
from contextlib import ExitStack
from pathlib import Path

import psycopg

from tools.harness.databases import PostgresDatabases, SqliteDatabases, fresh_set
from tools.harness.postgres_cluster import PostgresCluster, admit_connections, refuse_connections

POSTGRES_FAULTS = (
    "restart-database",
    "database-outage",
    "service-database-away",
    "connection-limit",
)
SQLITE_FAULTS = ("sqlite-locked",)
DATABASE_FAULTS = POSTGRES_FAULTS + SQLITE_FAULTS

# The run's own server: enough for every process of the desk at its busiest (two APIs, three
# workers, beat, the staff's and the verdict's reads), low enough that filling it is quick.
MAX_CONNECTIONS = 60
# SQLite's busy timeout is 15 s (shared/database/engine.py): a lock held longer makes writers fail.
SQLITE_LOCK_MIN_SECONDS = 16.0


class Databases:
    """Each service's fresh database on the run's own server or in SQLite files, and the
    faults that can be caused to them."""

    def __init__(self, workdir: Path, stack: ExitStack, *, postgres: bool) -> None:
        self.cluster: PostgresCluster | None = None
        pool: PostgresDatabases | SqliteDatabases
        if postgres:
            self.cluster = PostgresCluster(workdir / "postgres", max_connections=MAX_CONNECTIONS)
            self.cluster.init().start()
            stack.callback(self.cluster.destroy)
            pool = PostgresDatabases(self.cluster.url())
            stack.callback(pool.admin.dispose)
        else:
            (workdir / "db").mkdir(parents=True, exist_ok=True)
            pool = SqliteDatabases(workdir / "db")
        self.urls = fresh_set(pool)

    @property
    def kinds(self) -> tuple[str, ...]:
        return POSTGRES_FAULTS if self.cluster is not None else SQLITE_FAULTS

    def inject(self, kind: str, rng: random.Random, seconds: float) -> str:
        """Cause ``kind`` for about ``seconds`` (a restart takes what it takes) and end it; what
        was done, for the run's log."""
        if kind == "sqlite-locked":
            service = rng.choice(sorted(self.urls))
            held = max(seconds, SQLITE_LOCK_MIN_SECONDS)
            self._lock_sqlite(service, held)
            return f"{service} ({held:.0f} s)"
        cluster = self.cluster
        if cluster is None:
            raise ValueError(f"{kind} needs the run's own PostgreSQL server")
        if kind == "restart-database":
            cluster.restart("fast")
            return ""
        if kind == "database-outage":
            cluster.stop("fast")
            time.sleep(seconds)
            cluster.start()
            return f"({seconds:.0f} s)"
        if kind == "service-database-away":
            service = rng.choice(sorted(self.urls))
            name = self.urls[service].rsplit("/", 1)[1]
            refuse_connections(cluster.url(), name)
            time.sleep(seconds)
            admit_connections(cluster.url(), name)
            return f"{service} ({seconds:.0f} s)"
        if kind == "connection-limit":
            taken = self._fill_connections(cluster, seconds)
            return f"({taken} connections taken for {seconds:.0f} s)"
        raise ValueError(kind)

    def _lock_sqlite(self, service: str, seconds: float) -> None:
        path = self.urls[service].removeprefix("sqlite:///")
        holder = sqlite3.connect(path, timeout=60, isolation_level=None)
        try:
            holder.execute("BEGIN EXCLUSIVE")
            time.sleep(seconds)
            holder.execute("ROLLBACK")
        finally:
            holder.close()

    def _fill_connections(self, cluster: PostgresCluster, seconds: float) -> int:
        """Open connections until the server refuses one, hold them ``seconds``, close them."""
        held: list[psycopg.Connection[tuple[object, ...]]] = []
        try:
            for _ in range(MAX_CONNECTIONS):
                try:
                    held.append(
                        psycopg.connect(
                            host="127.0.0.1", port=cluster.port, user="postgres", dbname="postgres"
                        )
                    )
                except psycopg.OperationalError:
                    break  # "sorry, too many clients already": the limit is reached
            time.sleep(seconds)
            return len(held)
        finally:
            for connection in held:
                with contextlib.suppress(psycopg.Error):
                    connection.close()
