"""The database goes away under the running desk, on a PostgreSQL server of the tests' own: the
citizens' API answers 503 in Indonesian with ``Retry-After`` (never a 500) while it cannot write,
work in flight waits for the database (a worker killed meanwhile loses nothing), nothing becomes
a dead letter, and every complaint arrives exactly once when the database is back."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from shared.database.shared_tables import FailedMessage
from shared.sop import Role
from tools.harness.databases import PostgresDatabases, fresh_set
from tools.harness.desk import Desk
from tools.harness.environment import FAST_RECOVERY, desk_environment
from tools.harness.postgres_cluster import PostgresCluster, admit_connections, refuse_connections
from tools.harness.processes import start_worker, wait_for
from tools.harness.smtp import SmtpServer


@pytest.fixture
def database_urls(own_postgres_pool: PostgresDatabases) -> dict[str, str]:
    return fresh_set(own_postgres_pool)


@pytest.fixture
def service_env(
    tmp_path: Path, broker_url: str, database_urls: dict[str, str], smtp_server: SmtpServer
) -> dict[str, str]:
    return desk_environment(
        tmp_path,
        broker_url,
        database_urls,
        smtp_server.port,
        **FAST_RECOVERY,
        # Short, so that the outage below outlasts it: past it a message goes back on its queue
        # (production: 300 s), and must still arrive once the database is back.
        database_outage_patience_seconds="3",
        database_outage_backoff_max_seconds="1",
    )


def dead_letters(database_urls: dict[str, str]) -> int:
    total = 0
    for url in database_urls.values():
        engine = create_engine(url)
        with engine.connect() as conn:
            total += conn.execute(select(func.count()).select_from(FailedMessage)).scalar_one()
        engine.dispose()
    return total


def test_cases_filed_while_the_workflow_database_is_away_arrive_once_it_is_back(
    system: Desk, own_postgres: PostgresCluster, database_urls: dict[str, str]
) -> None:
    workflow_db = database_urls["workflow"].rsplit("/", 1)[1]
    refuse_connections(own_postgres.url(), workflow_db)
    try:
        filed = [system.file_complaint() for _ in range(3)]
        worker = system.workers["workflow"]
        worker.wait_for_output("database unavailable", timeout=60)
        worker.wait_for_output("the message goes back on its queue", timeout=60)
        # Killed while it holds a case waiting for the database: the broker gives it back.
        worker.kill()
        system.workers["workflow"] = start_worker("workflow", system.env, system.logs)
    finally:
        admit_connections(own_postgres.url(), workflow_db)

    codes = [case["tracking_code"] for case in filed]
    for code in codes:
        system.wait_for_work(Role.ADMIN, code, 1, timeout=90)
    system.walk(codes[0])
    system.wait_for_status(filed[0], "answered", timeout=90)
    assert dead_letters(database_urls) == 0
    listed = [i["tracking_code"] for i in system.worklist(Role.ADMIN)]
    assert sorted(listed) == sorted(codes[1:])  # each once; the first is answered


def test_while_the_server_is_stopped_the_apis_answer_503_and_work_resumes_after(
    system: Desk, own_postgres: PostgresCluster, database_urls: dict[str, str]
) -> None:
    filed = system.file_complaint()
    admin = system.headers(Role.ADMIN)  # logged in before the stop
    own_postgres.stop()
    try:
        body = {
            "reporter": {"name": "Budi Santoso", "email": "budi@example.id"},
            "subject": "Izin usaha belum terbit",
            "description": "Permohonan izin usaha kami sudah tiga minggu belum ada kabar.",
            "channels": ["email"],
        }
        refused = system.intake.post("/api/v1/complaints", json=body)
        worklist = system.workflow.get("/api/v1/worklist", headers=admin)
    finally:
        own_postgres.start()

    assert refused.status_code == 503, refused.text
    assert refused.headers["Retry-After"] == "5"
    assert refused.json()["code"] == "temporarily_unavailable"
    assert "tidak ada yang tersimpan" in refused.json()["message"]
    assert worklist.status_code == 503, worklist.text
    # Back: the same filing is taken, and the case filed before the stop goes on.
    assert system.intake.post("/api/v1/complaints", json=body).status_code == 202
    system.walk(filed["tracking_code"])
    system.wait_for_status(filed, "answered", timeout=90)
    assert dead_letters(database_urls) == 0


def test_a_server_restart_in_the_middle_of_the_steps_loses_and_doubles_nothing(
    system: Desk, own_postgres: PostgresCluster, database_urls: dict[str, str]
) -> None:
    filed = [system.file_complaint() for _ in range(3)]
    system.walk(filed[0]["tracking_code"], range(1, 3))
    own_postgres.restart()  # fast: every connection of every process ended
    for case in filed:
        system.walk(case["tracking_code"], range(1 if case is not filed[0] else 3, 6))
    for case in filed:
        system.wait_for_status(case, "answered", timeout=90)
    wait_for(lambda: len(system.answer_emails()) >= 3, 60, "three answers by email")
    assert len(system.answer_emails()) == 3  # one per complaint
    assert dead_letters(database_urls) == 0
