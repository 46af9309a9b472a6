"""The running counts intake's ``/metrics`` reads (``complaint_totals``) equal what the
complaints themselves count: after filings, an answer set, a scrape in between, an answer
cleared and set again, a complaint deleted by an operator's SQL."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import text, update

from services.intake.complaint_totals import from_history, totals
from services.intake.database import get_db
from services.intake.models import Complaint
from shared.database.engine import utcnow
from tests.intake.conftest import file

DEPENDENTS = ("timeline_entries", "inbox_messages", "filing_keys", "access_links")


def _both() -> tuple[dict[str, int], dict[str, int]]:
    with get_db().engine.begin() as connection:
        return totals(connection), from_history(connection)


def _answer(code: str, *, answered: bool) -> None:
    with get_db().transaction() as session:
        session.execute(
            update(Complaint)
            .where(Complaint.tracking_code == code)
            .values(answered_at=utcnow() if answered else None)
        )


def test_the_counts_equal_the_complaints(client: TestClient) -> None:
    assert _both() == ({"filed": 0, "answered": 0}, {"filed": 0, "answered": 0})
    codes = [file(client)["tracking_code"] for _ in range(3)]
    _answer(codes[0], answered=True)
    kept, counted = _both()  # a scrape in between: the changes so far are folded
    assert kept == counted == {"filed": 3, "answered": 1}

    _answer(codes[0], answered=False)
    _answer(codes[0], answered=True)
    _answer(codes[0], answered=True)  # answered again: still one answered complaint
    _answer(codes[1], answered=True)
    with get_db().engine.begin() as connection:
        gone = {"code": codes[2]}
        for table in DEPENDENTS:  # its own rows first: the foreign keys
            connection.execute(
                text(f"DELETE FROM {table} WHERE complaint_id IN "  # noqa: S608 - our names
                     "(SELECT id FROM complaints WHERE tracking_code = :code)"),
                gone,
            )  # fmt: skip
        connection.execute(text("DELETE FROM complaints WHERE tracking_code = :code"), gone)
    kept, counted = _both()
    assert kept == counted == {"filed": 2, "answered": 2}
