"""The app channel end to end over the real queues: the notifier hands the answer to intake's
inbox task, which keeps it, streams it to the complainant's open Server-Sent Events connection
and has it pushed (VAPID-signed, encrypted) to the browser they subscribed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from shared.messaging.celery_app import get_celery
from shared.messaging.contracts import (
    NOTIFY_TASK,
    Channel,
    NotificationKind,
    NotificationRequestedV1,
    Reporter,
)
from shared.runtime.settings.project import SERVICES
from shared.sop import STATUS_LABELS
from tests.intake.conftest import CITIZEN_EMAIL, complaint_body, set_settings, vapid_pem
from tests.support.sse import Event, StreamReader
from tests.support.webpush_receiver import WebPushReceiver
from tools.harness.databases import PostgresDatabases, SqliteDatabases
from tools.harness.processes import ApiProcess, ServiceProcess, start_worker, wait_for

pytestmark = pytest.mark.journey

ANSWER = "Izin usaha Anda telah terbit dan dapat diunduh melalui OSS."


@pytest.fixture
def database_urls(
    postgres_pool: PostgresDatabases | None, sqlite_pool: SqliteDatabases, tmp_path: Path
) -> dict[str, str]:
    """Fresh databases for the two services that run; the workflow's is never opened."""
    pool = postgres_pool or sqlite_pool
    urls = {s: f"sqlite:///{tmp_path / f'not-opened-{s}.db'}" for s in SERVICES}
    urls.update({s: pool.fresh(s) for s in ("intake", "notifier")})
    return urls


@pytest.fixture
def citizen(intake_api: ApiProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=intake_api.url, timeout=30) as client:
        yield client


@pytest.fixture
def app_env(configured: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The test's environment with Web Push on and the local push service allowed; applied to
    this process too (which sends the notifier its task)."""
    extra = set_settings(
        monkeypatch, webpush_vapid_private_key=vapid_pem(), webpush_allow_private_endpoints="true"
    )
    return {**configured, **extra}


@pytest.fixture
def intake_api(app_env: dict[str, str], tmp_path: Path) -> Iterator[ApiProcess]:
    api = ApiProcess("intake", app_env, tmp_path).start()
    yield api
    api.stop()


@pytest.fixture
def workers(app_env: dict[str, str], tmp_path: Path) -> Iterator[dict[str, ServiceProcess]]:
    started: dict[str, ServiceProcess] = {}
    try:
        for service in ("intake", "notifier"):
            started[service] = start_worker(service, app_env, tmp_path)
        yield started
    finally:
        for process in started.values():
            process.stop()
    for process in started.values():
        assert "Traceback" not in process.output(), process.output()[-4000:]


def answered(received: list[Event]) -> bool:
    """The answer arrived as a message, and the status moved to "answered"."""
    kinds = {e.json().get("kind") for e in received if e.event == "message"}
    statuses = {e.json()["status"] for e in received if e.event == "status"}
    return "answer" in kinds and "answered" in statuses


def test_the_answer_reaches_the_inbox_the_live_stream_and_the_browser_once(
    intake_api: ApiProcess,
    citizen: httpx.Client,
    workers: dict[str, ServiceProcess],
    receiver: WebPushReceiver,
) -> None:
    filed_response = citizen.post(
        "/api/v1/complaints", json=complaint_body(channels=["email", "app"])
    )
    assert filed_response.status_code == 202, filed_response.text
    filed: dict[str, Any] = filed_response.json()
    code = filed["tracking_code"]
    token = {"X-Access-Token": filed["access_token"]}

    def inbox() -> list[dict[str, Any]]:
        response = citizen.get(f"/api/v1/complaints/{code}/messages", headers=token)
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    # The filing acknowledgement reaches the inbox too: "app" is among the channels.
    [acknowledgement] = wait_for(inbox, 60, "the acknowledgement in the inbox")  # type: ignore[misc]
    assert acknowledgement["kind"] == "filed"
    assert "terima" in acknowledgement["body"]  # received; registering is the workflow's, later
    assert "teregister" not in acknowledgement["body"]

    browser = receiver.browser()
    subscribing = citizen.post(
        f"/api/v1/complaints/{code}/push-subscriptions", json=browser.subscription(), headers=token
    )
    assert subscribing.status_code == 201, subscribing.text

    stream = StreamReader(
        f"{intake_api.url}/api/v1/complaints/{code}/events",
        {**token, "Last-Event-ID": str(acknowledgement["id"])},
        answered,
    ).start()
    wait_for(lambda: stream.received or stream.error, 30, "the stream's opening status")
    assert stream.status_code == 200, stream.error
    assert [(e.event, e.json()["status"]) for e in stream.received] == [("status", "submitted")]

    notification = NotificationRequestedV1(
        kind=NotificationKind.ANSWER,
        tracking_code=code,
        recipient=Reporter(name="Budi Santoso", email=CITIZEN_EMAIL),
        channels=(Channel.APP,),
        subject="Izin usaha belum terbit",
        answer=ANSWER,
    )
    for _ in range(2):  # delivered twice, as a redelivery would: every effect still once
        get_celery().send_task(
            NOTIFY_TASK, kwargs={"message": notification.model_dump(mode="json")}
        )

    stream.join(90)
    assert stream.error is None, stream.error
    assert answered(stream.received), stream.received
    [live] = [e for e in stream.received if e.event == "message"]
    assert ANSWER in live.json()["body"]
    assert live.id == str(live.json()["id"])
    status = next(e.json() for e in stream.received if e.json().get("status") == "answered")
    assert status["status_label"] == STATUS_LABELS["answered"]

    workers["notifier"].wait_for_output("already applied", timeout=60)
    messages = inbox()
    assert [m["kind"] for m in messages] == ["filed", "answer"]
    assert messages[1] == live.json()

    [push] = wait_for(lambda: receiver.pushes_to(browser), 60, "the push")  # type: ignore[misc]
    assert push.payload["title"] == live.json()["title"]
    assert push.payload["tracking_code"] == code
    assert receiver.refused == []
    assert len(receiver.received) == 1  # the acknowledgement came before the subscription
