"""Each service's Celery worker serves its metrics on its metrics port, read from its database
and the broker at scrape time, as the API's /metrics does."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from shared.messaging.celery_app import get_celery
from tests.support.prometheus import Figures, figure, parse
from tests.workflow.cases.test_backlog import GAUGES, waiting_case
from tests.workflow.test_metrics import AT, DURATION, seed
from tools.harness.processes import start_worker, wait_for
from tools.harness.redis_server import free_port

# A queue the worker does not consume, so the message stays there to be counted.
IDLE_QUEUE_TASK = {"intake": ("workflow.step.2.arrive", "kasi"), "workflow": ("intake.x", "intake")}


def scrape(port: int) -> Figures | None:
    try:
        response = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5)
    except httpx.TransportError:
        return None  # not listening yet
    return parse(response.text)


@pytest.mark.journey
@pytest.mark.parametrize("service", ["intake", "workflow"])
def test_a_worker_serves_its_metrics_on_its_port(
    configured: dict[str, str], tmp_path: Path, service: str
) -> None:
    if service == "workflow":
        seed({2: [3]}, {2: 1})
        waiting_case(2, arrived=AT)  # at the Kasi's step since before this test: overdue
    task, queue = IDLE_QUEUE_TASK[service]
    get_celery().send_task(task, kwargs={})
    port = free_port()
    worker = start_worker(
        service,
        configured,
        tmp_path,
        extra_env={f"PENGADUAN_{service.upper()}_METRICS_PORT": str(port)},
    )
    try:
        figures = wait_for(lambda: scrape(port), 30, f"{service} worker metrics")
    finally:
        worker.stop()
    assert isinstance(figures, dict)
    assert figure(figures, "pengaduan_redis_up") == 1
    assert figure(figures, "pengaduan_queue_depth", queue=queue) == 1
    if service == "workflow":
        assert figure(figures, f"{DURATION}_count", step="2", role="kasi") == 1
        assert figure(figures, "pengaduan_workflow_step_breaches_total", step="2", role="kasi") == 1
        waiting, overdue, _ = (figure(figures, name, role="kasi") for name in GAUGES)
        assert (waiting, overdue) == (1, 1)
        assert figure(figures, GAUGES[0], role="tim_koordinasi") == 0
    else:
        assert figure(figures, "pengaduan_intake_complaints_filed_total") == 0
