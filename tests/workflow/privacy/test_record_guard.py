"""The record's triggers (workflow migration 0021), on SQLite and PostgreSQL, by hand-written
SQL as anyone with the database's password could write it: an UPDATE of ``case_events`` passes
only for a case whose record holds its erasure event, changes only ``input`` and ``output``,
and only to the marker in place of a value; everything else is refused as before, deletes and
(PostgreSQL) truncation always."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from services.workflow.database import get_db
from services.workflow.models import Case, StaffUser
from services.workflow.privacy.erasure import ERASED_EVENT
from shared.messaging.contracts import ERASED_MARKER
from shared.sop import Role
from tests.support.clock import TestClock
from tests.workflow.privacy.test_erasure import RETENTION, UNTIL, closed_case, sweep_at
from tests.workflow.sla.sweep_cases import file_at, wib

pytestmark = pytest.mark.both_databases

M = json.dumps(ERASED_MARKER)


def refused(statement: str, **params: object) -> None:
    with pytest.raises(DBAPIError, match="append-only"), get_db().transaction() as session:
        session.execute(text(statement), params)


def allowed(statement: str, **params: object) -> int:
    with get_db().transaction() as session:
        return session.execute(text(statement), params).rowcount  # type: ignore[attr-defined]


def filed_id(case_id: str) -> int:
    with get_db().sessions() as session:
        return int(
            session.execute(
                text("SELECT id FROM case_events WHERE case_id = :c AND kind = 'filed'"),
                {"c": case_id},
            ).scalar_one()
        )


def filed_input(case_id: str) -> object:
    with get_db().sessions() as session:
        raw = session.execute(
            text("SELECT input FROM case_events WHERE id = :e"),
            {"e": filed_id(case_id)},
        ).scalar_one()
    return json.loads(raw) if isinstance(raw, str) else raw


def test_no_line_of_a_case_not_erased_changes(
    office_clock: TestClock, configured: dict[str, str]
) -> None:
    case_id = file_at(office_clock, wib(2026, 12, 4, 9, 50))
    marker_only = '{"subject": ' + M + ', "description": ' + M + "}"
    refused(
        "UPDATE case_events SET input = :v WHERE id = :e",
        v=marker_only,
        e=filed_id(case_id),
    )
    refused("UPDATE case_events SET actor = 'x'")
    refused("DELETE FROM case_events")


def test_an_erased_case_lets_only_the_marker_in(
    office_clock: TestClock, staff: dict[Role, StaffUser]
) -> None:
    case_id = closed_case(office_clock, staff)
    other = file_at(office_clock, wib(2026, 12, 7, 9, 0), code="PGD-TEST-0002")
    sweep_at(UNTIL + RETENTION * 2)
    with get_db().sessions() as session:
        assert session.get_one(Case, case_id).erased_at is not None
        erased_kinds = session.execute(
            text("SELECT count(*) FROM case_events WHERE case_id = :c AND kind = :k"),
            {"c": case_id, "k": ERASED_EVENT},
        ).scalar_one()
    assert erased_kinds == 1

    # Not the marker: any other text, a key added or left out, another type.
    for value in (
        '{"subject": "Nama baru", "description": ' + M + "}",
        '{"subject": ' + M + "}",
        '{"subject": ' + M + ', "description": ' + M + ', "extra": ' + M + "}",
        '{"subject": ' + M + ', "description": 7}',
        '"' + "x" + '"',
        "null",
    ):
        refused(
            "UPDATE case_events SET input = :v WHERE id = :e",
            v=value,
            e=filed_id(case_id),
        )
    refused("UPDATE case_events SET input = NULL WHERE id = :e", e=filed_id(case_id))
    # Any other column.
    refused("UPDATE case_events SET actor = 'x' WHERE id = :e", e=filed_id(case_id))
    refused(
        "UPDATE case_events SET kind = 'note' WHERE id = :e",
        e=filed_id(case_id),
    )
    refused(
        "UPDATE case_events SET occurred_at = (SELECT min(occurred_at) FROM case_events) "
        "WHERE case_id = :case AND kind <> 'filed'",
        case=case_id,
    )
    refused(
        "UPDATE case_events SET sequence = sequence + 100 WHERE id = :e",
        e=filed_id(case_id),
    )
    refused("UPDATE case_events SET step = 4 WHERE id = :e", e=filed_id(case_id))
    refused("UPDATE case_events SET minutes_taken = 1 WHERE case_id = :case", case=case_id)
    refused(
        "UPDATE case_events SET within_standard = NOT within_standard "
        "WHERE case_id = :case AND within_standard IS NOT NULL",
        case=case_id,
    )
    refused(
        "UPDATE case_events SET case_id = :o WHERE id = :e",
        e=filed_id(case_id),
        o=other,
    )
    # Deleting is refused, the erasure event's own line included; another case's lines too.
    refused("DELETE FROM case_events WHERE case_id = :case", case=case_id)
    refused(
        "DELETE FROM case_events WHERE case_id = :case AND kind = :k", case=case_id, k=ERASED_EVENT
    )
    refused("UPDATE case_events SET actor = 'x' WHERE case_id = :o", o=other)
    refused(
        "UPDATE case_events SET input = :v WHERE id = :e",
        v='{"subject": ' + M + ', "description": ' + M + "}",
        e=filed_id(other),
    )
    # What stays allowed: the marker again in place of the marker (a rerun), values as they were.
    assert (
        allowed(
            "UPDATE case_events SET input = input WHERE id = :e",
            e=filed_id(case_id),
        )
        == 1
    )
    assert filed_input(case_id) == {"subject": ERASED_MARKER, "description": ERASED_MARKER}


def test_the_record_cannot_be_truncated_on_postgresql(
    office_clock: TestClock, configured: dict[str, str]
) -> None:
    if not get_db().url.startswith("postgresql"):
        pytest.skip("SQLite has no TRUNCATE")
    file_at(office_clock, wib(2026, 12, 4, 9, 50))
    refused("TRUNCATE case_events CASCADE")
