from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from services.intake.api import create_app
from services.intake.database import get_db
from services.intake.models import Complaint, TimelineEntry
from shared.outbox import OutboxMessage
from shared.settings import SERVICES
from tests.support.databases import PostgresDatabases, SqliteDatabases

CITIZEN_EMAIL = "budi.santoso@example.id"


def complaint_body(**overrides: Any) -> dict[str, Any]:
    """A valid request; ``reporter`` overrides merge into the valid reporter."""
    reporter = {"name": "Budi Santoso", "email": CITIZEN_EMAIL, "phone": "0812-3456-7890"}
    reporter.update(overrides.pop("reporter", {}))
    return {
        "reporter": reporter,
        "subject": "Izin usaha belum terbit",
        "description": "Permohonan izin usaha kami sudah tiga minggu belum ada kabar.",
        "channels": ["email", "sms", "app"],
        **overrides,
    }


def file(client: TestClient, **overrides: Any) -> dict[str, Any]:
    response = client.post("/api/v1/complaints", json=complaint_body(**overrides))
    assert response.status_code == 202, response.text
    return response.json()


def track(client: TestClient, tracking_code: str, token: str) -> dict[str, Any]:
    response = client.get(f"/api/v1/complaints/{tracking_code}", headers={"X-Access-Token": token})
    assert response.status_code == 200, response.text
    return response.json()


def row_counts() -> dict[str, int]:
    with get_db().sessions() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Complaint, TimelineEntry, OutboxMessage)
        }


def outbox_rows() -> list[OutboxMessage]:
    with get_db().sessions() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.task_name)))


def queued(broker_url: str, queue: str) -> list[dict[str, Any]]:
    """The task messages waiting in a Redis queue, as kombu wrote them (headers and body)."""
    client = redis.Redis.from_url(broker_url)
    try:
        return [json.loads(raw) for raw in client.lrange(queue, 0, -1)]
    finally:
        client.close()


@pytest.fixture
def database_urls(
    postgres_pool: PostgresDatabases | None, sqlite_pool: SqliteDatabases, tmp_path: Path
) -> dict[str, str]:
    """A fresh intake database only: intake never opens another service's, and the suite stays
    quick."""
    urls = {s: f"sqlite:///{tmp_path / f'not-for-intake-{s}.db'}" for s in SERVICES}
    urls["intake"] = (postgres_pool or sqlite_pool).fresh("intake")
    return urls


@pytest.fixture
def client(configured: dict[str, str]) -> Iterator[TestClient]:
    with TestClient(create_app()) as client:
        yield client
