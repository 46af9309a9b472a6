"""After the answer: the rating is kept once per answer; a *tidak puas* rating or a request
within ``PENGADUAN_SLA_REOPEN_OFFICE_DAYS`` office days (10) reopens the case, the first time
to the Kasi (step 2), later times to the Koordinator (step 3); a case closed by the calendar
or asked too late is not reopened. Time is the injected test clock's; messages carry the
moment the complainant asked."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from services.workflow.cases.answer_rounds import answers_of
from services.workflow.cases.history import events_of
from services.workflow.cases.reopening import receive_rating, receive_reopen_request
from services.workflow.cases.steps import worklist
from services.workflow.database import get_db
from services.workflow.models import CaseAnswer, StaffUser
from services.workflow.sla.close_sweep import sweep_closes
from shared.messaging.consumer import consume_once
from shared.messaging.contracts import (
    INTAKE_STATUS_TASK,
    WORKFLOW_RATED_TASK,
    WORKFLOW_REOPEN_TASK,
    ComplaintRatedV1,
    NotificationKind,
    ReopenRequestedV1,
)
from shared.runtime.settings import get_settings
from shared.sop import Role
from tests.support.clock import TestClock
from tests.support.outbox import queued_payloads
from tests.workflow.console_client import log_in, open_console
from tests.workflow.sla.sweep_cases import answer_at, case_row, file_at, sent, wib

CODE = "PGD-TEST-0001"
# Answered on Friday 4 December 2026 at 10.00 WIB: ten office days are 7-11 and 14-18
# December, so the window ends at closing time on Friday the 18th.
ANSWERED = wib(2026, 12, 4, 10, 0)
UNTIL = wib(2026, 12, 18, 16, 0)
ASKED = wib(2026, 12, 9, 11, 0)


def answered_case(office_clock: TestClock, staff: dict[Role, StaffUser]) -> str:
    case_id = file_at(office_clock, wib(2026, 12, 4, 9, 50))
    answer_at(office_clock, case_id, staff, ANSWERED)
    return case_id


def rating(score: int, comment: str | None = None, at: datetime = ASKED) -> ComplaintRatedV1:
    return ComplaintRatedV1(occurred_at=at, tracking_code=CODE, score=score, comment=comment)


def request(reason: str = "Izin belum juga terbit", at: datetime = ASKED) -> ReopenRequestedV1:
    return ReopenRequestedV1(occurred_at=at, tracking_code=CODE, reason=reason)


def rate(message: ComplaintRatedV1) -> str:
    return consume_once(get_db(), WORKFLOW_RATED_TASK, message, receive_rating)


def ask(message: ReopenRequestedV1) -> str:
    return consume_once(get_db(), WORKFLOW_REOPEN_TASK, message, receive_reopen_request)


def kinds(case_id: str) -> list[str]:
    with get_db().sessions() as session:
        return [e.kind for e in events_of(session, case_id)]


def rounds(case_id: str) -> list[CaseAnswer]:
    with get_db().sessions() as session:
        return answers_of(session, case_id)


def statuses() -> list[dict[str, Any]]:
    return queued_payloads(get_db(), INTAKE_STATUS_TASK)


def kasi_worklist() -> list[str]:
    with get_db().sessions() as session:
        return [c.tracking_code for c in worklist(session, Role.KASI)]


# The answer and its window


def test_the_answer_carries_the_end_of_its_reopening_window(
    staff: dict[Role, StaffUser], office_clock: TestClock
) -> None:
    case_id = answered_case(office_clock, staff)

    case = case_row(case_id)
    assert (case.status, case.reopen_until, case.answer_round) == ("answered", UNTIL, 1)
    [told] = sent(NotificationKind.ANSWER)
    assert datetime.fromisoformat(told["reopen_until"]) == UNTIL
    [first] = rounds(case_id)
    assert (first.round, first.answered_at, first.reopen_until) == (1, ANSWERED, UNTIL)


def test_the_window_follows_the_setting(
    staff: dict[Role, StaffUser], office_clock: TestClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PENGADUAN_SLA_REOPEN_OFFICE_DAYS", "3")
    get_settings.cache_clear()
    try:
        case_id = answered_case(office_clock, staff)
    finally:
        get_settings.cache_clear()
    assert case_row(case_id).reopen_until == wib(2026, 12, 9, 16, 0)


# Ratings


def test_a_tidak_puas_rating_reopens_the_case_to_the_kasi_with_its_comment(
    staff: dict[Role, StaffUser], office_clock: TestClock
) -> None:
    case_id = answered_case(office_clock, staff)
    answered_sequence = statuses()[-1]["sequence"]
    office_clock.freeze_at(ASKED)

    assert rate(rating(2, "Izin masih belum terbit")) == "applied"

    case = case_row(case_id)
    assert (case.status, case.current_step, case.answer_round) == ("verifying", 2, 2)
    assert case.step_arrived_at == ASKED
    assert case.closed_at is None and case.reopen_until is None
    assert kinds(case_id)[-3:] == ["rated", "reopened", "arrived"]
    reopened = statuses()[-1]
    assert reopened["status"] == "verifying"
    assert reopened["note"] == "Izin masih belum terbit"
    assert reopened["sequence"] > answered_sequence
    assert kasi_worklist() == [CODE]
    [first] = rounds(case_id)
    assert (first.score, first.comment, first.rated_at) == (2, "Izin masih belum terbit", ASKED)
    assert (first.reopened_at, first.reopen_reason) == (ASKED, "Izin masih belum terbit")


def test_a_tidak_puas_rating_without_a_comment_gives_the_sop_reason(
    staff: dict[Role, StaffUser], office_clock: TestClock
) -> None:
    answered_case(office_clock, staff)

    rate(rating(1))

    assert statuses()[-1]["note"] == "Pengadu tidak puas dengan jawaban"


@pytest.mark.parametrize("score", [3, 4])
def test_a_puas_rating_is_kept_and_the_case_stays_answered(
    staff: dict[Role, StaffUser], office_clock: TestClock, score: int
) -> None:
    case_id = answered_case(office_clock, staff)
    told = len(statuses())

    rate(rating(score, "Terima kasih"))

    assert case_row(case_id).status == "answered"
    assert len(statuses()) == told
    assert rounds(case_id)[0].score == score
    assert kinds(case_id)[-1] == "rated"


def test_a_redelivered_rating_acts_once_and_a_second_rating_of_the_answer_is_ignored(
    staff: dict[Role, StaffUser], office_clock: TestClock
) -> None:
    case_id = answered_case(office_clock, staff)
    first = rating(4)

    assert rate(first) == "applied"
    assert rate(first) == "duplicate"
    assert rate(rating(1, "Ganti pendapat")) == "applied"

    assert case_row(case_id).status == "answered"
    assert [r.score for r in rounds(case_id)] == [4]
    assert kinds(case_id).count("rated") == 1


# Requests and the window's bounds


@pytest.mark.parametrize(
    ("asked_at", "status", "last_event"),
    [
        (UNTIL - timedelta(seconds=1), "verifying", "arrived"),
        (UNTIL, "verifying", "arrived"),
        (UNTIL + timedelta(seconds=1), "answered", "reopen_refused"),
    ],
)
def test_a_request_reopens_only_within_the_window(
    staff: dict[Role, StaffUser],
    office_clock: TestClock,
    asked_at: datetime,
    status: str,
    last_event: str,
) -> None:
    case_id = answered_case(office_clock, staff)
    office_clock.freeze_at(asked_at)

    ask(request(at=asked_at))

    assert case_row(case_id).status == status
    assert kinds(case_id)[-1] == last_event


def test_a_redelivered_request_reopens_once(
    staff: dict[Role, StaffUser], office_clock: TestClock
) -> None:
    case_id = answered_case(office_clock, staff)
    message = request()

    assert ask(message) == "applied"
    assert ask(message) == "duplicate"

    assert kinds(case_id).count("reopened") == 1
    assert case_row(case_id).answer_round == 2


def test_a_request_before_the_answer_changes_nothing(
    staff: dict[Role, StaffUser], office_clock: TestClock
) -> None:
    case_id = file_at(office_clock, wib(2026, 12, 4, 9, 50))

    ask(request())

    assert case_row(case_id).status == "received"
    assert kinds(case_id)[-1] == "reopen_refused"


# The second round


def test_the_case_flows_again_and_a_second_reopening_goes_to_the_koordinator(
    staff: dict[Role, StaffUser], office_clock: TestClock
) -> None:
    case_id = answered_case(office_clock, staff)
    office_clock.freeze_at(ASKED)
    rate(rating(2, "Belum selesai"))

    second = wib(2026, 12, 10, 10, 0)
    answer_at(office_clock, case_id, staff, second)
    second_until = wib(2026, 12, 24, 16, 0)  # the 10 office days from the 11th

    case = case_row(case_id)
    assert (case.status, case.answer_round, case.reopen_until) == ("answered", 2, second_until)
    answers = sent(NotificationKind.ANSWER)
    assert len(answers) == 2
    assert datetime.fromisoformat(answers[-1]["reopen_until"]) == second_until
    assert kinds(case_id).count("completed") == 9  # steps 1-5, then 2-5, on one record

    later = wib(2026, 12, 11, 9, 0)
    rate(rating(1, "Masih belum", at=later))

    case = case_row(case_id)
    assert (case.status, case.current_step, case.answer_round) == ("disposition", 3, 3)
    assert statuses()[-1]["status"] == "disposition"
    assert [(r.round, r.score) for r in rounds(case_id)] == [(1, 2), (2, 1)]


def test_a_rating_after_an_explicit_reopening_rates_the_answer_it_came_for(
    staff: dict[Role, StaffUser], office_clock: TestClock
) -> None:
    case_id = answered_case(office_clock, staff)
    office_clock.freeze_at(ASKED)
    ask(request())

    rate(rating(1, "Tetap tidak puas"))

    case = case_row(case_id)
    assert (case.current_step, case.answer_round) == (2, 2)  # not reopened twice
    assert [(r.score, r.reopen_reason) for r in rounds(case_id)] == [(1, "Izin belum juga terbit")]


# Closing


def close_at(now: datetime) -> tuple[str, ...]:
    with get_db().transaction() as session:
        return sweep_closes(session, now)


def test_the_sweep_closes_an_answered_case_once_its_window_passed(
    staff: dict[Role, StaffUser], office_clock: TestClock
) -> None:
    case_id = answered_case(office_clock, staff)

    assert close_at(UNTIL - timedelta(seconds=1)) == ()
    assert close_at(UNTIL) == ()  # its last moment is still inside the window
    after = UNTIL + timedelta(minutes=1)
    assert close_at(after) == (CODE,)
    assert close_at(after) == ()

    assert case_row(case_id).status == "closed"
    assert kinds(case_id).count("closed") == 1
    closed = [s for s in statuses() if s["status"] == "closed"]
    assert len(closed) == 1
    assert closed[0]["sequence"] == len(kinds(case_id))


def test_a_closed_case_is_not_reopened(
    staff: dict[Role, StaffUser], office_clock: TestClock
) -> None:
    case_id = answered_case(office_clock, staff)
    close_at(UNTIL + timedelta(minutes=1))

    ask(request(at=UNTIL - timedelta(hours=1)))  # asked in time, arrived after the close
    rate(rating(1, at=UNTIL - timedelta(hours=1)))

    assert case_row(case_id).status == "closed"
    assert kinds(case_id)[-3:] == ["reopen_refused", "rated", "reopen_refused"]


def test_a_reopened_case_is_not_closed_by_the_sweep(
    staff: dict[Role, StaffUser], office_clock: TestClock
) -> None:
    case_id = answered_case(office_clock, staff)
    ask(request())

    assert close_at(UNTIL + timedelta(days=30)) == ()
    assert case_row(case_id).status == "verifying"


# What staff read


def test_the_case_page_shows_the_rating_the_reopening_and_the_record(
    configured: dict[str, str], staff: dict[Role, StaffUser], office_clock: TestClock
) -> None:
    case_id = answered_case(office_clock, staff)
    office_clock.freeze_at(ASKED)
    rate(rating(2, "Izin masih belum terbit"))

    with open_console() as console:
        log_in(console, Role.KASI)
        page = console.get(f"/console/kasus/{case_id}").text

    answers = page[page.index('id="penilaian"') :]
    answers = answers[: answers.index("</section>")]
    assert "Jawaban ke-1" in answers
    assert "Penilaian pengadu: 2 (kurang baik), tidak puas" in answers
    assert "Dibuka kembali 9 Desember 2026, 11.00 WIB. Alasan: Izin masih belum terbit" in answers
    record = page[page.index('id="riwayat"') :]
    assert "Pengadu menilai jawaban ke-1: nilai 2 (tidak puas)" in record
    assert "Laporan pengaduan dibuka kembali, kembali ke langkah 2" in record
    assert "Menunggu verifikasi Kasi" in page  # the status, as staff read it
