from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import redis
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from services.intake.api.app import create_app
from services.intake.app_channel.inbox import deliver_to_inbox
from services.intake.database import get_db
from services.intake.filing.complaints import apply_answer, apply_status_change
from services.intake.models import Attachment, Complaint, Rating, Survey, TimelineEntry
from services.intake.tracking.codes import hash_access_token, new_access_token
from shared.database.engine import utcnow
from shared.database.shared_tables import OutboxMessage
from shared.messaging import receipts
from shared.messaging.consumer import consume_once
from shared.messaging.contracts import (
    INTAKE_ANSWERED_TASK,
    INTAKE_INBOX_TASK,
    INTAKE_STATUS_TASK,
    CaseStatusChangedV1,
    ComplaintAnsweredV1,
    InboxMessageV1,
    NotificationKind,
)
from shared.messaging.queue_keys import queued_messages
from shared.runtime.settings import get_settings
from shared.runtime.settings.project import SERVICES
from tests.support.webpush_receiver import WebPushReceiver
from tools.harness.databases import PostgresDatabases, SqliteDatabases
from tools.harness.processes import wait_for

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


def complaint_without_contact(tracking_code: str = "PGD-ANNN-0NYM") -> str:
    """A complaint with no name and no contact (as an anonymous one is), put straight into the
    database; its tracking code."""
    with get_db().transaction() as session:
        session.add(
            Complaint(
                id=str(uuid.uuid4()),
                tracking_code=tracking_code,
                access_token_hash=hash_access_token(new_access_token()),
                identity="anonymous",
                reporter_name=None,
                reporter_email=None,
                reporter_phone=None,
                subject="Pungutan liar di loket",
                description="Petugas loket meminta uang tambahan di luar ketentuan.",
                channels=["app"],
                status="submitted",
                status_sequence=0,
                created_at=utcnow(),
            )
        )
    return tracking_code


# The rows a filing or a complainant's request may write; a refused one writes none of them.
COUNTED = (Complaint, TimelineEntry, OutboxMessage, Attachment, Rating, Survey)
NOTHING = {model.__tablename__: 0 for model in COUNTED}


def row_counts() -> dict[str, int]:
    with get_db().sessions() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in COUNTED
        }


# After the answer: the window to rate it and ask for a reopening. Far ahead, and long past:
# only shown, or compared with a clock these tests never need to move.
OPEN_UNTIL = datetime(2099, 12, 21, 9, 0, tzinfo=UTC)
LONG_PAST = datetime(2020, 1, 6, 9, 0, tzinfo=UTC)
ANSWER = "Izin usaha Anda telah terbit dan dapat diunduh melalui OSS."


def answer(
    tracking_code: str,
    text: str = ANSWER,
    *,
    reopen_until: datetime | None = OPEN_UNTIL,
    answered_at: datetime | None = None,
) -> ComplaintAnsweredV1:
    """The notifier's "answer sent", applied as intake's task applies it."""
    msg = ComplaintAnsweredV1(
        tracking_code=tracking_code,
        answer=text,
        answered_at=answered_at or datetime.now(UTC),
        reopen_until=reopen_until,
    )
    consume_once(get_db(), INTAKE_ANSWERED_TASK, msg, apply_answer)
    return msg


def status_change(
    tracking_code: str, status: str, sequence: int, note: str | None = None
) -> CaseStatusChangedV1:
    """The workflow's status change, applied as intake's task applies it."""
    msg = CaseStatusChangedV1(
        tracking_code=tracking_code, status=status, sequence=sequence, note=note
    )
    consume_once(get_db(), INTAKE_STATUS_TASK, msg, apply_status_change)
    return msg


def upload(
    client: TestClient, filed: dict[str, Any], name: str, data: bytes, token: str | None = None
) -> Any:
    """One file attached through the API (multipart field ``file``), as a phone's app sends it."""
    return client.post(
        f"/api/v1/complaints/{filed['tracking_code']}/attachments",
        files={"file": (name, data, "application/octet-stream")},
        headers={"X-Access-Token": token or filed["access_token"]},
    )


def stored_files() -> list[Path]:
    """Every file in the attachment store (the directory backend the tests run with)."""
    root = get_settings().attachments.directory
    assert root is not None
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def attachment_rows() -> list[Attachment]:
    with get_db().sessions() as session:
        return list(session.scalars(select(Attachment)))


def outbox_rows() -> list[OutboxMessage]:
    with get_db().sessions() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.task_name)))


def queued(broker_url: str, queue: str) -> list[dict[str, Any]]:
    """The task messages waiting in a Redis queue, as kombu wrote them (headers and body)."""
    client = redis.Redis.from_url(broker_url)
    try:
        return [json.loads(raw) for raw in queued_messages(client, queue)]
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


def headers(filed: dict[str, Any]) -> dict[str, str]:
    return {"X-Access-Token": filed["access_token"]}


def inbox_message(tracking_code: str, kind: str = "answer", **overrides: Any) -> InboxMessageV1:
    """An app-channel message as the notifier sends it."""
    fields: dict[str, Any] = {
        "notification_id": uuid.uuid4(),
        "tracking_code": tracking_code,
        "kind": NotificationKind(kind),
        "title": f"Jawaban pengaduan {tracking_code}: Izin usaha belum terbit",
        "body": "Izin usaha Anda telah terbit dan dapat diunduh melalui OSS.",
        **overrides,
    }
    return InboxMessageV1(**fields)


def deliver(msg: InboxMessageV1) -> str:
    """Apply the message as intake's inbox task does (one transaction, once per message id)."""
    return consume_once(get_db(), INTAKE_INBOX_TASK, msg, deliver_to_inbox)


def vapid_pem() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def set_settings(monkeypatch: pytest.MonkeyPatch, **values: str) -> dict[str, str]:
    """Change settings of this process for the rest of the test."""
    env = {f"PENGADUAN_{name.upper()}": value for name, value in values.items()}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    return env


@pytest.fixture
def push_configured(configured: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Web Push on, with a VAPID key of this test's own."""
    return {**configured, **set_settings(monkeypatch, webpush_vapid_private_key=vapid_pem())}


@pytest.fixture
def local_push(push_configured: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Web Push on, and endpoints on 127.0.0.1 allowed: the local receiver's."""
    return {**push_configured, **set_settings(monkeypatch, webpush_allow_private_endpoints="true")}


@pytest.fixture
def receiver() -> Iterator[WebPushReceiver]:
    server = WebPushReceiver().start()
    yield server
    server.stop()


def unconfirmed(broker: str, ids: list[str]) -> list[str]:
    """Which of ``ids`` no consumer has confirmed: the rows the outbox's redrive would copy."""
    client = redis.Redis.from_url(broker)
    try:
        return receipts.unconfirmed(client, ids)
    finally:
        client.close()


@pytest.fixture
def filed_and_drained(client: TestClient, configured: dict[str, str]) -> dict[str, Any]:
    """A complaint filed and its own messages sent and cleared from intake's queue, so that
    what a test sends there afterwards is all the queue holds."""
    filed = file(client)
    wait_for(lambda: all(row.published_at for row in outbox_rows()), 15, "the filing's rows")
    redis.Redis.from_url(configured["PENGADUAN_REDIS_URL"]).delete("intake")
    return filed
