"""The workflow's erasure of personal data (UU 27/2022), on SQLite and PostgreSQL: a case closed
longer than the retention time ago loses the complainant's name, contacts and free text to the
marker, in the case, its record and every table beside, and keeps its figures; the record
shows the erasure as an event of its own; intake and the notifier are told; a second sweep, or
a request, erases nothing more; a case not closed is not erased. Time is the injected clock's."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from services.workflow.cases.history import events_of
from services.workflow.cases.notes import add_note
from services.workflow.cases.notifications import record_delivery
from services.workflow.cases.reopening import receive_rating
from services.workflow.database import get_db
from services.workflow.models import Case, CaseAnswer, StaffUser
from services.workflow.privacy.erasure import ERASED_EVENT
from services.workflow.privacy.requests import receive_erasure_request
from services.workflow.privacy.retention import erase_batch
from services.workflow.sla.close_sweep import sweep_closes
from shared.attachments import open_store
from shared.database.shared_tables import FailedMessage, OutboxMessage
from shared.messaging.contracts import (
    ERASED_MARKER,
    INTAKE_ERASE_TASK,
    NOTIFIER_ERASE_TASK,
    Channel,
    ComplaintRatedV1,
    ErasureRequestedV1,
    NotificationDeliveredV1,
    NotificationKind,
)
from shared.runtime.settings import get_settings
from shared.sop import Role
from tests.support.clock import TestClock
from tests.support.outbox import queued_payloads
from tests.support.text_search import places_holding
from tests.workflow.conftest import filed_message
from tests.workflow.console_client import log_in, open_console
from tests.workflow.sla.sweep_cases import answer_at, case_row, file_at, wib

pytestmark = pytest.mark.both_databases

CODE = "PGD-TEST-0001"
ANSWERED = wib(2026, 12, 4, 10, 0)
UNTIL = wib(2026, 12, 18, 16, 0)  # ten office days after the answer
RETENTION = timedelta(days=730)
PERSONAL = (
    "Siti Aminah",
    "siti@example.id",
    "+6281234567890",
    filed_message().description,
    "Komentar pribadi Siti",
    "Catatan petugas tentang Siti",
)


def closed_case(office_clock: TestClock, staff: dict[Role, StaffUser]) -> str:
    """Filed, answered, rated with a comment, noted by staff, closed by the calendar."""
    case_id = file_at(office_clock, wib(2026, 12, 4, 9, 50))
    answer_at(office_clock, case_id, staff, ANSWERED)
    with get_db().transaction() as session:
        receive_rating(
            session,
            ComplaintRatedV1(
                occurred_at=ANSWERED, tracking_code=CODE, score=4, comment=PERSONAL[4]
            ),
        )
        add_note(
            session,
            case_id=case_id,
            user=session.get_one(StaffUser, staff[Role.ADMIN].id),
            payload={"text": PERSONAL[5]},
        )
    with get_db().transaction() as session:
        assert sweep_closes(session, UNTIL + timedelta(seconds=1)) == (CODE,)
        # As the relay would have: what was queued is published (the erasure rewrites those).
        session.execute(update(OutboxMessage).values(published_at=UNTIL))
        session.add(
            FailedMessage(
                id="f1",
                task_name="x",
                payload={"tracking_code": CODE, "subject": PERSONAL[0]},
                error=f"failed for {PERSONAL[1]}",
                failed_at=UNTIL,
            )
        )
    return case_id


def sweep_at(now: datetime) -> tuple[str, ...]:
    with get_db().transaction() as session:
        return erase_batch(session, now, RETENTION, open_store(get_settings()))


def figures(case_id: str) -> dict[str, Any]:
    """What an erasure keeps: the case's statuses, dates and service, and each event's kind,
    step, actor, time, minutes and standard."""
    with get_db().sessions() as session:
        case = session.get_one(Case, case_id)
        events = [e for e in events_of(session, case_id) if e.kind != ERASED_EVENT]
        return {
            "case": (case.status, case.filed_at, case.closed_at, case.reopen_until, case.identity),
            "service": case.service_code,
            "events": [
                (
                    e.sequence,
                    e.kind,
                    e.step,
                    e.actor,
                    e.occurred_at,
                    e.minutes_taken,
                    e.within_standard,
                )
                for e in events
            ],
            "scores": [a.score for a in session.scalars(select(CaseAnswer))],
        }


def test_a_case_closed_longer_than_the_retention_ago_is_erased_and_keeps_its_figures(
    office_clock: TestClock, staff: dict[Role, StaffUser]
) -> None:
    case_id = closed_case(office_clock, staff)
    before = figures(case_id)
    assert places_holding(get_db().url, PERSONAL)  # the search finds them while they are there

    assert sweep_at(UNTIL + RETENTION - timedelta(seconds=1)) == ()
    erased_at = UNTIL + RETENTION + timedelta(hours=1)
    assert sweep_at(erased_at) == (CODE,)

    assert places_holding(get_db().url, PERSONAL) == []
    assert figures(case_id) == before
    case = case_row(case_id)
    assert (case.reporter_name, case.reporter_email, case.reporter_phone) == (
        ERASED_MARKER,
        None,
        None,
    )
    assert case.subject == case.description == case.answer == ERASED_MARKER
    assert case.erased_at == erased_at
    with get_db().sessions() as session:
        events = events_of(session, case_id)
        [erasure] = [e for e in events if e.kind == ERASED_EVENT]
        assert (erasure.actor, erasure.output, erasure.occurred_at) == (
            "sistem",
            {"reason": "retention"},
            erased_at,
        )
        assert erasure.sequence == max(e.sequence for e in events)
        [filed] = [e for e in events if e.kind == "filed"]
        assert filed.input == {"subject": ERASED_MARKER, "description": ERASED_MARKER}
        [disposed] = [e for e in events if e.kind == "completed" and e.step == 3]
        assert disposed.input is not None
        assert disposed.input["assignees"] == ["petugas_tim_koordinasi"]  # staff, kept
        assert disposed.input["disposition"] == ERASED_MARKER
        [answer] = session.scalars(select(CaseAnswer)).all()
        assert (answer.score, answer.comment) == (4, ERASED_MARKER)
    told = {
        task: queued_payloads(get_db(), task) for task in (INTAKE_ERASE_TASK, NOTIFIER_ERASE_TASK)
    }
    assert [m["tracking_code"] for m in told[INTAKE_ERASE_TASK]] == [CODE]
    assert [m["reason"] for m in told[NOTIFIER_ERASE_TASK]] == ["retention"]
    assert told[INTAKE_ERASE_TASK][0]["message_id"] != told[NOTIFIER_ERASE_TASK][0]["message_id"]

    # Twice is once.
    assert sweep_at(erased_at + timedelta(days=1)) == ()
    request = ErasureRequestedV1(occurred_at=erased_at, tracking_code=CODE)
    with get_db().transaction() as session:
        assert not receive_erasure_request(session, request, open_store(get_settings()))
    assert len(queued_payloads(get_db(), INTAKE_ERASE_TASK)) == 1
    with get_db().sessions() as session:
        assert [e.kind for e in events_of(session, case_id)].count(ERASED_EVENT) == 1


def test_an_answered_case_in_its_window_is_not_erased_on_request_nor_by_the_sweep(
    office_clock: TestClock, staff: dict[Role, StaffUser]
) -> None:
    case_id = file_at(office_clock, wib(2026, 12, 4, 9, 50))
    answer_at(office_clock, case_id, staff, ANSWERED)
    office_clock.freeze_at(ANSWERED + timedelta(days=1))
    request = ErasureRequestedV1(occurred_at=ANSWERED, tracking_code=CODE)
    with get_db().transaction() as session:
        assert not receive_erasure_request(session, request, open_store(get_settings()))
    assert sweep_at(ANSWERED + RETENTION * 2) == ()
    case = case_row(case_id)
    assert case.erased_at is None and case.reporter_email == "siti@example.id"
    assert queued_payloads(get_db(), INTAKE_ERASE_TASK) == []


def test_a_closed_case_is_erased_at_once_on_request(
    office_clock: TestClock, staff: dict[Role, StaffUser]
) -> None:
    case_id = closed_case(office_clock, staff)
    office_clock.freeze_at(UNTIL + timedelta(days=2))
    request = ErasureRequestedV1(occurred_at=UNTIL, tracking_code=CODE)
    with get_db().transaction() as session:
        assert receive_erasure_request(session, request, open_store(get_settings()))
    case = case_row(case_id)
    assert case.erased_at == UNTIL + timedelta(days=2)
    assert places_holding(get_db().url, PERSONAL) == []
    with get_db().sessions() as session:
        [erasure] = [e for e in events_of(session, case_id) if e.kind == ERASED_EVENT]
    assert erasure.output == {"reason": "request"}


def test_staff_read_the_erasure_in_the_case_and_nothing_personal(
    office_clock: TestClock, staff: dict[Role, StaffUser]
) -> None:
    case_id = closed_case(office_clock, staff)
    sweep_at(UNTIL + RETENTION + timedelta(hours=1))

    with open_console() as console:
        log_in(console, Role.ADMIN)  # the role that reads the reporter
        page = console.get(f"/console/kasus/{case_id}")

    assert page.status_code == 200, page.text
    text = " ".join(page.text.split())
    assert "Data pribadi pengadu dihapus: masa simpan berakhir" in text
    assert ERASED_MARKER in text
    assert not [p for p in PERSONAL if p in text]


def test_a_delivery_report_that_crossed_the_erasure_keeps_no_address(
    office_clock: TestClock, staff: dict[Role, StaffUser]
) -> None:
    case_id = closed_case(office_clock, staff)
    sweep_at(UNTIL + RETENTION + timedelta(hours=1))
    late = NotificationDeliveredV1(
        tracking_code=CODE,
        kind=NotificationKind.ANSWER,
        channel=Channel.EMAIL,
        status="failed",
        detail=f"550 {PERSONAL[1]}: no such mailbox",
        notification_id=uuid.uuid4(),
        attempts=1,
    )
    with get_db().transaction() as session:
        record_delivery(session, late)

    assert places_holding(get_db().url, PERSONAL) == []
    with get_db().sessions() as session:
        assert events_of(session, case_id)[-1].output["detail"] == ERASED_MARKER  # type: ignore[index]
