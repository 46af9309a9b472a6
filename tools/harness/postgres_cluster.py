"""A PostgreSQL server of the suite's own, from the Debian binaries on the machine: one that a
test or the chaos suite may restart, stop for a while and starve of connections, which the
machine's shared server must never be.

PostgreSQL refuses to run as root; run as root (CI), the server runs as the ``postgres`` user,
its data directory under ``/tmp`` (a test's own directory is not open to other users), and the
directory that was asked for gets a symlink to it.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy import create_engine, text

from tools.harness.redis_server import free_port

SERVER_USER = "postgres"


def binaries() -> Path | None:
    """The newest Debian PostgreSQL ``bin`` directory, or ``None`` without one."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0,
    )
    return found[-1].parent if found else None


class PostgresCluster:
    """``initdb`` once, then ``start``, ``stop``, ``restart`` at will; ``url`` per database."""

    def __init__(self, directory: Path, *, max_connections: int = 100) -> None:
        bin_dir = binaries()
        if bin_dir is None:
            raise FileNotFoundError("PostgreSQL's binaries (/usr/lib/postgresql/*/bin) not found")
        self.bin = bin_dir
        self.port = free_port()
        self.max_connections = max_connections
        self.as_root = os.geteuid() == 0
        if self.as_root:
            self.data = Path(tempfile.mkdtemp(prefix="pengaduan-pg-")) / "data"
            directory.parent.mkdir(parents=True, exist_ok=True)
            if not directory.exists():
                directory.symlink_to(self.data.parent)
        else:
            self.data = directory / "data"
        self.log = self.data.parent / "server.log"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{SERVER_USER}@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", SERVER_USER, "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def init(self) -> PostgresCluster:
        self.data.parent.mkdir(parents=True, exist_ok=True)
        if self.as_root:
            user = pwd.getpwnam(SERVER_USER)
            os.chown(self.data.parent, user.pw_uid, user.pw_gid)
        self._run(
            "initdb", "-D", str(self.data), "-U", SERVER_USER, "--auth=trust", "-E", "UTF8",
            "--no-sync",
        )  # fmt: skip
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(self.port),
            "unix_socket_directories": f"'{self.data.parent}'",
            "max_connections": str(self.max_connections),
            "superuser_reserved_connections": "0",
            "fsync": "off",  # a test server: a crash of the machine loses nothing that matters
            "shared_buffers": "32MB",
        }
        with (self.data / "postgresql.auto.conf").open("a") as conf:
            for name, value in settings.items():
                conf.write(f"{name} = {value}\n")
        return self

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def restart(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-m", mode, "-w", "restart")

    def running(self) -> bool:
        command = [str(self.bin / "pg_ctl"), "-D", str(self.data), "status"]
        if self.as_root:
            command = ["runuser", "-u", SERVER_USER, "--", *command]
        return subprocess.run(command, capture_output=True, check=False).returncode == 0

    def create_database(self, name: str) -> str:
        engine = create_engine(self.url(), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        finally:
            engine.dispose()
        return self.url(name)

    def destroy(self) -> None:
        if self.running():
            self.stop("immediate")
        shutil.rmtree(self.data.parent, ignore_errors=True)


def refuse_connections(admin_url: str, database: str) -> None:
    """Take ``database`` away from its clients as a restart of it would: every open connection
    ended, new ones refused ("not currently accepting connections") until ``admit_connections``.
    ``admin_url`` is a connection to another database of the same server."""
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{database}" WITH ALLOW_CONNECTIONS false'))
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": database},
            )
    finally:
        engine.dispose()


def admit_connections(admin_url: str, database: str) -> None:
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{database}" WITH ALLOW_CONNECTIONS true'))
    finally:
        engine.dispose()
