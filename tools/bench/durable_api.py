"""The intake bench's second baseline, the durable filing limit: a bare FastAPI app that validates
a complaint with the intake API's own model and, in one transaction on intake's own schema with
psycopg (no ORM), writes the rows a real filing writes (the complaint, its timeline entry, its two
outbox rows), then pushes the filing's two messages to Redis with redis-py, one pipeline, each an
LPUSH of a Celery-shaped body onto the queue the relay would send it to. It is the floor of a
durable filing on this stack; what the desk adds above it is its own.

Not done here, and done by the real API: the per-address rate limit (a Redis round trip), the
request id and body-size middleware, and the relay's second statement marking the rows
published. The bench runs it on a fresh intake database (the intake migrations, so the same
schema), under the same uvicorn options as the intake API.
"""

from __future__ import annotations

import base64
import json
import queue
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import redis
from fastapi import FastAPI
from psycopg.types.json import Jsonb
from sqlalchemy.engine import make_url

from shared.messaging.celery_app import NOTIFIER_QUEUE
from shared.messaging.contracts import (
    NOTIFY_TASK,
    Channel,
    ComplaintFiledV1,
    FiledVia,
    NotificationKind,
    NotificationRequestedV1,
    Reporter,
)
from shared.messaging.contracts.codes import (
    hash_access_token,
    new_access_token,
    under_unused_code,
)
from shared.messaging.contracts.filing import ComplaintIn
from shared.messaging.outbox import task_summary
from shared.runtime.settings import get_settings
from shared.sop import FIRST_STEP, SUBMITTED
from shared.wording import privacy

INSERT_COMPLAINT = """
INSERT INTO complaints (id, tracking_code, access_token_hash, identity, reporter_name,
    reporter_email, reporter_phone, subject, description, licence_reference, service_code,
    channels, received_via, taken_by, filed_via, status, status_sequence, created_at, consent_at,
    privacy_notice_version)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, NULL, NULL, %s, %s, 0, %s, %s, %s)
ON CONFLICT (tracking_code) DO NOTHING RETURNING id
"""
INSERT_ENTRY = (
    "INSERT INTO timeline_entries (complaint_id, status, occurred_at) VALUES (%s, %s, %s)"
)
INSERT_OUTBOX = """
INSERT INTO outbox (id, task_name, payload, created_at, claimed_until, attempts, request_id)
VALUES (%s, %s, %s, %s, %s, 0, %s)
"""
LEASE = timedelta(seconds=30)  # the relay's lease on rows it sends itself (claim_seconds)


def pg_conninfo(url: str) -> str:
    """psycopg's address for a SQLAlchemy URL (``postgresql+psycopg://…``)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class Connections:
    """A plain pool: a connection per request thread at most, kept for the next request."""

    def __init__(self, conninfo: str) -> None:
        self._conninfo = conninfo
        self._idle: queue.LifoQueue[psycopg.Connection[Any]] = queue.LifoQueue()

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection[Any]]:
        try:
            conn = self._idle.get_nowait()
        except queue.Empty:
            conn = psycopg.connect(self._conninfo)
        try:
            yield conn
        except BaseException:
            conn.close()
            raise
        self._idle.put(conn)


def celery_body(task: str, payload: dict[str, Any], queue_name: str, request_id: str) -> str:
    """A message as kombu's Redis transport stores it for Celery (task protocol 2), so a real
    worker would run it."""
    task_id = str(payload["message_id"])
    embed = {"callbacks": None, "errbacks": None, "chain": None, "chord": None}
    body = base64.b64encode(json.dumps([[], {"message": payload}, embed]).encode()).decode()
    headers = {
        "lang": "py", "task": task, "id": task_id, "root_id": task_id, "parent_id": None,
        "retries": 0, "eta": None, "expires": None, "argsrepr": "()",
        "kwargsrepr": task_summary(payload), "request_id": request_id,
    }  # fmt: skip
    return json.dumps(
        {
            "body": body,
            "content-encoding": "utf-8",
            "content-type": "application/json",
            "headers": headers,
            "properties": {
                "correlation_id": task_id,
                "delivery_mode": 2,
                "delivery_info": {"exchange": "", "routing_key": queue_name},
                "priority": 0,
                "body_encoding": "base64",
                "delivery_tag": str(uuid.uuid4()),
            },
        }
    )


def messages(data: ComplaintIn, code: str, now: datetime) -> list[tuple[str, str, Any]]:
    """The filing's hand-off to step 1 and its acknowledgement: (task, queue, message)."""
    reporter = (
        Reporter(name=data.reporter.name, email=data.reporter.email, phone=data.reporter.phone)
        if data.reporter is not None
        else None
    )
    channels = tuple(data.channels)
    filed = ComplaintFiledV1(
        occurred_at=now, tracking_code=code, subject=data.subject,
        description=data.description, reporter=reporter, channels=channels,
        licence_reference=data.licence_reference, identity=data.identity,
        service_code=data.service_code, filed_via=FiledVia.API,
    )  # fmt: skip
    notify = NotificationRequestedV1(
        occurred_at=now, kind=NotificationKind.FILED, tracking_code=code, recipient=reporter,
        channels=channels if reporter is not None else (Channel.APP,), subject=data.subject,
    )  # fmt: skip
    return [
        (FIRST_STEP.arrive_task, FIRST_STEP.queue, filed),
        (NOTIFY_TASK, NOTIFIER_QUEUE, notify),
    ]


def file(conn: psycopg.Connection[Any], data: ComplaintIn) -> tuple[str, list[tuple[str, str]]]:
    """The filing's rows in one transaction; its tracking code, and the (queue, body) pushes."""
    token_hash = hash_access_token(new_access_token())
    now = datetime.now(UTC)
    complaint_id = str(uuid.uuid4())
    request_id = uuid.uuid4().hex
    consent = data.consent
    reporter = data.reporter
    with conn.transaction(), conn.cursor() as cur:

        def insert(code: str) -> str | None:
            cur.execute(
                INSERT_COMPLAINT,
                (complaint_id, code, token_hash, data.identity.value,
                 reporter.name if reporter else None, reporter.email if reporter else None,
                 reporter.phone if reporter else None, data.subject, data.description,
                 data.licence_reference, data.service_code,
                 Jsonb([c.value for c in data.channels]), FiledVia.API.value, SUBMITTED, now,
                 now if consent else None, privacy.NOTICE_VERSION if consent else None),
            )  # fmt: skip
            return code if cur.fetchone() is not None else None

        code = under_unused_code(insert)
        cur.execute(INSERT_ENTRY, (complaint_id, SUBMITTED, now))
        pushes = []
        for task, queue_name, message in messages(data, code, now):
            payload = message.model_dump(mode="json")
            cur.execute(
                INSERT_OUTBOX,
                (payload["message_id"], task, Jsonb(payload), now, now + LEASE, request_id),
            )
            pushes.append((queue_name, celery_body(task, payload, queue_name, request_id)))
    return code, pushes


def create_app() -> FastAPI:
    settings = get_settings()
    connections = Connections(pg_conninfo(settings.database_url("intake")))
    broker = redis.Redis.from_url(settings.broker.url)
    app = FastAPI()

    @app.post("/api/v1/complaints", status_code=202)
    def file_complaint(complaint: ComplaintIn) -> dict[str, str]:
        with connections.connection() as conn:
            code, pushes = file(conn, complaint)
        with broker.pipeline(transaction=False) as pipe:
            for queue_name, body in pushes:
                pipe.lpush(queue_name, body)
            pipe.execute()
        return {"tracking_code": code, "status": SUBMITTED}

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
