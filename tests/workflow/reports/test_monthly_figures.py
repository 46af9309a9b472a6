"""The monthly report's figures, one by one, over a record written by hand on SQLite and on
PostgreSQL: November 2026 (office time zone, WIB), each expected number worked out in the
comments from the cases below, not from the report's code."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event, select

from services.workflow.database import get_db
from services.workflow.models import Case, CatalogueEntry
from services.workflow.reports.monthly import monthly_report
from services.workflow.reports.shape import MonthlyReport
from services.workflow.sla.office_calendar import office_calendar
from shared import skm
from tests.workflow.reports.monthly_records import (
    AS_OF,
    NOVEMBER,
    SURVEY_A,
    SURVEY_H,
    add_case,
    answer,
    declined_by,
    step_done,
    survey,
    wib,
)

pytestmark = pytest.mark.both_databases


@pytest.fixture
def report(configured: dict[str, str]) -> MonthlyReport:
    with get_db().transaction() as session:
        session.add(
            CatalogueEntry(code="BARU", name="Izin baru kantor", group="berusaha", updated_at=AS_OF)
        )
        # A: NIB by the web form, answered Mon 2 Nov 09:00 -> 10:00 (60 office minutes), rated
        # 4 (puas), surveyed; five steps, the third one late.
        a = add_case(session, "PGD-A", wib(2), service_code="NIB", filed_via="web")
        for step, minutes in ((1, 2.0), (2, 3.0), (3, 7.5), (4, 4.0), (5, 1.0)):
            step_done(session, a, step, minutes, wib(2, 9, 10 * step))
        answer(session, a, wib(2, 10), score=4)
        survey(session, a, SURVEY_A)
        # B: NIB by the API, answered Wed 4 Nov 08:00 -> 08:30 (30 minutes), rated 2 (not puas)
        # and so reopened: open again at step 2 (round 2), its due time passed: overdue.
        b = add_case(
            session,
            "PGD-B",
            wib(4, 8),
            service_code="NIB",
            filed_via="api",
            status="verifying",
            current_step=2,
            step_arrived_at=AS_OF - timedelta(minutes=20),
            due_at=AS_OF - timedelta(minutes=15),
            answer_round=2,
        )
        step_done(session, b, 1, 4.0, wib(4, 8, 5))
        answer(session, b, wib(4, 8, 30), score=2, reopened=True)
        # H: NIB at the desk (loket), answered Tue 3 Nov 09:00 -> 15:00 (3 h before the break
        # and 2 h after: 300 minutes), closed after its window, rated 3 (puas), surveyed.
        h = add_case(
            session, "PGD-H", wib(3), service_code="NIB", received_via="loket", status="closed"
        )
        answer(session, h, wib(3, 15), score=3)
        survey(session, h, SURVEY_H)
        # C, C2, C3: PBG by telephone, declined; C and C2 name the same body (spelled apart),
        # C3 none. C2 was declined twice (reopened in between): its last decline counts.
        c = add_case(session, "PGD-C", wib(5), service_code="PBG", received_via="telepon")
        c.status = "declined"
        declined_by(session, c, "Dinas Kesehatan", wib(5, 10))
        c2 = add_case(
            session, "PGD-C2", wib(6), service_code="PBG", received_via="telepon", answer_round=2
        )
        c2.status = "declined"
        declined_by(session, c2, "Dinas Perhubungan", wib(6, 10))
        declined_by(session, c2, "  dinas   KESEHATAN ", wib(9, 10))
        c3 = add_case(session, "PGD-C3", wib(6, 11), service_code="PBG", received_via="surat")
        c3.status = "declined"
        declined_by(session, c3, None, wib(6, 12))
        # F: PBG by letter, open at step 4, due later than AS_OF: not overdue.
        add_case(
            session,
            "PGD-F",
            wib(10),
            service_code="PBG",
            received_via="surat",
            status="follow_up",
            current_step=4,
            step_arrived_at=AS_OF - timedelta(minutes=1),
            due_at=AS_OF + timedelta(minutes=4),
        )
        # D: no service, web, a duplicate; E: no service, loket, closed without reply; G: no
        # service, web, travelling to step 3 (no clock): open, not overdue.
        add_case(session, "PGD-D", wib(11), filed_via="web", status="duplicate")
        add_case(session, "PGD-E", wib(12), received_via="loket", status="closed_no_response")
        add_case(
            session,
            "PGD-G",
            wib(1, 0, 10),  # 00.10 WIB on 1 November: still 31 October in UTC, November's
            filed_via="web",
            status="disposition",
            current_step=3,
            due_at=AS_OF - timedelta(hours=1),  # a stale due time without an arrival: not late
        )
        # K: the office's own new service; L: a code the catalogue no longer holds; M: filed
        # before the routes were recorded (no route).
        add_case(session, "PGD-K", wib(13), service_code="BARU", filed_via="open311")
        add_case(session, "PGD-L", wib(13, 10), service_code="HAPUS", filed_via="web")
        add_case(session, "PGD-M", wib(13, 11), service_code="NIB")
        # Outside November: 23.59 WIB on 31 October, 00.30 WIB on 1 December.
        add_case(session, "PGD-OKT", wib(31, 23, 59, month=10), filed_via="web")
        out = add_case(session, "PGD-DES", wib(1, 0, 30, month=12), filed_via="web")
        answer(session, out, wib(1, 9, month=12), score=1)
    with get_db().transaction() as session:
        return monthly_report(session, NOVEMBER, as_of=AS_OF)


def test_the_totals_count_the_month_by_route(report: MonthlyReport) -> None:
    t = report.totals
    # A B H C C2 C3 F D E G K L M: 13 (October's and December's left out).
    assert t.filed == 13
    assert t.filed_via == {
        "web": 4,  # A D G L
        "api": 1,  # B
        "open311": 1,  # K
        "telepon": 2,  # C C2
        "loket": 2,  # H E
        "surat": 2,  # C3 F
    }  # M has no route: 12 of 13


def test_outcomes_add_up(report: MonthlyReport) -> None:
    t = report.totals
    assert t.answered + t.declined + t.duplicates + t.closed_without_reply + t.open == t.filed
    # answered: A, H (closed), K, L, M (seeded as answered) = 5; open: B, F, G = 3.
    assert (t.answered, t.declined, t.duplicates, t.closed_without_reply, t.open) == (5, 3, 1, 1, 3)
    # overdue: B only (F's due time is later; G has not arrived). reopened: B and C2 (round 2).
    assert (t.overdue, t.reopened) == (1, 2)


def test_declines_name_the_body_once_whatever_the_spelling(report: MonthlyReport) -> None:
    # C and C2 (its last decline) to Dinas Kesehatan, spelled as C's; C3 named none.
    assert report.totals.declined_to == {"Dinas Kesehatan": 2}


def test_steps_answers_and_satisfaction(report: MonthlyReport) -> None:
    t = report.totals
    # A's five steps (one 7.5 minutes: late) and B's one.
    assert (t.steps_completed, t.steps_within_standard, t.within_standard_share) == (
        6,
        5,
        0.8333,
    )
    # First answers: B 30, A 60, H 300 office minutes: the median is 60.
    assert t.median_minutes_to_answer == 60.0
    # Rated: A 4, B 2, H 3 -> 3 rated, 2 puas (December's 1 is not November's).
    assert (t.rated, t.satisfied, t.satisfied_share) == (3, 2, 0.6667)


def test_the_ikm_is_the_regulations_of_the_months_surveys(report: MonthlyReport) -> None:
    ikm = report.totals.ikm
    assert ikm is not None
    # NRR: U5 (4 + 2) / 2 = 3, the rest (4 + 3) / 2 = 3.5; IKM = (8 x 3.5 + 3) / 9 = 31/9
    # = 3.4444; x 25 = 86.11: grade B.
    assert ikm.respondents == 2
    assert ikm.element_averages[4] == Decimal(3)
    assert ikm.value == Decimal("3.4444")
    assert ikm.converted == Decimal("86.11")
    assert (ikm.grade, ikm.performance) == ("B", "Baik")
    assert ikm == skm.index_of([SURVEY_A, SURVEY_H])


def test_one_line_per_service_in_catalogue_order(report: MonthlyReport) -> None:
    lines = [(s.code, s.name, s.group, s.figures.filed) for s in report.services]
    assert lines == [
        ("NIB", "Nomor Induk Berusaha (NIB) melalui OSS", "berusaha", 4),  # A B H M
        ("PBG", "Persetujuan Bangunan Gedung (PBG)", "non_berusaha", 4),  # C C2 C3 F
        ("BARU", "Izin baru kantor", "berusaha", 1),  # added by the office: after the seed
        ("HAPUS", "HAPUS", None, 1),  # no longer in the catalogue
        (None, "Tidak disebutkan", None, 3),  # D E G
    ]
    nib = report.services[0].figures
    assert (nib.answered, nib.open, nib.overdue, nib.reopened) == (2 + 1, 1, 1, 1)
    assert (nib.rated, nib.satisfied, nib.median_minutes_to_answer) == (3, 2, 60.0)
    assert nib.filed_via["api"] == 1 and nib.filed_via["loket"] == 1
    pbg = report.services[1].figures
    assert (pbg.declined, pbg.declined_to, pbg.open, pbg.ikm) == (
        3,
        {"Dinas Kesehatan": 2},
        1,
        None,
    )
    unnamed = report.services[-1].figures
    assert (unnamed.duplicates, unnamed.closed_without_reply, unnamed.open) == (1, 1, 1)
    # Each figure of the lines adds up to the month's.
    assert sum(s.figures.filed for s in report.services) == report.totals.filed


def test_the_period_is_the_office_month(report: MonthlyReport) -> None:
    assert report.period_start == wib(1, 0)
    assert report.period_end == wib(1, 0, month=12)
    assert report.as_of == AS_OF
    assert "IKM dihitung sesuai Peraturan Menteri PANRB Nomor 14 Tahun 2017" in report.method


def test_a_month_with_no_complaints_has_zeros_and_no_shares(configured: dict[str, str]) -> None:
    with get_db().transaction() as session:
        empty = monthly_report(session, date(2026, 2, 1), as_of=AS_OF)
        assert session.scalar(select(Case).limit(1)) is None
    assert empty.services == ()
    t = empty.totals
    assert (t.filed, t.within_standard_share, t.median_minutes_to_answer) == (0, None, None)
    assert (t.satisfied_share, t.ikm) == (None, None)
    assert set(t.filed_via.values()) == {0}
    assert office_calendar().zone.key == "Asia/Jakarta"


def statements_for(month: date) -> int:
    """How many SQL statements one report of ``month`` sends."""
    sent: list[str] = []

    def count(*args: object) -> None:
        sent.append(str(args[2]))

    engine = get_db().engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        with get_db().transaction() as session:
            monthly_report(session, month, as_of=AS_OF)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(sent)


def test_a_busy_month_costs_the_same_few_queries_as_a_quiet_one(report: MonthlyReport) -> None:
    # November has 13 complaints; add 40 more of every kind to it: the report still sends the
    # same grouped statements, not one per case.
    quiet = statements_for(NOVEMBER)
    with get_db().transaction() as session:
        for n in range(40):
            case = add_case(
                session,
                f"PGD-X{n}",
                wib(16 + n % 10, 9, n),
                service_code=("NIB", "PBG", None)[n % 3],
                filed_via="web",
            )
            step_done(session, case, 1, 2.0, wib(16 + n % 10, 10, n))
            answer(session, case, wib(16 + n % 10, 11, n), score=1 + n % 4)
            if n % 2:
                declined_by(session, case, f"Instansi {n % 5}", wib(16 + n % 10, 12))
    assert statements_for(NOVEMBER) == quiet <= 8
