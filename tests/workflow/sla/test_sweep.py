"""The Mutu Baku sweep: a warning to the role at 80% of a step's standard, a breach recorded on the
case and escalated to the supervising role once per arrival, however many sweeps run at the same
moment; overdue cases at the top of worklists. Time is driven by the test clock."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.workflow.cases.paths import receive_reply, take_path
from services.workflow.cases.steps import arrive, complete_step, worklist
from services.workflow.database import get_db
from services.workflow.models import StaffUser
from services.workflow.sla.sweep import SweepResult, sweep
from services.workflow.staff.accounts import create_user
from services.workflow.tasks import sla_sweep
from shared.messaging.contracts import ComplainantReplyV1, NotificationKind, StepHandoffV1
from shared.runtime.settings import get_settings
from shared.sop import Role
from tests.support.clock import TestClock
from tests.workflow.conftest import PASSWORD, login
from tests.workflow.sla.sweep_cases import (
    HEAD_OF_OFFICE,
    ask_for_information,
    breaches,
    case_row,
    email_of,
    file_at,
    move_to,
    recipients,
    run_sweep,
    sent,
    stored,
    wib,
)


@pytest.fixture
def staff(configured: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[Role, Any]]:
    """Per role: one member with an address (who is emailed), one without and one inactive
    (who are not); the head of office list set."""
    monkeypatch.setenv(
        "PENGADUAN_HEAD_OF_OFFICE_EMAILS", f'["{HEAD_OF_OFFICE[0]}", "{HEAD_OF_OFFICE[1]}"]'
    )
    get_settings.cache_clear()
    users = {}
    with get_db().transaction() as session:
        for role in Role:
            users[role] = create_user(
                session,
                username=f"petugas_{role.value}",
                password=PASSWORD,
                role=role,
                full_name=f"Petugas {role.value}",
                email=email_of(role),
            )
            create_user(session, username=f"tanpa_email_{role.value}", password=PASSWORD, role=role)
            create_user(
                session,
                username=f"nonaktif_{role.value}",
                password=PASSWORD,
                role=role,
                email=f"nonaktif.{email_of(role)}",
            ).active = False
    yield users
    get_settings.cache_clear()


# Warnings


def test_nothing_is_sent_before_the_warning_time(
    staff: dict[Role, StaffUser], office_clock: TestClock
) -> None:
    file_at(office_clock, wib(2026, 11, 30, 9, 0))

    assert run_sweep(wib(2026, 11, 30, 9, 3, 59)) == SweepResult()
    assert sent(NotificationKind.SLA_WARNING) == sent(NotificationKind.SLA_BREACH) == []


def test_the_role_is_warned_once_at_80_percent_of_the_standard(
    staff: dict[Role, StaffUser], office_clock: TestClock
) -> None:
    case_id = file_at(office_clock, wib(2026, 11, 30, 9, 0))

    assert run_sweep(wib(2026, 11, 30, 9, 4)) == SweepResult(warned=("PGD-TEST-0001",))
    assert run_sweep(wib(2026, 11, 30, 9, 4, 30)) == SweepResult()

    [warning] = sent(NotificationKind.SLA_WARNING)
    assert warning["recipient"] == {
        "name": "Petugas admin",
        "email": email_of(Role.ADMIN),
        "phone": None,
    }
    assert warning["channels"] == ["email"]
    assert warning["tracking_code"] == "PGD-TEST-0001"
    assert warning["note"] == (
        "Langkah 1: Menerima pengaduan secara online dan melaporkan kepada Kasi.\n"
        "Peran: Admin Pengaduan.\n"
        "Batas waktu: 30 November 2026, 09.05 WIB (standar 5 menit).\n"
        "Sisa waktu: 1 menit."
    )
    assert case_row(case_id).warned_at == wib(2026, 11, 30, 9, 4)
    assert breaches(case_id) == []  # a warning is not a breach


# Breaches


def test_a_breach_is_recorded_once_and_escalated_to_the_supervising_role(
    staff: dict[Role, StaffUser], office_clock: TestClock
) -> None:
    case_id = file_at(office_clock, wib(2026, 11, 30, 9, 0))

    # First seen three minutes past due: breached only, the warning's moment has passed.
    assert run_sweep(wib(2026, 11, 30, 9, 8)) == SweepResult(breached=("PGD-TEST-0001",))
    assert run_sweep(wib(2026, 11, 30, 9, 9)) == SweepResult()

    [event] = breaches(case_id)
    assert (event.step, event.role, event.actor) == (1, "admin", "sistem")
    assert event.occurred_at == wib(2026, 11, 30, 9, 8)
    assert event.output == {
        "due_at": stored(wib(2026, 11, 30, 9, 5)),
        "minutes_over": 3.0,
        "escalated_to": "kasi",
    }
    assert event.standard_minutes == 5
    [escalation] = sent(NotificationKind.SLA_BREACH)
    assert escalation["recipient"]["email"] == email_of(Role.KASI)
    assert escalation["note"] == (
        "Langkah 1: Menerima pengaduan secara online dan melaporkan kepada Kasi.\n"
        "Peran: Admin Pengaduan.\n"
        "Batas waktu: 30 November 2026, 09.05 WIB (standar 5 menit).\n"
        "Terlambat: 3 menit melewati batas waktu.\n"
        "Dilaporkan kepada: Kepala Seksi (Kasi)."
    )
    assert sent(NotificationKind.SLA_WARNING) == []
    assert case_row(case_id).breached_at == wib(2026, 11, 30, 9, 8)


@pytest.mark.parametrize(
    ("step", "told"),
    [
        (2, [email_of(Role.KOORDINATOR)]),  # the Kasi reports to the Kabid (Koordinator)
        (3, sorted(HEAD_OF_OFFICE)),  # no role above the Koordinator: the head of office
        (4, [email_of(Role.KOORDINATOR)]),  # the Tim Koordinasi acts on his disposition
        (5, [email_of(Role.KASI)]),  # the Admin, again
    ],
)
def test_each_roles_breach_goes_to_whom_the_sop_puts_above_it(
    staff: dict[Role, StaffUser], office_clock: TestClock, step: int, told: list[str]
) -> None:
    case_id = file_at(office_clock, wib(2026, 11, 30, 9, 0))
    move_to(office_clock, case_id, staff, step)

    run_sweep(wib(2026, 11, 30, 10, 0))

    assert recipients(NotificationKind.SLA_BREACH) == told
    [event] = breaches(case_id)
    assert event.step == step
    if step == 3:
        assert event.output["escalated_to"] == "head_of_office"
        assert {m["recipient"]["name"] for m in sent(NotificationKind.SLA_BREACH)} == {
            "Kepala Dinas DPMPTSP"
        }


def test_a_breach_is_escalated_once_when_two_sweeps_run_at_the_same_moment(
    staff: dict[Role, StaffUser], office_clock: TestClock
) -> None:
    late = file_at(office_clock, wib(2026, 11, 30, 9, 0), "PGD-TEST-0001")
    near = file_at(office_clock, wib(2026, 11, 30, 9, 2), "PGD-TEST-0002")
    now = wib(2026, 11, 30, 9, 6)  # the first one late, the second at its warning
    start = threading.Barrier(2)
    results: list[SweepResult] = []
    errors: list[BaseException] = []

    def one_sweep() -> None:
        try:
            start.wait(timeout=10)
            # Each thread its own session and transaction, as two worker processes would have.
            with get_db().transaction() as session:
                results.append(sweep(session, now))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=one_sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(code for r in results for code in r.breached) == ["PGD-TEST-0001"]
    assert sorted(code for r in results for code in r.warned) == ["PGD-TEST-0002"]
    assert len(breaches(late)) == 1
    assert breaches(near) == []
    assert recipients(NotificationKind.SLA_BREACH) == [email_of(Role.KASI)]
    assert recipients(NotificationKind.SLA_WARNING) == [email_of(Role.ADMIN)]


def test_the_sweep_task_fired_twice_acts_once(
    staff: dict[Role, StaffUser], office_clock: TestClock
) -> None:
    case_id = file_at(office_clock, wib(2026, 11, 30, 9, 0))
    office_clock.freeze_at(wib(2026, 11, 30, 9, 7))

    assert sla_sweep() == "warned 0, breached 1, reminded 0, closed 0, windows ended 0"
    assert sla_sweep() == "warned 0, breached 0, reminded 0, closed 0, windows ended 0"
    assert len(breaches(case_id)) == 1


# What is not swept


def test_a_case_waiting_for_the_complainant_is_never_warned_nor_breached(
    staff: dict[Role, StaffUser], office_clock: TestClock
) -> None:
    case_id = file_at(office_clock, wib(2026, 11, 30, 9, 0))
    move_to(office_clock, case_id, staff, 2)
    office_clock.freeze_at(wib(2026, 11, 30, 9, 3))
    ask_for_information(case_id, staff)

    assert run_sweep(wib(2026, 12, 7, 9, 0)) == SweepResult()  # a week without a reply
    assert sent(NotificationKind.SLA_WARNING) == sent(NotificationKind.SLA_BREACH) == []


def test_a_case_that_moved_on_is_not_breached_for_the_step_it_left(
    staff: dict[Role, StaffUser], office_clock: TestClock
) -> None:
    case_id = file_at(office_clock, wib(2026, 11, 30, 9, 0))
    run_sweep(wib(2026, 11, 30, 9, 4))  # warned at step 1
    office_clock.freeze_at(wib(2026, 11, 30, 9, 4, 30))
    with get_db().transaction() as session:
        complete_step(
            session,
            case_id=case_id,
            step_number=1,
            user=session.get(StaffUser, staff[Role.ADMIN].id),
            payload={},
        )

    # Step 1's due time passes while the case travels to step 2: nothing to breach.
    assert run_sweep(wib(2026, 11, 30, 9, 10)) == SweepResult()
    assert breaches(case_id) == []


def test_a_new_arrival_resets_the_marks_and_is_warned_and_breached_on_its_own(
    staff: dict[Role, StaffUser], office_clock: TestClock
) -> None:
    case_id = file_at(office_clock, wib(2026, 11, 30, 9, 0))
    move_to(office_clock, case_id, staff, 2)
    run_sweep(wib(2026, 11, 30, 9, 4))
    run_sweep(wib(2026, 11, 30, 9, 6))  # step 2 warned, then breached
    office_clock.freeze_at(wib(2026, 11, 30, 9, 7))
    move_to(office_clock, case_id, staff, 3)
    with get_db().transaction() as session:  # the Koordinator sends it back to the Kasi
        take_path(
            session,
            case_id=case_id,
            step_number=3,
            name="return_for_verification",
            user=session.get(StaffUser, staff[Role.KOORDINATOR].id),
            payload={"reason": "Lengkapi hasil verifikasi."},
        )
    office_clock.freeze_at(wib(2026, 11, 30, 9, 10))
    with get_db().transaction() as session:
        arrive(session, StepHandoffV1(case_id=case_id, step=2))

    again = case_row(case_id)
    assert (again.warned_at, again.breached_at) == (None, None)
    assert run_sweep(wib(2026, 11, 30, 9, 14)) == SweepResult(warned=("PGD-TEST-0001",))
    assert run_sweep(wib(2026, 11, 30, 9, 15)) == SweepResult(breached=("PGD-TEST-0001",))

    assert [(e.step, e.output["due_at"]) for e in breaches(case_id)] == [
        (2, stored(wib(2026, 11, 30, 9, 5))),
        (2, stored(wib(2026, 11, 30, 9, 15))),
    ]
    # Once per arrival: two warnings to the Kasi, two breaches to the Koordinator, each its own.
    warnings = sent(NotificationKind.SLA_WARNING)
    escalations = sent(NotificationKind.SLA_BREACH)
    assert [m["recipient"]["email"] for m in warnings] == [email_of(Role.KASI)] * 2
    assert [m["recipient"]["email"] for m in escalations] == [email_of(Role.KOORDINATOR)] * 2
    assert len({m["message_id"] for m in warnings + escalations}) == 4


# Worklists


def test_overdue_cases_top_the_worklist_oldest_due_first_then_the_rest_by_arrival(
    staff: dict[Role, StaffUser], office_clock: TestClock, client: TestClient
) -> None:
    def at_step_2(code: str, filed: datetime, arrives: datetime) -> str:
        case_id = file_at(office_clock, filed, f"PGD-TEST-000{code}")
        office_clock.freeze_at(arrives)
        move_to(office_clock, case_id, staff, 2)
        return case_id

    # P arrives first but the Kasi asks its complainant for more after 4 minutes; Q arrives
    # meanwhile; P's reply brings it back with 1 minute left, so it is due before Q.
    p = at_step_2("P", wib(2026, 11, 30, 8, 50), wib(2026, 11, 30, 9, 0))
    office_clock.freeze_at(wib(2026, 11, 30, 9, 4))
    ask_for_information(p, staff)
    at_step_2("Q", wib(2026, 11, 30, 9, 5), wib(2026, 11, 30, 9, 8))  # due 9:13
    office_clock.freeze_at(wib(2026, 11, 30, 9, 10))
    with get_db().transaction() as session:
        receive_reply(session, ComplainantReplyV1(tracking_code="PGD-TEST-000P", message="503/123"))
    assert case_row(p).due_at == wib(2026, 11, 30, 9, 11)
    at_step_2("S", wib(2026, 11, 30, 9, 15), wib(2026, 11, 30, 9, 16))  # due 9:21
    at_step_2("R", wib(2026, 11, 30, 9, 15), wib(2026, 11, 30, 9, 17))  # due 9:22

    with get_db().sessions() as session:
        at_due = worklist(session, Role.KASI, wib(2026, 11, 30, 9, 13))
    assert [c.tracking_code[-1] for c in at_due] == ["P", "Q", "S", "R"]  # Q due: overdue

    office_clock.freeze_at(wib(2026, 11, 30, 9, 20))
    items = client.get("/api/v1/worklist", headers=login(client, Role.KASI)).json()
    assert [(i["tracking_code"][-1], i["overdue"], i["minutes_left"]) for i in items] == [
        ("P", True, -9.0),  # 4 minutes before the pause, 10 since the reply
        ("Q", True, -7.0),
        ("S", False, 1.0),
        ("R", False, 2.0),
    ]


def test_the_worklist_counts_minutes_left_in_office_time(
    staff: dict[Role, StaffUser], office_clock: TestClock, client: TestClient
) -> None:
    file_at(office_clock, wib(2026, 11, 30, 11, 58))  # two minutes before the rest break
    office_clock.freeze_at(wib(2026, 11, 30, 12, 45))

    [item] = client.get("/api/v1/worklist", headers=login(client, Role.ADMIN)).json()
    assert (item["overdue"], item["minutes_left"]) == (False, 3.0)


def test_a_step_breached_before_the_pause_is_not_escalated_again_on_the_reply(
    staff: dict[Role, StaffUser], office_clock: TestClock
) -> None:
    case_id = file_at(office_clock, wib(2026, 11, 30, 9, 0))
    move_to(office_clock, case_id, staff, 2)
    run_sweep(wib(2026, 11, 30, 9, 6))  # the Kasi is late: warned and breached
    assert len(breaches(case_id)) == 1
    office_clock.freeze_at(wib(2026, 11, 30, 9, 7))
    ask_for_information(case_id, staff)
    office_clock.freeze_at(wib(2026, 12, 1, 10, 0))
    with get_db().transaction() as session:
        receive_reply(session, ComplainantReplyV1(tracking_code="PGD-TEST-0001", message="503/123"))

    # Back at step 2 already past its standard: at the top of the worklist, overdue, but the
    # breach of this step was recorded and escalated once, before the pause.
    assert run_sweep(wib(2026, 12, 1, 10, 5)) == SweepResult()
    assert len(breaches(case_id)) == 1
    assert len(sent(NotificationKind.SLA_BREACH)) == 1
    assert sent(NotificationKind.SLA_WARNING) == []  # first seen already late: breach only
    with get_db().sessions() as session:
        [top] = worklist(session, Role.KASI, now=wib(2026, 12, 1, 10, 5))
        assert top.id == case_id and top.due_at is not None
