"""The SMS channel against a real local HTTP server playing the gateway (the JSON webhook and
Zenziva), and channels failing and retrying independently of each other (the SMS length rules
and wording: test_sms_text.py). A refused SMS of a complainant who gave only a phone: no
fallback to email (that is test_fallback.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from services.notifier.channels.sms import NOT_CONFIGURED, TransientSmsError, sms_text
from services.notifier.channels.sms_text import measure
from shared.messaging.contracts import (
    DELIVER_EMAIL_TASK,
    DELIVER_SMS_TASK,
    INTAKE_INBOX_TASK,
    Channel,
)
from shared.runtime.settings import get_settings
from tests.notifier.conftest import (
    CITIZEN_EMAIL,
    channel_jobs,
    consume,
    deliver_job,
    deliveries,
    fan_out,
    notification,
    outbox_rows,
    reported_outcomes,
    settled,
)
from tools.harness.redis_server import free_port
from tools.harness.sms_gateway import Answer, Format, GatewayServer
from tools.harness.smtp import SmtpServer

PHONE = "+6281234567890"
TOKEN = "rahasia-gateway"
USERKEY = "a1b2c3d4e5f6"


@pytest.fixture
def gateway_format() -> str:
    """The format the gateway speaks; tests parametrize it to run against both."""
    return "json"


@pytest.fixture
def gateway(setting: Any, gateway_format: Format) -> Iterator[GatewayServer]:
    server = GatewayServer(gateway_format)
    server.start()
    setting("PENGADUAN_SMS_GATEWAY_URL", server.url)
    setting("PENGADUAN_SMS_GATEWAY_FORMAT", gateway_format)
    setting("PENGADUAN_SMS_GATEWAY_USERNAME", USERKEY)
    setting("PENGADUAN_SMS_GATEWAY_TOKEN", TOKEN)
    setting("PENGADUAN_SMS_SENDER", "DPMPTSP")
    yield server
    server.stop()


def _sms_job(msg: Any) -> tuple[str, Any]:
    [job] = [(t, j) for t, j in channel_jobs(msg) if t == DELIVER_SMS_TASK]
    return job


def test_sms_is_sent_once_with_the_right_request_and_idempotency_key(
    gateway: GatewayServer,
) -> None:
    msg = notification(channels=(Channel.SMS,))
    assert consume(msg) == "applied"
    assert consume(msg) == "duplicate"

    [request] = gateway.requests
    key = f"{msg.message_id}.sms"
    assert request["path"] == "/sms"
    assert request["headers"]["Content-Type"] == "application/json"
    assert set(request) == {"path", "headers", "to", "message", "sender", "reference"}
    assert (request["to"], request["sender"], request["reference"]) == (PHONE, "DPMPTSP", key)
    assert request["headers"]["Authorization"] == f"Bearer {TOKEN}"
    assert request["headers"]["Idempotency-Key"] == key
    assert request["message"].startswith(f"Jawaban pengaduan {msg.tracking_code}: ")
    assert measure(request["message"]).segments <= 3
    [delivery] = deliveries()
    assert (delivery.channel, delivery.status, delivery.recipient) == ("sms", "sent", PHONE)
    assert delivery.gateway_reference == "gw-1"
    [reported] = reported_outcomes()
    assert (reported.channel.value, reported.status) == ("sms", "sent")


@pytest.mark.parametrize("gateway_format", ["zenziva"])
def test_zenziva_gets_its_form_with_the_number_without_plus(gateway: GatewayServer) -> None:
    msg = notification(channels=(Channel.SMS,))
    assert consume(msg) == "applied"
    assert consume(msg) == "duplicate"

    [request] = gateway.requests
    assert request["path"] == "/sms"
    assert request["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    assert "Authorization" not in request["headers"]
    assert {k: v for k, v in request.items() if k not in ("path", "headers")} == {
        "userkey": USERKEY,
        "passkey": TOKEN,
        "to": "6281234567890",
        "message": sms_text(msg, settings=get_settings()),
    }
    [delivery] = deliveries()
    assert (delivery.status, delivery.recipient, delivery.gateway_reference) == (
        "sent",
        PHONE,
        "zz-1",
    )


@pytest.mark.parametrize("gateway_format", ["json", "zenziva"])
@pytest.mark.parametrize("status", [500, 503, 429])
def test_gateway_error_is_retried_and_the_sms_delivered_once(
    gateway: GatewayServer, status: int
) -> None:
    msg = notification(channels=(Channel.SMS,))
    fan_out(msg)
    task, job = _sms_job(msg)
    gateway.answer_with(status)

    with pytest.raises(TransientSmsError, match=str(status)):
        deliver_job(task, job)  # Celery retries on this error (the task's retry_for)
    assert not settled()  # nothing recorded as sent, nothing on the case record
    assert reported_outcomes() == []

    assert deliver_job(task, job) == "applied"  # the retry
    assert deliver_job(task, job) == "duplicate"
    assert len(gateway.requests) == 2
    assert len({r["message"] for r in gateway.requests}) == 1
    if gateway.format == "json":
        assert {r["reference"] for r in gateway.requests} == {f"{msg.message_id}.sms"}
    assert [d.status for d in deliveries()] == ["sent"]


@pytest.mark.parametrize("gateway_format", ["json", "zenziva"])
def test_gateway_slower_than_the_timeout_is_transient(gateway: GatewayServer, setting: Any) -> None:
    setting("PENGADUAN_SMS_TIMEOUT_SECONDS", "0.2")
    msg = notification(channels=(Channel.SMS,))
    fan_out(msg)
    gateway.answer_with(Answer(hold=True))  # answers only after the client gave up

    with pytest.raises(TransientSmsError, match="ReadTimeout"):
        deliver_job(*_sms_job(msg))
    gateway.release()
    assert not settled()


@pytest.mark.parametrize(
    ("gateway_format", "status"), [("json", 400), ("json", 401), ("zenziva", 400)]
)
def test_gateway_refusal_fails_the_delivery_without_retry(
    gateway: GatewayServer, status: int
) -> None:
    msg = notification(channels=(Channel.SMS,), email=None)
    gateway.answer_with(Answer(status, {"error": "ditolak"}))
    assert consume(msg) == "applied"  # no exception: nothing for Celery to retry
    consume(msg)

    assert len(gateway.requests) == 1
    [delivery] = deliveries()
    assert (delivery.status, delivery.sent_at) == ("failed", None)
    assert str(status) in (delivery.detail or "") and "ditolak" in (delivery.detail or "")
    [reported] = reported_outcomes()
    assert reported.status == "failed"


@pytest.mark.parametrize("gateway_format", ["zenziva"])
def test_zenziva_refusing_the_number_fails_the_delivery_without_retry(
    gateway: GatewayServer,
) -> None:
    refusal = {"messageId": "", "to": "6281234567890", "status": "0", "text": "Nomor tidak valid"}
    gateway.answer_with(Answer(200, refusal))
    assert consume(notification(channels=(Channel.SMS,), email=None)) == "applied"

    assert len(gateway.requests) == 1
    [delivery] = deliveries()
    assert delivery.status == "failed"
    assert "Nomor tidak valid" in (delivery.detail or "")


@pytest.mark.parametrize("gateway_format", ["zenziva"])
@pytest.mark.parametrize(
    "text",
    ["Userkey atau Passkey salah", "Saldo tidak mencukupi", "Masa aktif akun telah habis"],
)
def test_zenziva_account_problems_wait_for_the_office_instead_of_dropping_the_sms(
    gateway: GatewayServer, text: str, caplog: pytest.LogCaptureFixture
) -> None:
    msg = notification(channels=(Channel.SMS,))
    fan_out(msg)
    task, job = _sms_job(msg)
    gateway.answer_with(Answer(200, {"status": "0", "text": text}))

    with pytest.raises(TransientSmsError, match=text):
        deliver_job(task, job)
    assert not settled()
    assert text in caplog.text  # the office reads why in the log

    assert deliver_job(task, job) == "applied"  # the retry, once the office fixed it
    assert [d.status for d in deliveries()] == ["sent"]


@pytest.mark.parametrize("gateway_format", ["zenziva"])
def test_zenziva_answer_that_says_nothing_is_transient(gateway: GatewayServer) -> None:
    msg = notification(channels=(Channel.SMS,))
    fan_out(msg)
    gateway.answer_with(Answer(200, b"<html>Bad gateway</html>"))
    with pytest.raises(TransientSmsError, match="tidak dikenal"):
        deliver_job(*_sms_job(msg))
    assert not settled()


@pytest.mark.parametrize("gateway_format", ["zenziva"])
def test_zenziva_without_userkey_is_recorded_as_not_configured(
    gateway: GatewayServer, setting: Any
) -> None:
    setting("PENGADUAN_SMS_GATEWAY_USERNAME", None)
    consume(notification(channels=(Channel.SMS,), email=None))

    [delivery] = deliveries()
    assert delivery.status == "failed"
    assert (delivery.detail or "").startswith(NOT_CONFIGURED)
    assert gateway.requests == []


def test_gateway_that_does_not_listen_is_transient(setting: Any) -> None:
    setting("PENGADUAN_SMS_GATEWAY_URL", f"http://127.0.0.1:{free_port()}/sms")
    msg = notification(channels=(Channel.SMS,))
    fan_out(msg)
    with pytest.raises(TransientSmsError):
        deliver_job(*_sms_job(msg))
    assert not settled()


def test_without_a_gateway_the_sms_is_recorded_as_failed_in_indonesian(setting: Any) -> None:
    setting("PENGADUAN_SMS_GATEWAY_URL", None)
    consume(notification(channels=(Channel.SMS,), email=None))

    [delivery] = deliveries()
    assert (delivery.channel, delivery.status, delivery.detail) == ("sms", "failed", NOT_CONFIGURED)
    assert NOT_CONFIGURED == "gateway SMS belum dikonfigurasi"


def test_sms_channel_without_a_phone_number_records_a_failed_delivery(
    gateway: GatewayServer,
) -> None:
    msg = notification(channels=(Channel.SMS,), email=None)
    msg = msg.model_copy(update={"recipient": msg.recipient.model_copy(update={"phone": None})})
    consume(msg)
    [delivery] = deliveries()
    assert (delivery.status, delivery.recipient) == ("failed", None)
    assert "nomor telepon" in (delivery.detail or "")
    assert gateway.requests == []


def test_fan_out_writes_one_delivery_per_channel_once(configured: dict[str, str]) -> None:
    msg = notification(channels=(Channel.EMAIL, Channel.SMS, Channel.APP, Channel.SMS))
    assert fan_out(msg) == "applied"
    assert fan_out(msg) == "duplicate"
    # Committed before any try: the chosen channels pending, the app's hand-over made.
    assert [(d.channel, d.status) for d in deliveries()] == [
        ("email", "pending"),
        ("sms", "pending"),
        ("app", "sent"),
    ]
    jobs = channel_jobs(msg)  # the first tries to come
    assert [(t, j.channel) for t, j in jobs] == [
        (DELIVER_EMAIL_TASK, Channel.EMAIL),
        (DELIVER_SMS_TASK, Channel.SMS),
    ]
    # Only ids travel: the personal data stays in the notifier's database.
    assert all(
        set(j.model_dump())
        == {"message_id", "occurred_at", "version", "notification_id", "channel"}
        for _, j in jobs
    )
    assert outbox_rows(DELIVER_SMS_TASK) == outbox_rows(DELIVER_EMAIL_TASK) == []  # no task
    [inbox] = outbox_rows(INTAKE_INBOX_TASK)
    assert CITIZEN_EMAIL not in json.dumps(inbox.payload) and PHONE not in json.dumps(inbox.payload)
    assert len(outbox_rows()) == 1  # the answer handed to intake, once


def test_smtp_outage_neither_blocks_nor_resends_the_sms(
    gateway: GatewayServer, setting: Any, smtp_server: SmtpServer
) -> None:
    smtp_port = get_settings().mail.port
    setting("PENGADUAN_SMTP_PORT", str(free_port()))  # the SMTP server is down
    msg = notification(channels=(Channel.EMAIL, Channel.SMS))

    assert consume(msg) == "applied"  # the fan-out and both first tries
    # The SMS went out at once; only the email got a task of its own, for its retry.
    assert [(d.channel, d.status) for d in deliveries()] == [
        ("email", "retrying"),
        ("sms", "sent"),
    ]
    [(task, job)] = channel_jobs(msg)
    assert (task, job.channel) == (DELIVER_EMAIL_TASK, Channel.EMAIL)
    assert outbox_rows(DELIVER_SMS_TASK) == []
    assert len(gateway.requests) == 1

    setting("PENGADUAN_SMTP_PORT", str(smtp_port))  # back up: the email's retry
    assert deliver_job(task, job) == "applied"
    assert consume(msg) == "duplicate"  # a redelivered fan-out tries nothing settled again
    assert len(smtp_server.inbox.to(CITIZEN_EMAIL)) == 1
    assert len(gateway.requests) == 1  # the SMS was not sent again
    assert sorted((d.channel, d.status) for d in deliveries()) == [
        ("email", "sent"),
        ("sms", "sent"),
    ]
