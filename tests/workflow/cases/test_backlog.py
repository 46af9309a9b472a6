"""Each role's backlog, where Flower cannot see it (cases that arrived wait in the database):
cases waiting, overdue, and the oldest wait in office minutes, from the logic, on /metrics, at
the top of the worklist and on the operators' page /console/antrean."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from services.workflow.cases.backlog import RoleBacklog, backlogs
from services.workflow.database import get_db
from services.workflow.models import StaffUser
from services.workflow.sla import step_clock
from shared.sop import STEP_BY_NUMBER, Role
from tests.support.clock import WIB, TestClock
from tests.support.prometheus import figure, parse
from tests.workflow.console_client import log_in, open_console
from tests.workflow.records import seed_case

# Monday morning, office hours (07:30-12:00 WIB): a minute of the clock is an office minute.
NOW = datetime(2026, 11, 30, 9, 12, tzinfo=WIB)
GAUGES = (
    "pengaduan_workflow_cases_waiting",
    "pengaduan_workflow_cases_overdue",
    "pengaduan_workflow_oldest_wait_office_minutes",
)


def waiting_case(step: int | None, *, arrived: datetime | None, before_pause: float = 0.0) -> None:
    """A case at ``step`` (None: closed), arrived there at ``arrived`` (None: still travelling),
    with ``before_pause`` office minutes spent there before a pause."""
    with get_db().transaction() as session:
        code = f"PGD-ANTRE-{uuid.uuid4().hex[:6].upper()}"
        case = seed_case(session, code, arrived or NOW)
        case.current_step = step
        if step is not None and arrived is not None:
            resumed = before_pause if before_pause else None
            step_clock.start(case, STEP_BY_NUMBER[step], arrived, resumed_after=resumed)


@pytest.fixture
def desk(configured: dict[str, str], office_clock: TestClock) -> None:
    """Cases at every kind of place, the clock stopped at ``NOW``."""
    office_clock.freeze_at(NOW)
    at = NOW.replace(minute=0)
    waiting_case(1, arrived=at)  # admin, 12 minutes: overdue
    waiting_case(5, arrived=at + timedelta(minutes=10))  # admin, 2 minutes
    waiting_case(2, arrived=at + timedelta(minutes=11))  # kasi, 1 minute
    waiting_case(3, arrived=at + timedelta(minutes=8))  # koordinator, 4 minutes
    # Back at step 3 after the complainant answered: 4 minutes before the pause, 2 since.
    waiting_case(3, arrived=at + timedelta(minutes=10), before_pause=4)
    waiting_case(4, arrived=None)  # handed to the Tim Koordinasi, not arrived yet: on no worklist
    waiting_case(None, arrived=None)  # answered and closed


def test_every_role_has_its_waiting_overdue_and_oldest_wait(desk: None) -> None:
    with get_db().transaction() as session:
        rows = backlogs(session, NOW)
    assert rows == [
        RoleBacklog(Role.ADMIN, waiting=2, overdue=1, oldest_wait_office_minutes=12.0),
        RoleBacklog(Role.KASI, waiting=1, overdue=0, oldest_wait_office_minutes=1.0),
        RoleBacklog(Role.KOORDINATOR, waiting=2, overdue=1, oldest_wait_office_minutes=6.0),
        RoleBacklog(Role.TIM_KOORDINASI, waiting=0, overdue=0, oldest_wait_office_minutes=0.0),
    ]


def test_the_wait_counts_office_minutes_only(configured: dict[str, str]) -> None:
    # Arrived Friday 15:58; Monday 07:35 is 2 + 5 office minutes later, not a weekend.
    friday = datetime(2026, 11, 27, 15, 58, tzinfo=WIB)
    waiting_case(2, arrived=friday)
    with get_db().transaction() as session:
        [kasi] = [
            r
            for r in backlogs(session, friday + timedelta(days=2, hours=15, minutes=37))
            if r.role == Role.KASI
        ]
    assert (kasi.waiting, kasi.overdue, kasi.oldest_wait_office_minutes) == (1, 1, 7.0)


def test_metrics_carry_each_roles_backlog_zeros_included(desk: None, client: TestClient) -> None:
    figures = parse(client.get("/metrics").text)
    expected = {
        "admin": (2, 1, 12),
        "kasi": (1, 0, 1),
        "koordinator": (2, 1, 6),
        "tim_koordinasi": (0, 0, 0),
    }
    for role, values in expected.items():
        assert tuple(figure(figures, name, role=role) for name in GAUGES) == values, role


@pytest.fixture
def console(desk: None, staff: dict[Role, StaffUser]) -> Iterator[TestClient]:
    with open_console() as client:
        yield client


def test_the_worklist_opens_with_the_roles_own_figures(console: TestClient) -> None:
    log_in(console, Role.KOORDINATOR)
    page = console.get("/console").text
    summary = page[page.index('id="antrean-peran"') : page.index("</dl>")]
    assert "Menunggu" in summary and ">2<" in summary
    assert "Terlambat" in summary and ">1<" in summary
    assert "6 menit" in summary


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reads_the_operators_page(console: TestClient, role: Role) -> None:
    log_in(console, role)
    response = console.get("/console/antrean")
    assert response.status_code == 200
    table = response.text[response.text.index('id="antrean"') :]
    rows = table[: table.index("</table>")].split("<tr")[2:]  # past the header row
    # A cell's text as a desktop shows it: without the column name a phone's card adds.
    bare = [re.sub(r'<span class="cell-label"[^>]*>[^<]*</span>', "", row) for row in rows]
    cells = [[c.split(">", 1)[1].split("<")[0].strip() for c in r.split("<td")[1:]] for r in bare]
    assert [row[:3] for row in cells] == [
        ["2", "1", "12 menit"],
        ["1", "0", "1 menit"],
        ["2", "1", "6 menit"],
        ["0", "0", "-"],
    ]


def test_the_operators_page_needs_a_login(console: TestClient) -> None:
    response = console.get("/console/antrean")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/console/masuk")
