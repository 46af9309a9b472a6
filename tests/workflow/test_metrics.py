"""The workflow API's /metrics, read as Prometheus reads it: step durations as a histogram in
office minutes, breaches per step, and the depth of every queue on the real (test) Redis."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from services.workflow.cases import history
from services.workflow.database import get_db
from services.workflow.models import Case
from shared.messaging.celery_app import ALL_QUEUES, get_celery
from shared.runtime.settings import get_settings
from tests.support.prometheus import Figures, figure, parse
from tests.workflow.records import breached, completed, seed_case
from tools.harness.redis_server import free_port

DURATION = "pengaduan_workflow_step_duration_office_minutes"
BOUNDS = ("1.0", "2.0", "3.0", "5.0", "10.0", "15.0", "30.0", "60.0", "120.0", "480.0", "+Inf")
AT = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def seed(minutes_by_step: dict[int, list[float]], breaches_by_step: dict[int, int]) -> None:
    with get_db().transaction() as session:
        case = seed_case(session, "PGD-METRIK-01", AT)
        # An event without minutes (an arrival) is no completion.
        history.record(session, case, "arrived", actor="sistem", occurred_at=AT, step=1)
        for step, minutes in minutes_by_step.items():
            for taken in minutes:
                completed(session, case, step, taken, AT)
        for step, count in breaches_by_step.items():
            for _ in range(count):
                breached(session, case, step, AT)


def scrape(client: TestClient) -> tuple[str, Figures]:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return response.text, parse(response.text)


def buckets(figures: Figures, step: int, role: str) -> list[float]:
    return [
        figure(figures, f"{DURATION}_bucket", step=str(step), role=role, le=bound)
        for bound in BOUNDS
    ]


def test_step_durations_are_a_histogram_in_office_minutes(client: TestClient) -> None:
    seed({1: [0.5, 1, 4, 5, 7, 600], 3: [2.5]}, {})
    _, figures = scrape(client)
    # Step 1: <=1: 0.5, 1 (2); <=2 and <=3: still 2; <=5: 4, 5 join (4); <=10 up to <=480: 7
    # joins (5); +Inf: 600 too (6). Sum 0.5 + 1 + 4 + 5 + 7 + 600 = 617.5.
    assert buckets(figures, 1, "admin") == [2, 2, 2, 4, 5, 5, 5, 5, 5, 5, 6]
    assert figure(figures, f"{DURATION}_count", step="1", role="admin") == 6
    assert figure(figures, f"{DURATION}_sum", step="1", role="admin") == 617.5
    # Step 3: 2.5 alone, first counted at <=3.
    assert buckets(figures, 3, "koordinator") == [0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1]
    assert figure(figures, f"{DURATION}_sum", step="3", role="koordinator") == 2.5
    # Steps with no completion are there, at zero.
    assert buckets(figures, 2, "kasi") == [0] * 11
    assert buckets(figures, 5, "admin") == [0] * 11


def test_breaches_are_counted_per_step(client: TestClient) -> None:
    seed({2: [9]}, {2: 2, 4: 1})
    _, figures = scrape(client)
    breaches = {
        step: figure(figures, "pengaduan_workflow_step_breaches_total", step=str(step), role=role)
        for step, role in ((1, "admin"), (2, "kasi"), (3, "koordinator"), (4, "tim_koordinasi"))
    }
    assert breaches == {1: 0, 2: 2, 3: 0, 4: 1}


def test_queue_depth_is_read_from_redis_for_every_queue(client: TestClient) -> None:
    app = get_celery()
    for _ in range(3):
        app.send_task("workflow.step.2.arrive", kwargs={"case_id": "x", "step": 2})
    app.send_task("notifier.deliver", kwargs={})
    _, figures = scrape(client)
    assert figure(figures, "pengaduan_redis_up") == 1
    depths = {q: figure(figures, "pengaduan_queue_depth", queue=q) for q in ALL_QUEUES}
    assert depths == {q: {"kasi": 3, "notifier": 1}.get(q, 0) for q in ALL_QUEUES}


def test_metrics_carry_no_case_or_person(client: TestClient) -> None:
    seed({1: [1]}, {1: 1})
    text, _ = scrape(client)
    for private in ("PGD-METRIK-01", "Siti", "siti@example.id", "Izin usaha"):
        assert private not in text


@pytest.fixture
def redis_down(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing listens on the broker's address any more (settings are read at each scrape)."""
    monkeypatch.setenv("PENGADUAN_REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")
    get_settings.cache_clear()


def test_with_redis_down_the_scrape_still_answers_with_redis_up_0(
    client: TestClient, redis_down: None
) -> None:
    seed({1: [1]}, {})
    _, figures = scrape(client)
    assert figure(figures, "pengaduan_redis_up") == 0
    assert not [name for name, _ in figures if name == "pengaduan_queue_depth"]
    assert figure(figures, f"{DURATION}_count", step="1", role="admin") == 1


def test_a_breach_recorded_without_a_role_counts_for_the_steps_role(client: TestClient) -> None:
    seed({}, {4: 1})
    with get_db().transaction() as session:
        case = session.scalars(select(Case)).one()
        history.record(session, case, "breached", actor="sistem", occurred_at=AT, step=4)
    _, figures = scrape(client)
    breaches = "pengaduan_workflow_step_breaches_total"
    assert figure(figures, breaches, step="4", role="tim_koordinasi") == 2
