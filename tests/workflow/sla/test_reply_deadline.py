"""Waiting for the complainant ends: a request for information gets a reply deadline of
``PENGADUAN_SLA_REPLY_OFFICE_DAYS`` office days (10), the complainant is reminded once halfway,
and at the deadline the case closes once as ``closed_no_response``; a reply before it cancels
both. Time is the injected test clock's; the sweep is run at chosen moments."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from fastapi.testclient import TestClient

from services.workflow.cases.history import events_of
from services.workflow.cases.paths import receive_reply
from services.workflow.cases.steps import worklist
from services.workflow.database import get_db
from services.workflow.models import StaffUser
from services.workflow.sla.office_calendar import calendar_from
from services.workflow.sla.reply_sweep import ReplySweepResult, sweep_replies
from services.workflow.tasks import sla_sweep
from shared.messaging.contracts import INTAKE_STATUS_TASK, ComplainantReplyV1, NotificationKind
from shared.runtime.settings import Settings, get_settings
from shared.sop import Role
from tests.support.clock import TestClock
from tests.support.outbox import queued_payloads
from tests.workflow.conftest import login
from tests.workflow.console_client import log_in, open_console
from tests.workflow.sla.sweep_cases import (
    ask_for_information,
    case_row,
    file_at,
    move_to,
    sent,
    wib,
)

CODE = "PGD-TEST-0001"
# Asked on Friday 4 December 2026 at 10.00 WIB: ten office days are 7-11 and 14-18 December,
# so the reply is due at closing time on Friday the 18th. Halfway in office time (2355 of its
# 4710 office minutes) is Friday the 11th at 13.45.
ASKED = wib(2026, 12, 4, 10, 0)
DUE = wib(2026, 12, 18, 16, 0)
HALFWAY = wib(2026, 12, 11, 13, 45)


def run_replies(now: datetime) -> ReplySweepResult:
    with get_db().transaction() as session:
        return sweep_replies(session, now)


def asked_case(office_clock: TestClock, staff: dict[Role, StaffUser]) -> str:
    case_id = file_at(office_clock, wib(2026, 12, 4, 9, 50))
    move_to(office_clock, case_id, staff, 2)
    office_clock.freeze_at(ASKED)
    ask_for_information(case_id, staff)
    return case_id


def statuses() -> list[dict[str, object]]:
    return queued_payloads(get_db(), INTAKE_STATUS_TASK)


# Office days


def test_office_days_skip_weekends_national_holidays_and_closed_dates() -> None:
    calendar = calendar_from(Settings())
    # Friday 14 August 2026; the 17th (Monday) is Independence Day.
    assert calendar.close_of_office_days(wib(2026, 8, 14, 10, 0), 2) == wib(2026, 8, 19, 16, 0)
    closed = calendar_from(Settings(office={"closed_dates": [date(2026, 8, 18)]}))
    assert closed.close_of_office_days(wib(2026, 8, 14, 10, 0), 2) == wib(2026, 8, 20, 16, 0)
    # Asked after closing time or on a Sunday: the count starts on the next day all the same.
    assert calendar.close_of_office_days(wib(2026, 12, 6, 20, 0), 1) == wib(2026, 12, 7, 16, 0)


def test_the_request_sets_the_deadline_and_tells_it(
    staff: dict[Role, StaffUser], office_clock: TestClock
) -> None:
    case_id = asked_case(office_clock, staff)

    case = case_row(case_id)
    assert case.reply_due_at == DUE
    assert case.reply_remind_at == HALFWAY
    [asked] = [s for s in statuses() if s["status"] == "information_requested"]
    assert datetime.fromisoformat(asked["reply_due_at"]) == DUE
    [told] = sent(NotificationKind.INFORMATION_REQUESTED)
    assert datetime.fromisoformat(told["reply_due_at"]) == DUE


def test_the_deadline_follows_the_setting(
    staff: dict[Role, StaffUser], office_clock: TestClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PENGADUAN_SLA_REPLY_OFFICE_DAYS", "3")
    get_settings.cache_clear()
    try:
        case_id = asked_case(office_clock, staff)
    finally:
        get_settings.cache_clear()
    assert case_row(case_id).reply_due_at == wib(2026, 12, 9, 16, 0)


# The reminder


def test_the_complainant_is_reminded_once_at_halfway(
    staff: dict[Role, StaffUser], office_clock: TestClock
) -> None:
    case_id = asked_case(office_clock, staff)

    assert run_replies(wib(2026, 12, 11, 13, 44)) == ReplySweepResult()
    assert run_replies(HALFWAY) == ReplySweepResult(reminded=(CODE,))
    assert run_replies(wib(2026, 12, 14, 9, 0)) == ReplySweepResult()

    [reminder] = sent(NotificationKind.INFORMATION_REMINDER)
    assert reminder["recipient"]["email"] == "siti@example.id"
    assert reminder["channels"] == ["email", "app"]  # the channels the complainant chose
    assert datetime.fromisoformat(reminder["reply_due_at"]) == DUE
    case = case_row(case_id)
    assert case.reply_reminded_at == HALFWAY
    assert case.status == "information_requested"
    with get_db().sessions() as session:
        assert [e.kind for e in events_of(session, case_id)].count("reply_reminded") == 1


# The close


def test_the_case_closes_once_at_the_deadline_without_a_late_reminder(
    staff: dict[Role, StaffUser], office_clock: TestClock
) -> None:
    case_id = asked_case(office_clock, staff)

    assert run_replies(wib(2026, 12, 18, 15, 59)) == ReplySweepResult(reminded=(CODE,))
    assert run_replies(DUE) == ReplySweepResult(closed=(CODE,))
    assert run_replies(wib(2026, 12, 21, 9, 0)) == ReplySweepResult()

    case = case_row(case_id)
    assert (case.status, case.current_step) == ("closed_no_response", None)
    assert case.closed_at == case.reply_closed_at == DUE
    [closed] = [s for s in statuses() if s["status"] == "closed_no_response"]
    assert datetime.fromisoformat(closed["reply_due_at"]) == DUE
    [message] = sent(NotificationKind.CLOSED_NO_RESPONSE)
    assert message["channels"] == ["email", "app"]
    with get_db().sessions() as session:
        events = [e for e in events_of(session, case_id) if e.kind == "closed_no_response"]
        assert len(events) == 1
        assert closed["sequence"] == events[0].sequence
        assert case_id not in {c.id for r in Role for c in worklist(session, r, DUE)}


def test_a_case_first_seen_past_its_deadline_is_closed_only(
    staff: dict[Role, StaffUser], office_clock: TestClock
) -> None:
    asked_case(office_clock, staff)

    assert run_replies(wib(2027, 1, 4, 9, 0)) == ReplySweepResult(closed=(CODE,))
    assert sent(NotificationKind.INFORMATION_REMINDER) == []


def test_a_reply_after_the_close_is_ignored(
    staff: dict[Role, StaffUser], office_clock: TestClock
) -> None:
    case_id = asked_case(office_clock, staff)
    run_replies(DUE)

    with get_db().transaction() as session:
        receive_reply(session, ComplainantReplyV1(tracking_code=CODE, message="Terlambat."))

    assert case_row(case_id).status == "closed_no_response"


# A reply in time


def test_a_reply_before_the_deadline_cancels_the_reminder_and_the_close(
    staff: dict[Role, StaffUser], office_clock: TestClock
) -> None:
    case_id = asked_case(office_clock, staff)
    office_clock.freeze_at(wib(2026, 12, 8, 10, 0))
    with get_db().transaction() as session:
        receive_reply(session, ComplainantReplyV1(tracking_code=CODE, message="Nomor 123/2026."))

    assert run_replies(HALFWAY) == ReplySweepResult()
    assert run_replies(wib(2027, 1, 4, 9, 0)) == ReplySweepResult()
    case = case_row(case_id)
    assert (case.status, case.current_step) == ("verifying", 2)
    assert case.reply_due_at is None
    assert sent(NotificationKind.INFORMATION_REMINDER) == []
    assert sent(NotificationKind.CLOSED_NO_RESPONSE) == []


def test_a_second_request_gets_a_deadline_and_marks_of_its_own(
    staff: dict[Role, StaffUser], office_clock: TestClock
) -> None:
    case_id = asked_case(office_clock, staff)
    run_replies(HALFWAY)  # reminded of the first request
    office_clock.freeze_at(wib(2026, 12, 14, 9, 0))
    with get_db().transaction() as session:
        receive_reply(session, ComplainantReplyV1(tracking_code=CODE, message="Sebagian."))
    office_clock.freeze_at(wib(2026, 12, 14, 10, 0))
    ask_for_information(case_id, staff)

    # 15-18, 21-24, 28 and 29 December: the 25th is Christmas.
    assert case_row(case_id).reply_due_at == wib(2026, 12, 29, 16, 0)
    assert run_replies(wib(2026, 12, 29, 15, 0)) == ReplySweepResult(reminded=(CODE,))
    assert len(sent(NotificationKind.INFORMATION_REMINDER)) == 2


# The sweep's task


def test_the_beat_task_sweeps_the_replies_too(
    staff: dict[Role, StaffUser], office_clock: TestClock
) -> None:
    asked_case(office_clock, staff)
    office_clock.freeze_at(DUE)

    assert sla_sweep() == "warned 0, breached 0, reminded 0, closed 1, windows ended 0"
    assert sla_sweep() == "warned 0, breached 0, reminded 0, closed 0, windows ended 0"


# The Admin's filter


def test_the_worklist_filter_lists_the_cases_waiting_for_the_complainant(
    client: TestClient, staff: dict[Role, StaffUser], office_clock: TestClock
) -> None:
    case_id = asked_case(office_clock, staff)
    headers = login(client, Role.ADMIN)

    waiting = client.get("/api/v1/worklist?filter=waiting_for_complainant", headers=headers)
    assert waiting.status_code == 200, waiting.text
    [item] = waiting.json()
    assert item["case_id"] == case_id
    assert item["status"] == "information_requested"
    assert item["step"] == 2
    assert datetime.fromisoformat(item["reply_due_at"]) == DUE
    assert item["reminded"] is False
    assert client.get("/api/v1/worklist", headers=headers).json() == []  # not the Admin's step
    detail = client.get(f"/api/v1/cases/{case_id}", headers=headers).json()
    assert datetime.fromisoformat(detail["reply_due_at"]) == DUE

    unknown = client.get("/api/v1/worklist?filter=semua", headers=headers)
    assert unknown.status_code == 422

    run_replies(DUE)
    closed = client.get("/api/v1/worklist?filter=waiting_for_complainant", headers=headers)
    assert closed.json() == []


def test_the_console_worklist_links_to_the_cases_waiting_for_the_complainant(
    staff: dict[Role, StaffUser], office_clock: TestClock
) -> None:
    case_id = asked_case(office_clock, staff)
    with open_console() as console:
        assert log_in(console, Role.ADMIN).status_code == 303
        worklist_page = console.get("/console").text
        assert '<a href="/console?tampil=menunggu-pengadu">Menunggu tanggapan pengadu</a>' in (
            worklist_page
        )

        page = " ".join(console.get("/console?tampil=menunggu-pengadu").text.split())
        case_page = " ".join(console.get(f"/console/kasus/{case_id}").text.split())

    assert (
        "<dt>Batas waktu tanggapan pengadu</dt>"
        '<dd id="batas-tanggapan">18 Desember 2026, 16.00 WIB</dd>' in case_page
    )

    assert 'id="menunggu-pengadu"' in page
    assert f'href="/console/kasus/{case_id}">{CODE}</a>' in page
    assert "18 Desember 2026, 16.00 WIB" in page
    assert 'aria-current="page">Menunggu tanggapan pengadu</a>' in page
