"""The bench's seeded record (``tools.bench.seed``) is what the application reads: its pages
answer 200 on it with the seeded counts, so the seed cannot drift from the schema unseen. A few
hundred cases; no timing is asserted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from prometheus_client import generate_latest
from sqlalchemy import create_engine, text

from services.workflow.api.app import create_app
from tools.bench.scale import staff_tokens
from tools.bench.seed import seed

CASES = 200
OPEN_DAYS = 120  # of the two years: about one case in six still on a worklist


def _scalar(url: str, sql: str, **params: Any) -> Any:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql), params).scalar_one()
    finally:
        engine.dispose()


@pytest.fixture
def seeded(configured: dict[str, str], database_urls: dict[str, str]) -> dict[str, str]:
    if not database_urls["workflow"].startswith("postgresql"):
        pytest.skip("the seed is PostgreSQL's SQL (PENGADUAN_TEST_DATABASE_URL is not set)")
    result = seed(database_urls, CASES, datetime.now(UTC), open_days=OPEN_DAYS)
    assert result.rows["cases"] == result.rows["complaints"] == CASES
    return staff_tokens(configured)


def test_the_pages_read_the_seeded_record(
    seeded: dict[str, str], database_urls: dict[str, str]
) -> None:
    workflow = database_urls["workflow"]
    bearer = {role: {"Authorization": f"Bearer {token}"} for role, token in seeded.items()}
    with TestClient(create_app()) as client:
        waiting = 0
        for headers in bearer.values():
            answer = client.get("/api/v1/worklist", headers=headers)
            assert answer.status_code == 200, answer.text
            waiting += len(answer.json())
        assert (
            0
            < waiting
            == _scalar(workflow, "SELECT count(*) FROM cases WHERE step_arrived_at IS NOT NULL")
        )

        case_id = _scalar(workflow, "SELECT min(id) FROM cases WHERE status = 'closed'")
        events = _scalar(workflow, "SELECT event_count FROM cases WHERE id = :id", id=case_id)
        page = client.get(f"/api/v1/cases/{case_id}", headers=bearer["kasi"])
        assert page.status_code == 200, page.text
        history = client.get(f"/api/v1/cases/{case_id}/history", headers=bearer["kasi"])
        assert history.status_code == 200, history.text
        assert len(history.json()["events"]) == events
        client.cookies.set("pgd_sesi", seeded["kasi"])
        console = client.get(f"/console/kasus/{case_id}")
        client.cookies.clear()
        assert console.status_code == 200

        month = (datetime.now(UTC).replace(day=1) - timedelta(days=40)).strftime("%Y-%m")
        monthly = client.get(
            f"/api/v1/reports/monthly?month={month}", headers=bearer["koordinator"]
        )
        assert monthly.status_code == 200, monthly.text
        totals = monthly.json()["totals"]
        outcomes = ("answered", "declined", "duplicates", "closed_without_reply", "open")
        assert totals["filed"] == sum(totals[k] for k in outcomes) > 0

        today = datetime.now(UTC).date()
        sla = client.get(
            f"/api/v1/reports/sla?from={today - timedelta(days=365)}&to={today}",
            headers=bearer["koordinator"],
        )
        assert sla.status_code == 200, sla.text
        handled = sum(row["handled"] for row in sla.json()["steps"])
        completed = "SELECT count(*) FROM case_events WHERE kind = 'completed'"
        assert 0 < handled <= _scalar(workflow, completed)

        found = client.get("/api/v1/cases?q=Salak", headers=bearer["admin"])
        assert found.status_code == 200
        assert found.json()["total"] == _scalar(
            workflow, "SELECT count(*) FROM cases WHERE description LIKE '%Salak%'"
        )
        assert client.get("/metrics").status_code == 200


def test_the_metrics_count_the_seeded_rows(
    seeded: dict[str, str], database_urls: dict[str, str]
) -> None:
    from services.intake.database import get_db as intake_db  # noqa: PLC0415
    from services.intake.metrics import registry_for as intake_metrics  # noqa: PLC0415
    from services.notifier.database import get_db as notifier_db  # noqa: PLC0415
    from services.notifier.metrics import registry_for as notifier_metrics  # noqa: PLC0415

    intake = generate_latest(intake_metrics(intake_db)).decode()
    assert f"pengaduan_intake_complaints_filed_total {float(CASES)}" in intake
    notifier = generate_latest(notifier_metrics(notifier_db)).decode()
    sent = _scalar(
        database_urls["notifier"],
        "SELECT count(*) FROM deliveries WHERE channel = 'email' AND status = 'sent'",
    )
    assert f'pengaduan_notifier_deliveries{{channel="email",status="sent"}} {float(sent)}' in (
        notifier
    )


def test_every_seeded_answer_keeps_its_office_minutes(
    seeded: dict[str, str], database_urls: dict[str, str]
) -> None:
    # The reports read them from the answer: the seed gives each the calendar's figure.
    url = database_urls["workflow"]
    assert _scalar(url, "SELECT count(*) FROM case_answers") > 0
    assert _scalar(url, "SELECT count(*) FROM case_answers WHERE minutes_from_filing IS NULL") == 0
