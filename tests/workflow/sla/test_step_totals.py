"""The running totals per step and role (``sla.step_totals``) that the metrics read: after a
varied record (an answer reopened and answered again, a decline, a duplicate, a return for
verification, breaches, an erasure, a completion sent twice, a hand-off delivered twice and a
completion inside a savepoint that rolled back) they equal what the record itself counts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from services.workflow.cases import history
from services.workflow.cases.paths import take_path
from services.workflow.cases.reopening import receive_rating
from services.workflow.cases.steps import arrive, complete_step
from services.workflow.database import get_db
from services.workflow.errors import StepOutOfOrder
from services.workflow.models import Case, StaffUser
from services.workflow.privacy.retention import erase_batch
from services.workflow.sla.close_sweep import sweep_closes
from services.workflow.sla.step_totals import BUCKET_COLUMNS, from_history, totals
from shared.attachments import open_store
from shared.messaging.consumer import consume_once
from shared.messaging.contracts import ComplaintRatedV1, StepHandoffV1
from shared.runtime.settings import get_settings
from shared.sop import Role, step
from tests.support.clock import TestClock
from tests.workflow.sla.sweep_cases import STEP_INPUTS, answer_at, file_at, move_to, run_sweep, wib

ANSWERED = wib(2026, 12, 4, 10, 0)
UNTIL = wib(2026, 12, 18, 16, 0)  # ten office days after the answer: the window closes
RETENTION = timedelta(days=730)


def _user(session: Any, staff: dict[Role, StaffUser], role: Role) -> StaffUser:
    return session.get_one(StaffUser, staff[role].id)


def _path(case_id: str, number: int, name: str, role: Role, staff: dict, payload: dict) -> None:
    with get_db().transaction() as session:
        take_path(
            session,
            case_id=case_id,
            step_number=number,
            name=name,
            user=_user(session, staff, role),
            payload=payload,
        )


def _complete_first(case_id: str, staff: dict[Role, StaffUser]) -> None:
    with get_db().transaction() as session:
        user = _user(session, staff, Role.ADMIN)
        complete_step(session, case_id=case_id, step_number=1, user=user, payload=STEP_INPUTS[1])


def _figures(rows: dict[tuple[int, str], Any]) -> dict[tuple[int, str], dict[str, Any]]:
    names = ("completions", "minutes_total", "breaches", *BUCKET_COLUMNS)
    return {
        key: {n: (row[n] if isinstance(row, dict) else getattr(row, n)) for n in names}
        for key, row in rows.items()
    }


def test_the_totals_equal_the_record_after_a_varied_history(
    office_clock: TestClock, staff: dict[Role, StaffUser]
) -> None:
    # Answered, rated tidak puas: reopened to the Kasi and answered again.
    reopened = file_at(office_clock, wib(2026, 12, 4, 9, 0), "PGD-TEST-0001")
    answer_at(office_clock, reopened, staff, ANSWERED)
    with get_db().transaction() as session:
        receive_rating(
            session,
            ComplaintRatedV1(occurred_at=ANSWERED, tracking_code="PGD-TEST-0001", score=1),
        )
    answer_at(office_clock, reopened, staff, wib(2026, 12, 7, 10, 0))

    # Declined by the Kasi; a duplicate marked by the admin.
    declined = file_at(office_clock, wib(2026, 12, 7, 11, 0), "PGD-TEST-0002")
    move_to(office_clock, declined, staff, 2)
    _path(declined, 2, "decline", Role.KASI, staff, {"reason": "Bukan kewenangan kami"})
    duplicate = file_at(office_clock, wib(2026, 12, 7, 11, 5), "PGD-TEST-0003")
    _path(duplicate, 1, "mark_duplicate", Role.ADMIN, staff,
          {"original_tracking_code": "PGD-TEST-0001"})  # fmt: skip

    # Returned for verification, and left waiting at step 2 past its standard: breached.
    returned = file_at(office_clock, wib(2026, 12, 7, 13, 0), "PGD-TEST-0004")
    move_to(office_clock, returned, staff, 3)
    _path(returned, 3, "return_for_verification", Role.KOORDINATOR, staff,
          {"reason": "Periksa kembali nomor izin"})  # fmt: skip
    with get_db().transaction() as session:
        arrive(session, StepHandoffV1(case_id=returned, step=2))
    # The same hand-off delivered twice: the second changes nothing.
    handoff = StepHandoffV1(case_id=returned, step=2)
    for _ in range(2):
        consume_once(get_db(), step(2).arrive_task, handoff, arrive)
    run_sweep(wib(2026, 12, 8, 9, 0))

    # A completion sent twice: the second is refused and its transaction counts nothing.
    twice = file_at(office_clock, wib(2026, 12, 8, 10, 0), "PGD-TEST-0005")
    _complete_first(twice, staff)
    with pytest.raises(StepOutOfOrder):
        _complete_first(twice, staff)

    # A completion written inside a savepoint that rolled back is not counted.
    with get_db().transaction() as session:
        case = session.get_one(Case, twice)
        savepoint = session.begin_nested()
        history.record(session, case, "completed", actor="petugas", occurred_at=ANSWERED,
                       step=2, role="kasi", minutes_taken=3.0, standard_minutes=5)  # fmt: skip
        savepoint.rollback()

    # The reopened case closed by the calendar and its personal data erased.
    with get_db().transaction() as session:
        sweep_closes(session, UNTIL + timedelta(days=30))
    with get_db().transaction() as session:
        erased = erase_batch(
            session, UNTIL + timedelta(days=30) + RETENTION, RETENTION, open_store(get_settings())
        )
    assert erased  # the erasure ran

    with get_db().sessions() as session:
        kept, counted = _figures(totals(session)), _figures(from_history(session))
    # Added one by one or summed by the database: the same minutes, floats in another order.
    for row in counted.values():
        row["minutes_total"] = pytest.approx(row["minutes_total"], abs=1e-9)
    assert kept == counted
    assert kept[2, "kasi"]["completions"] == 3  # twice for the reopened case, once returned
    assert sum(row["breaches"] for row in kept.values()) >= 1
    assert kept[1, "admin"]["completions"] == 4  # the duplicate's path is not a completion
