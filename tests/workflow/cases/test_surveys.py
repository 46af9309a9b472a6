"""The complainant's SKM survey in the workflow: kept once on the answer round it is about (the
last one sent by the time the complainant read it), as a ``survey_responses`` row and an event
of the record; a redelivery or a second survey of the round adds nothing; one that arrives
before its rating waits for it; and the case page's answers show each round's scores."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.workflow.cases.answer_rounds import answers_of
from services.workflow.cases.history import events_of
from services.workflow.cases.notifications import CaseNotYetRegistered
from services.workflow.cases.reopening import receive_rating
from services.workflow.cases.surveys import RatingNotYetReceived, receive_survey
from services.workflow.database import get_db
from services.workflow.models import StaffUser, SurveyResponse
from shared.messaging.consumer import consume_once
from shared.messaging.contracts import (
    WORKFLOW_RATED_TASK,
    WORKFLOW_SURVEY_TASK,
    ComplaintRatedV1,
    SurveyAnsweredV1,
)
from shared.sop import Role
from tests.support.clock import TestClock
from tests.workflow.console_client import log_in, open_console
from tests.workflow.sla.sweep_cases import answer_at, file_at, wib

CODE = "PGD-TEST-0001"
ANSWERED = wib(2026, 12, 4, 10, 0)
# The notifier's "the answer went out": a moment after the workflow sent it.
READ = ANSWERED + timedelta(seconds=20)
RATED = wib(2026, 12, 7, 9, 0)
SCORES = (4, 3, 2, 4, 3, 3, 4, 1, 3)


def answered_case(office_clock: TestClock, staff: dict[Role, StaffUser]) -> str:
    case_id = file_at(office_clock, wib(2026, 12, 4, 9, 50))
    answer_at(office_clock, case_id, staff, ANSWERED)
    return case_id


def rate(score: int, at: datetime = RATED) -> None:
    message = ComplaintRatedV1(occurred_at=at, tracking_code=CODE, score=score)
    consume_once(get_db(), WORKFLOW_RATED_TASK, message, receive_rating)


def survey_message(
    read_at: datetime = READ, scores: tuple[int, ...] = SCORES, at: datetime = RATED
) -> SurveyAnsweredV1:
    return SurveyAnsweredV1(
        occurred_at=at + timedelta(minutes=2),
        tracking_code=CODE,
        answered_at=read_at,
        scores=scores,
    )


def consume(message: SurveyAnsweredV1) -> str:
    def apply(session: Session, msg: SurveyAnsweredV1) -> None:
        receive_survey(session, msg)

    return consume_once(get_db(), WORKFLOW_SURVEY_TASK, message, apply)


def responses(case_id: str) -> list[tuple[int, list[int]]]:
    with get_db().sessions() as session:
        rows = session.scalars(
            select(SurveyResponse)
            .where(SurveyResponse.case_id == case_id)
            .order_by(SurveyResponse.round)
        )
        return [(r.round, r.scores) for r in rows]


def kinds(case_id: str) -> list[str]:
    with get_db().sessions() as session:
        return [e.kind for e in events_of(session, case_id)]


def test_a_survey_is_kept_on_its_round_and_recorded(
    staff: dict[Role, StaffUser], office_clock: TestClock
) -> None:
    case_id = answered_case(office_clock, staff)
    rate(4)
    message = survey_message()

    assert consume(message) == "applied"

    assert responses(case_id) == [(1, list(SCORES))]
    with get_db().sessions() as session:
        row = session.scalar(select(SurveyResponse))
        assert row is not None
        assert (row.message_id, row.submitted_at) == (str(message.message_id), message.occurred_at)
        [event] = [e for e in events_of(session, case_id) if e.kind == "surveyed"]
        assert event.output == {
            "round": 1,
            "scores": dict(
                zip(("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"), SCORES, strict=True)
            ),
        }


def test_a_redelivery_and_a_second_survey_of_the_round_add_nothing(
    staff: dict[Role, StaffUser], office_clock: TestClock
) -> None:
    case_id = answered_case(office_clock, staff)
    rate(4)
    message = survey_message()
    consume(message)

    assert consume(message) == "duplicate"
    assert consume(survey_message(scores=(1,) * 9)) == "applied"  # another id: ignored here

    assert responses(case_id) == [(1, list(SCORES))]
    assert kinds(case_id).count("surveyed") == 1


def test_a_survey_before_its_rating_waits_for_it(
    staff: dict[Role, StaffUser], office_clock: TestClock
) -> None:
    case_id = answered_case(office_clock, staff)
    message = survey_message()

    with pytest.raises(RatingNotYetReceived):
        consume(message)
    assert responses(case_id) == []  # the try rolled back

    rate(3)
    assert consume(message) == "applied"
    assert responses(case_id) == [(1, list(SCORES))]


def test_a_survey_of_an_unknown_case_waits_for_it(configured: dict[str, str]) -> None:
    with pytest.raises(CaseNotYetRegistered):
        consume(survey_message())
    with get_db().sessions() as session:
        assert session.scalar(select(func.count()).select_from(SurveyResponse)) == 0


def test_each_round_has_its_own_survey_even_one_arriving_late(
    staff: dict[Role, StaffUser], office_clock: TestClock
) -> None:
    case_id = answered_case(office_clock, staff)
    rate(2)  # tidak puas: reopened
    first = survey_message()
    second_sent = wib(2026, 12, 10, 10, 0)
    answer_at(office_clock, case_id, staff, second_sent)
    later = wib(2026, 12, 11, 9, 0)
    rate(4, at=later)
    second = survey_message(read_at=second_sent + timedelta(seconds=20), scores=(4,) * 9, at=later)

    consume(second)
    consume(first)  # the first round's survey, delayed past the second answer

    assert responses(case_id) == [(1, list(SCORES)), (2, [4] * 9)]
    with get_db().sessions() as session:
        assert [a.round for a in answers_of(session, case_id)] == [1, 2]


def test_the_case_page_shows_each_rounds_survey(
    configured: dict[str, str], staff: dict[Role, StaffUser], office_clock: TestClock
) -> None:
    case_id = answered_case(office_clock, staff)
    rate(4)
    consume(survey_message())

    with open_console() as console:
        log_in(console, Role.KASI)
        page = console.get(f"/console/kasus/{case_id}").text

    answers = page[page.index('id="penilaian"') :]
    answers = " ".join(answers[: answers.index("</section>")].split())
    # 4+3+2+4+3+3+4+1+3 = 27; 27 x 1/9 = 3; x 25 = 75,00: C (65,00-76,60).
    assert (
        "Survei Kepuasan Masyarakat (7 Desember 2026, 09.02 WIB): IKM jawaban ini 75,00 "
        "(C, kurang baik)." in answers
    )
    assert "<dt>U1 Persyaratan</dt><dd>4 (sangat baik)</dd>" in answers
    assert "<dt>U8 Penanganan pengaduan, saran dan masukan</dt><dd>1 (tidak baik)</dd>" in answers
    record = page[page.index('id="riwayat"') :]
    assert "Pengadu mengisi Survei Kepuasan Masyarakat untuk jawaban ke-1" in record
