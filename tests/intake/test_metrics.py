"""The intake API's /metrics: complaints filed and answered, and the queue depths."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import update

from services.intake.database import get_db
from services.intake.models import Complaint
from shared.database.engine import utcnow
from shared.messaging.celery_app import ALL_QUEUES
from tests.intake.conftest import file
from tests.support.prometheus import figure, parse


def test_complaints_filed_and_answered_are_counted(client: TestClient) -> None:
    codes = [file(client)["tracking_code"] for _ in range(3)]
    with get_db().transaction() as session:
        session.execute(
            update(Complaint)
            .where(Complaint.tracking_code == codes[0])
            .values(answered_at=utcnow())
        )
    response = client.get("/metrics")
    assert response.status_code == 200
    figures = parse(response.text)
    assert figure(figures, "pengaduan_intake_complaints_filed_total") == 3
    assert figure(figures, "pengaduan_intake_complaints_answered_total") == 1
    assert figure(figures, "pengaduan_redis_up") == 1
    assert {
        q for (name, labels) in figures if name == "pengaduan_queue_depth" for _, q in labels
    } == set(ALL_QUEUES)
    for code in codes:  # no complaint is named
        assert code not in response.text


def test_metrics_are_not_in_the_openapi_document(client: TestClient) -> None:
    assert "/metrics" not in client.get("/openapi.json").json()["paths"]
