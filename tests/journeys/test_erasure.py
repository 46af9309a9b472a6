"""Personal data erasure (UU 27/2022) over the real queues and workers, on SQLite and
PostgreSQL: a complaint with a distinctive name, email, phone, subject, description and photo is
carried through the five steps to the answer, rated with a comment, noted by staff, and closed
when its reopening window passes; once the retention time after that has passed, the daily
retention sweep erases it, and after all three services applied the erasure no table of any
service's database, no line of any process's log and nothing in Redis (queues, kombu's unacked
hash, every key) holds any of it, searched as text; the case's figures, and the monthly
report's, are as they were.
And a complainant who asks, once the case is closed, has it erased at once.

Time is moved, not waited for (as in ``test_reopening``): the close and the retention sweeps'
task bodies run in this process under the workflow's injected clock, against the system's
workflow database; what they queue travels through the outbox and the real workers.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from sqlalchemy import create_engine, text

from services.workflow.database import get_db
from services.workflow.models import Case
from services.workflow.privacy.erasure import ERASED_EVENT
from services.workflow.reports.monthly import monthly_report
from services.workflow.sla import clock
from services.workflow.sla.office_calendar import office_calendar
from services.workflow.tasks import retention_sweep
from shared.messaging.celery_app import ALL_QUEUES
from shared.messaging.contracts import ERASED_MARKER, INTAKE_ERASE_TASK, NOTIFIER_ERASE_TASK
from shared.messaging.queue_keys import queue_length
from shared.runtime.settings import get_settings
from shared.sop import Role
from tests.journeys.test_reopening import sweep_at
from tests.journeys.test_reply_deadline import tracking_page
from tests.support.attachment_files import photo_with_gps
from tests.support.clock import TestClock
from tests.support.redis_text import redis_texts
from tests.support.text_search import places_holding
from tools.harness.desk import Desk
from tools.harness.processes import wait_for

pytestmark = pytest.mark.both_databases

NAME = "Wulandari Kusumawardhani"
EMAIL = "wulandari.kusumawardhani@example.id"
PHONE = "081398765432"  # kept as +6281398765432: searched without its prefix
SUBJECT = "Izin toko roti Sekar Wangi belum terbit"
DESCRIPTION = "Toko roti kami di Jalan Pahlawan 17 sudah enam minggu menunggu izin tanpa kabar."
PHOTO = "ktp-wulandari.jpg"
NEEDLES = (NAME, EMAIL, PHONE[1:], SUBJECT, DESCRIPTION, PHOTO.removesuffix(".jpg"))
SERVICES = ("intake", "workflow", "notifier")


def file_distinctively(system: Desk) -> dict[str, Any]:
    filed = system.file_complaint(
        reporter={"name": NAME, "email": EMAIL, "phone": PHONE},
        subject=SUBJECT,
        description=DESCRIPTION,
        channels=["email", "app"],
    )
    sent = system.upload(filed, PHOTO, photo_with_gps(), "image/jpeg")
    assert sent.status_code == 201, sent.text
    return filed


def closed_case(system: Desk, filed: dict[str, Any]) -> tuple[str, datetime]:
    """Through the five steps to the answer, rated with a comment and noted by staff, then
    closed by the calendar; the case id and when its window ended."""
    code = filed["tracking_code"]
    case_id = system.walk(code)
    system.wait_for_attachments(Role.ADMIN, case_id, count=1)
    assert system.add_note(Role.ADMIN, case_id, f"Sudah menelepon {NAME}").status_code == 201
    system.wait_for_status(filed, "answered")
    rated = system.intake.post(
        f"/api/v1/complaints/{code}/rating",
        json={"score": 4, "comment": f"Terima kasih, hubungi saya di {PHONE}"},
        headers={"X-Access-Token": filed["access_token"]},
    )
    assert rated.status_code == 201, rated.text
    wait_for(
        lambda: "rated" in [e["kind"] for e in system.case(case_id)["history"]], 60, "the rating"
    )
    wait_for(lambda: system.emails_to(EMAIL), 60, "the answer's email")
    with get_db().sessions() as session:
        until = session.get_one(Case, case_id).reopen_until
    assert until is not None
    assert sweep_at(until + timedelta(seconds=1)).endswith("windows ended 1")
    system.wait_for_status(filed, "closed")
    return case_id, until


def closed_and_settled(
    system: Desk, urls: dict[str, str], filed: dict[str, Any]
) -> tuple[str, datetime]:
    """``closed_case``, and every message it started delivered and recorded (the record's
    delivery reports come last): the figures are read from a system at rest."""
    closed = closed_case(system, filed)
    settle(system, urls)
    return closed


def rows(url: str, query: str, **params: Any) -> list[tuple[Any, ...]]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(r) for r in connection.execute(text(query), params)]
    finally:
        engine.dispose()


def figures(urls: dict[str, str], code: str) -> dict[str, Any]:
    """What an erasure must keep, read from every service's database: the case's statuses,
    dates, service and steps (each event's kind, step, actor, time, minutes, within the
    standard), the answers' rounds and scores, intake's statuses and times, the notifier's
    deliveries. One place for the before and after: the monthly report's numbers go here too."""
    wf, intake, notifier = urls["workflow"], urls["intake"], urls["notifier"]
    [case] = rows(
        wf,
        "SELECT id, status, filed_at, closed_at, reopen_until, service_code, identity, "
        "current_step, answer_round, filed_via FROM cases WHERE tracking_code = :c",
        c=code,
    )
    return {
        "case": case,
        "events": rows(
            wf,
            "SELECT sequence, kind, step, actor, role, occurred_at, minutes_taken, "
            "standard_minutes, within_standard FROM case_events "
            "WHERE case_id = :i AND kind <> :erased ORDER BY sequence",
            i=case[0],
            erased=ERASED_EVENT,
        ),
        "answers": rows(
            wf,
            "SELECT round, answered_at, reopen_until, score, rated_at FROM case_answers "
            "WHERE case_id = :i ORDER BY round",
            i=case[0],
        ),
        "intake": rows(
            intake,
            "SELECT status, created_at, answered_at, reopen_until, service_code, identity "
            "FROM complaints WHERE tracking_code = :c",
            c=code,
        ),
        "timeline": rows(
            intake,
            "SELECT t.status, t.occurred_at FROM timeline_entries t JOIN complaints c "
            "ON c.id = t.complaint_id WHERE c.tracking_code = :c ORDER BY t.id",
            c=code,
        ),
        "ratings": rows(
            intake,
            "SELECT r.score, r.answered_at FROM ratings r JOIN complaints c "
            "ON c.id = r.complaint_id WHERE c.tracking_code = :c",
            c=code,
        ),
        "deliveries": rows(
            notifier,
            "SELECT kind, channel, status, attempts, sent_at FROM deliveries "
            "WHERE tracking_code = :c ORDER BY id",
            c=code,
        ),
        "monthly_report": report_figures(case[0]),
    }


def report_figures(case_id: str) -> dict[str, Any]:
    """The monthly report of the case's month, every figure of it, in total and per service, as
    of one fixed moment (the overdue figure reads the time): the office's numbers an erasure
    must not move."""
    with get_db().sessions() as session:
        filed_at = session.get_one(Case, case_id).filed_at
        month = filed_at.astimezone(office_calendar().zone).date()
        report = monthly_report(session, month, as_of=filed_at + timedelta(days=3650))
    assert report.totals.filed >= 1  # the case is in it
    return {"totals": asdict(report.totals), "services": [asdict(s) for s in report.services]}


def settle(system: Desk, urls: dict[str, str]) -> None:
    """Wait until nothing is left to travel: no message in a queue or in kombu's unacked hash
    (a task running or waiting for its retry), no outbox row unpublished, and still no message
    after that (a row the relay published meanwhile)."""
    client = redis.Redis.from_url(system.env["PENGADUAN_REDIS_URL"])
    unpublished = "SELECT id FROM outbox WHERE published_at IS NULL"

    def quiet() -> bool:
        return not any(queue_length(client, q) for q in ALL_QUEUES) and not client.hlen("unacked")

    try:
        wait_for(
            lambda: quiet() and not any(rows(urls[s], unpublished) for s in SERVICES) and quiet(),
            60,
            "every outbox relayed, every queue drained and every message acknowledged",
        )
    finally:
        client.close()


def all_erased(system: Desk, urls: dict[str, str], filed: dict[str, Any]) -> None:
    """Wait until every service applied the erasure and nothing is left to travel."""
    wait_for(lambda: system.track(filed)["erased_at"], 60, "intake's erasure")
    processed = "SELECT message_id FROM processed_messages WHERE task_name = :t"
    for service, task in (("intake", INTAKE_ERASE_TASK), ("notifier", NOTIFIER_ERASE_TASK)):
        url = urls[service]
        wait_for(lambda u=url, t=task: rows(u, processed, t=t), 60, f"{service}'s erasure")
    settle(system, urls)


def holding(system: Desk, urls: dict[str, str]) -> dict[str, list[str]]:
    """Where any of ``NEEDLES`` is still found: each database's columns, each log file, Redis."""
    found = {f"database {s}": places_holding(urls[s], NEEDLES) for s in SERVICES}
    for log in sorted(Path(system.logs).glob("*.log")):
        written = log.read_text(errors="replace").lower()
        found[f"log {log.name}"] = [n for n in NEEDLES if n.lower() in written]
    texts = "\n".join(redis_texts(system.env["PENGADUAN_REDIS_URL"])).lower()
    found["redis"] = [n for n in NEEDLES if n.lower() in texts]
    return {where: what for where, what in found.items() if what}


def stored_files() -> list[Path]:
    root = get_settings().attachments.directory
    assert root is not None
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_after_the_retention_time_no_service_holds_the_complainants_data(
    system: Desk, configured: dict[str, str], database_urls: dict[str, str]
) -> None:
    filed = file_distinctively(system)
    code = filed["tracking_code"]
    case_id, until = closed_and_settled(system, database_urls, filed)
    before = figures(database_urls, code)
    # The search finds what is there: in every service's database, and the files in the store.
    found = holding(system, database_urls)
    assert {f"database {s}" for s in SERVICES} <= set(found), found
    in_workflow = {place.split(": ", 1)[1] for place in found["database workflow"]}
    assert in_workflow == {n.lower() for n in NEEDLES}, found
    assert len(list(Path(system.logs).glob("*.log"))) == 5  # two APIs, three workers
    assert stored_files()

    retention = get_settings().privacy.retention
    assert retention == timedelta(days=730)  # the default: two years after closing
    with clock.driven_by(TestClock(until + retention - timedelta(hours=1), running=False)):
        assert retention_sweep() == "erased 0"
    with clock.driven_by(TestClock(until + retention + timedelta(hours=1), running=False)):
        assert retention_sweep() == "erased 1"
        assert retention_sweep() == "erased 0"  # twice is once
    all_erased(system, database_urls, filed)

    assert holding(system, database_urls) == {}
    assert stored_files() == []
    assert figures(database_urls, code) == before
    history = system.case(case_id)["history"]
    assert history[-1]["kind"] == ERASED_EVENT
    assert history[-1]["output"] == {"reason": "retention"}
    tracked = system.track(filed)  # the code and token still open it
    assert (tracked["status"], tracked["answer"]) == ("closed", ERASED_MARKER)
    assert "telah dihapus" in tracking_page(system, filed)


def test_a_complainant_has_a_closed_case_erased_at_once(
    system: Desk, configured: dict[str, str], database_urls: dict[str, str]
) -> None:
    filed = file_distinctively(system)
    code = filed["tracking_code"]
    asked = system.intake.post(
        f"/api/v1/complaints/{code}/erasure", headers={"X-Access-Token": filed["access_token"]}
    )
    assert asked.status_code == 409 and asked.json()["code"] == "not_closed"
    case_id, _ = closed_and_settled(system, database_urls, filed)
    before = figures(database_urls, code)

    asked = system.intake.post(
        f"/api/v1/complaints/{code}/erasure", headers={"X-Access-Token": filed["access_token"]}
    )
    assert asked.status_code == 202, asked.text
    all_erased(system, database_urls, filed)

    assert holding(system, database_urls) == {}
    assert figures(database_urls, code) == before
    assert system.case(case_id)["history"][-1]["output"] == {"reason": "request"}
