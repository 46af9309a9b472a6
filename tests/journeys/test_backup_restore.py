"""Issue 26's backups that restore: a desk backed up while it runs, its data directory (and its
PostgreSQL databases) destroyed, restored with ``python -m tools.backup``, started again: every
complaint, its history, its attachment and its pending notification are there, and the work
goes on to the answer."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from shared.sop import Role
from tests.support.attachment_files import pdf
from tools.harness.chaos_servers import RestartableSmtpServer
from tools.harness.databases import PostgresDatabases, SqliteDatabases
from tools.harness.desk import STEP_INPUTS, Desk
from tools.harness.processes import PROJECT_ROOT, ApiProcess, ServiceProcess, start_worker, wait_for
from tools.harness.redis_server import RedisServer
from tools.harness.smtp import SmtpServer


@pytest.fixture
def smtp_server() -> Iterator[RestartableSmtpServer]:
    server = RestartableSmtpServer()  # down for a while: a notification stays pending
    server.start()
    yield server
    server.stop()


@pytest.fixture
def broker_url(private_redis: RedisServer) -> str:
    return f"{private_redis.url}/0"


pytestmark = pytest.mark.both_databases


@pytest.fixture
def database_urls(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_pool: PostgresDatabases | None
) -> dict[str, str]:
    """On each backend in turn (``both_databases``): SQLite files under the data directory, as
    make run's, or PostgreSQL databases (skipped without one)."""
    pool: PostgresDatabases | SqliteDatabases = SqliteDatabases(tmp_path / "var")
    if request.param == "postgresql":
        if postgres_pool is None:
            pytest.skip("PENGADUAN_TEST_DATABASE_URL is not set")
        pool = postgres_pool
    (tmp_path / "var").mkdir(exist_ok=True)
    return {service: pool.fresh(service) for service in ("intake", "workflow", "notifier")}


@contextmanager
def desk(env: dict[str, str], logs: Path, smtp: SmtpServer, *, add_staff: bool) -> Iterator[Desk]:
    apis: list[ApiProcess] = []
    workers: dict[str, ServiceProcess] = {}
    try:
        apis = [ApiProcess(name, env, logs).start() for name in ("intake", "workflow")]
        for name in ("intake", "workflow", "notifier"):
            workers[name] = start_worker(name, env, logs)
        running = Desk(apis[0], apis[1], workers, env, logs, smtp, add_staff=add_staff)
        yield running
        running.close()
    finally:
        for process in [*apis, *workers.values()]:
            process.stop()


def backup_tool(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tools.backup", *args],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=240,
    )


def email_delivery(env: dict[str, str], tracking_code: str) -> str | None:
    engine = create_engine(env["PENGADUAN_NOTIFIER_DATABASE_URL"])
    try:
        with engine.connect() as connection:
            status = connection.execute(
                text(
                    "SELECT status FROM deliveries WHERE tracking_code = :code "
                    "AND channel = 'email' AND kind = 'filed'"
                ),
                {"code": tracking_code},
            ).scalar()
    finally:
        engine.dispose()
    return None if status is None else str(status)


def emptied_postgres(pool: PostgresDatabases, urls: dict[str, str]) -> None:
    """Each database dropped and created again empty, as a new server would have it."""
    with pool.admin.connect() as connection:
        for url in urls.values():
            name = make_url(url).database
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))


def steps_taken(system: Desk, case_id: str) -> list[tuple[Any, ...]]:
    """The case's history of steps: each completed step, by whom and when. (Events recorded by
    the hand-offs after it, a delivery's record for one, may come after the backup.)"""
    return [
        (event["step"], event["actor"], event["occurred_at"], event["input"])
        for event in system.case(case_id)["history"]
        if event["kind"] == "completed"
    ]


def test_a_desk_backed_up_running_and_destroyed_is_restored_whole(
    service_env: dict[str, str],
    tmp_path: Path,
    smtp_server: RestartableSmtpServer,
    private_redis: RedisServer,
    postgres_pool: PostgresDatabases | None,
    database_urls: dict[str, str],
) -> None:
    logs, backups = tmp_path / "logs", tmp_path / "backups"
    logs.mkdir()
    document = pdf()
    with desk(service_env, logs, smtp_server, add_staff=True) as system:
        halfway = system.file_complaint(subject="Izin usaha belum terbit")
        assert system.upload(halfway, "bukti.pdf", document, "application/pdf").status_code == 201
        answered = system.file_complaint(subject="Izin reklame belum terbit")
        waiting = system.file_complaint(subject="Izin bangunan belum diproses")
        halfway_case = system.walk(halfway["tracking_code"], range(1, 3))
        answered_case = system.walk(answered["tracking_code"])
        system.wait_for_status(answered, "answered")
        system.wait_for_work(Role.ADMIN, waiting["tracking_code"], 1)
        [attachment] = system.wait_for_attachments(Role.KOORDINATOR, halfway_case, count=1)

        smtp_server.stop()  # the mail server goes down: the next notice stays pending
        pending = system.file_complaint(subject="Izin usaha mikro belum terbit")
        wait_for(
            lambda: email_delivery(service_env, pending["tracking_code"]) == "retrying",
            60,
            "the pending notice's email to be retrying",
        )
        before = {
            case_id: steps_taken(system, case_id) for case_id in (halfway_case, answered_case)
        }

        assert [len(steps) for steps in before.values()] == [2, 5]
        taken = backup_tool(service_env, "create", "--to", str(backups))
        assert taken.returncode == 0, taken.stderr
        [backup_set] = [path for path in backups.iterdir() if not path.name.startswith(".")]
        refused = backup_tool(service_env, "restore", str(backup_set))
        assert refused.returncode == 1
        assert "the desk is running" in refused.stderr

    private_redis.stop()
    shutil.rmtree(tmp_path / "var")
    if postgres_pool is not None and "postgresql" in database_urls["intake"]:
        emptied_postgres(postgres_pool, database_urls)

    redis_dir = str(tmp_path / "var" / "redis")
    restored = backup_tool(service_env, "restore", str(backup_set), "--redis-dir", redis_dir)
    assert restored.returncode == 0, restored.stderr
    private_redis.start()  # on the restored append-only file
    with desk(service_env, logs, smtp_server, add_staff=False) as system:
        for case_id, history in before.items():
            assert steps_taken(system, case_id) == history
        assert system.track(answered)["answer"] == STEP_INPUTS[4]["answer"]
        assert system.case(halfway_case)["current_step"] == 3
        system.wait_for_work(Role.ADMIN, waiting["tracking_code"], 1)
        system.wait_for_work(Role.ADMIN, pending["tracking_code"], 1)
        download = system.download(Role.KOORDINATOR, attachment["links"]["content"])
        assert download.status_code == 200, download.text
        assert download.content == document
        assert email_delivery(service_env, pending["tracking_code"]) == "retrying"

        smtp_server.start()  # the mail server is back: the pending notice goes out
        wait_for(
            lambda: email_delivery(service_env, pending["tracking_code"]) == "sent",
            120,  # the retry's backoff reaches 60 s
            "the pending notice's email to be sent",
        )
        system.walk(halfway["tracking_code"], range(3, 6))
        tracked = system.wait_for_status(halfway, "answered")
        assert tracked["answer"] == STEP_INPUTS[4]["answer"]
