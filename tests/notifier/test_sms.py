"""The SMS channel against a real local HTTP server playing the gateway (the JSON webhook and
Zenziva), the SMS length rules and wording, and channels failing and retrying independently of
each other."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import pytest

from services.notifier.channels import sms
from services.notifier.channels.mail import TransientMailError
from services.notifier.channels.sms import NOT_CONFIGURED, TransientSmsError, sms_text
from services.notifier.channels.sms_text import fit, measure
from shared.messaging.contracts import (
    DELIVER_EMAIL_TASK,
    DELIVER_SMS_TASK,
    WORKFLOW_NOTIFIED_TASK,
    Channel,
    NotificationKind,
)
from shared.runtime.settings import Settings, get_settings
from tests.notifier.conftest import (
    CITIZEN_EMAIL,
    channel_jobs,
    consume,
    deliver_job,
    deliveries,
    fan_out,
    notification,
    outbox_rows,
)
from tests.support.redis_server import free_port
from tests.support.sms_gateway import Answer, Format, GatewayServer
from tests.support.smtp import SmtpServer

PHONE = "+6281234567890"
TOKEN = "rahasia-gateway"
USERKEY = "a1b2c3d4e5f6"
URL = "https://pengaduan.example.id"
PAGE = f"{URL}/lacak?kode=PGD-2026-0042"


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
    [reported] = outbox_rows(WORKFLOW_NOTIFIED_TASK)
    assert (reported.payload["channel"], reported.payload["status"]) == ("sms", "sent")


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
    assert deliveries() == []  # nothing recorded as sent, nothing on the case record
    assert outbox_rows(WORKFLOW_NOTIFIED_TASK) == []

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
    assert deliveries() == []


@pytest.mark.parametrize(
    ("gateway_format", "status"), [("json", 400), ("json", 401), ("zenziva", 400)]
)
def test_gateway_refusal_fails_the_delivery_without_retry(
    gateway: GatewayServer, status: int
) -> None:
    msg = notification(channels=(Channel.SMS,))
    gateway.answer_with(Answer(status, {"error": "ditolak"}))
    assert consume(msg) == "applied"  # no exception: nothing for Celery to retry
    consume(msg)

    assert len(gateway.requests) == 1
    [delivery] = deliveries()
    assert (delivery.status, delivery.sent_at) == ("failed", None)
    assert str(status) in (delivery.detail or "") and "ditolak" in (delivery.detail or "")
    [reported] = outbox_rows(WORKFLOW_NOTIFIED_TASK)
    assert reported.payload["status"] == "failed"


@pytest.mark.parametrize("gateway_format", ["zenziva"])
def test_zenziva_refusing_the_number_fails_the_delivery_without_retry(
    gateway: GatewayServer,
) -> None:
    refusal = {"messageId": "", "to": "6281234567890", "status": "0", "text": "Nomor tidak valid"}
    gateway.answer_with(Answer(200, refusal))
    assert consume(notification(channels=(Channel.SMS,))) == "applied"

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
    assert deliveries() == []
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
    assert deliveries() == []


@pytest.mark.parametrize("gateway_format", ["zenziva"])
def test_zenziva_without_userkey_is_recorded_as_not_configured(
    gateway: GatewayServer, setting: Any
) -> None:
    setting("PENGADUAN_SMS_GATEWAY_USERNAME", None)
    consume(notification(channels=(Channel.SMS,)))

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
    assert deliveries() == []


def test_without_a_gateway_the_sms_is_recorded_as_failed_in_indonesian(setting: Any) -> None:
    setting("PENGADUAN_SMS_GATEWAY_URL", None)
    consume(notification(channels=(Channel.SMS,)))

    [delivery] = deliveries()
    assert (delivery.channel, delivery.status, delivery.detail) == ("sms", "failed", NOT_CONFIGURED)
    assert NOT_CONFIGURED == "gateway SMS belum dikonfigurasi"


def test_sms_channel_without_a_phone_number_records_a_failed_delivery(
    gateway: GatewayServer,
) -> None:
    msg = notification(channels=(Channel.SMS,))
    msg = msg.model_copy(update={"recipient": msg.recipient.model_copy(update={"phone": None})})
    consume(msg)
    [delivery] = deliveries()
    assert (delivery.status, delivery.recipient) == ("failed", None)
    assert "nomor telepon" in (delivery.detail or "")
    assert gateway.requests == []


def test_fan_out_queues_one_delivery_per_channel_once(configured: dict[str, str]) -> None:
    msg = notification(channels=(Channel.EMAIL, Channel.SMS, Channel.APP, Channel.SMS))
    assert fan_out(msg) == "applied"
    assert fan_out(msg) == "duplicate"
    jobs = channel_jobs(msg)
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
    [row] = outbox_rows(DELIVER_SMS_TASK)
    assert CITIZEN_EMAIL not in json.dumps(row.payload) and PHONE not in json.dumps(row.payload)
    assert len(outbox_rows()) == 1  # the answer handed to intake, once


def test_smtp_outage_neither_blocks_nor_resends_the_sms(
    gateway: GatewayServer, setting: Any, smtp_server: SmtpServer
) -> None:
    smtp_port = get_settings().mail.port
    setting("PENGADUAN_SMTP_PORT", str(free_port()))  # the SMTP server is down
    msg = notification(channels=(Channel.EMAIL, Channel.SMS))
    fan_out(msg)
    jobs = dict(channel_jobs(msg))

    with pytest.raises(TransientMailError):
        deliver_job(DELIVER_EMAIL_TASK, jobs[DELIVER_EMAIL_TASK])
    assert deliver_job(DELIVER_SMS_TASK, jobs[DELIVER_SMS_TASK]) == "applied"
    assert [(d.channel, d.status) for d in deliveries()] == [("sms", "sent")]

    setting("PENGADUAN_SMTP_PORT", str(smtp_port))  # back up: the email's retry
    assert deliver_job(DELIVER_EMAIL_TASK, jobs[DELIVER_EMAIL_TASK]) == "applied"
    assert len(smtp_server.inbox.to(CITIZEN_EMAIL)) == 1
    assert len(gateway.requests) == 1  # the SMS was not sent again
    assert sorted((d.channel, d.status) for d in deliveries()) == [
        ("email", "sent"),
        ("sms", "sent"),
    ]


def test_gateway_outage_neither_blocks_nor_resends_the_email(
    gateway: GatewayServer, smtp_server: SmtpServer
) -> None:
    msg = notification(channels=(Channel.EMAIL, Channel.SMS))
    fan_out(msg)
    jobs = dict(channel_jobs(msg))
    gateway.answer_with(503)

    with pytest.raises(TransientSmsError):
        deliver_job(DELIVER_SMS_TASK, jobs[DELIVER_SMS_TASK])
    assert deliver_job(DELIVER_EMAIL_TASK, jobs[DELIVER_EMAIL_TASK]) == "applied"
    assert deliver_job(DELIVER_SMS_TASK, jobs[DELIVER_SMS_TASK]) == "applied"  # the retry

    assert len(smtp_server.inbox.to(CITIZEN_EMAIL)) == 1
    assert len(gateway.requests) == 2
    assert sorted((d.channel, d.status) for d in deliveries()) == [
        ("email", "sent"),
        ("sms", "sent"),
    ]


def test_plain_indonesian_text_is_gsm7() -> None:
    assert measure("Pengaduan Anda diterima.") == measure("Pengaduan Anda diterima.")
    one = measure("a" * 160)
    assert (one.encoding, one.units, one.segments) == ("GSM-7", 160, 1)
    assert measure("a" * 161).segments == 2  # 153 septets per part once concatenated
    assert measure("a" * 306).segments == 2
    assert measure("a" * 307).segments == 3


def test_extension_characters_take_two_septets() -> None:
    text = "€" + "a" * 158  # 2 + 158 = 160 septets: still one segment
    assert (measure(text).encoding, measure(text).units, measure(text).segments) == (
        "GSM-7",
        160,
        1,
    )
    assert measure("{" + "a" * 159).segments == 2


@pytest.mark.parametrize("special", ["🙂", "سلام", "—"])
def test_characters_outside_gsm7_switch_to_ucs2(special: str) -> None:
    text = special + "a" * 60
    length = measure(text)
    assert length.encoding == "UCS-2"
    assert length.units == len(text.encode("utf-16-le")) // 2
    assert measure("🙂" * 35).units == 70 and measure("🙂" * 35).segments == 1
    assert measure("🙂" * 36).segments == 2  # 72 code units: 67 per part


def test_long_text_is_shortened_to_three_segments_with_a_link() -> None:
    long_gsm = "Izin usaha Anda diproses kembali oleh tim. " * 20
    short = fit(long_gsm, link=URL)
    assert measure(short).segments <= 3
    assert short.endswith(f"... Selengkapnya: {URL}")
    assert len(short) > 400  # uses the room it has (3 x 153 septets)
    assert long_gsm.startswith(short.removesuffix(f"... Selengkapnya: {URL}"))

    long_ucs2 = "Izin usaha Anda — diproses kembali. " * 20
    short = fit(long_ucs2, link=URL)
    assert (measure(short).encoding, measure(short).segments) == ("UCS-2", 3)
    assert short.endswith(URL)
    assert fit("Singkat.", link=URL) == "Singkat."


def test_sms_text_of_a_long_answer_fits_three_segments_and_points_to_the_tracking_page() -> None:
    msg = notification().model_copy(update={"answer": "Izin usaha Anda diproses. " * 40})
    text = sms_text(msg, intake_url=URL)
    assert measure(text).segments <= 3
    assert text.startswith(f"Jawaban pengaduan {msg.tracking_code}: Izin usaha")
    assert text.endswith(f"Selengkapnya: {PAGE}")
    for kind in NotificationKind:
        assert msg.tracking_code in sms_text(notification(kind), intake_url=URL)


def test_sms_for_a_verified_complaint_and_a_staff_arrival() -> None:
    settings = Settings(
        web={"public_intake_url": URL, "public_workflow_url": "https://petugas.example.id"}
    )
    verified = sms_text(notification(NotificationKind.VERIFIED), settings=settings)
    assert verified.startswith("Pengaduan PGD-2026-0042 telah diverifikasi Kasi")
    assert "Koordinator untuk disposisi" in verified and PAGE in verified

    step = "Langkah 2: Menelaah dan memverifikasi pengaduan (standar 5 menit)"
    arrival = notification(NotificationKind.WORKLIST_ARRIVAL).model_copy(update={"note": step})
    text = sms_text(arrival, settings=settings)
    assert f"masuk ke daftar kerja Anda ({step})" in text
    assert settings.web.console_url in text and "/lacak" not in text
    for msg in (verified, text):
        assert measure(msg) == measure(msg) and measure(msg).encoding == "GSM-7"


def test_sms_for_a_mutu_baku_warning_and_breach_runs_the_note_into_one_line() -> None:
    settings = Settings(
        web={"public_intake_url": URL, "public_workflow_url": "https://petugas.example.id"}
    )
    note = "Langkah 3: Memberikan disposisi.\nBatas waktu: 30-11-2026 pukul 09.05 WIB."
    for kind, opening in (
        (NotificationKind.SLA_WARNING, "Peringatan Mutu Baku: laporan pengaduan PGD-2026-0042"),
        (NotificationKind.SLA_BREACH, "Pelanggaran standar waktu: laporan pengaduan PGD-2026-0042"),
    ):
        text = sms_text(notification(kind).model_copy(update={"note": note}), settings=settings)
        assert text.startswith(opening)
        assert "disposisi. Batas waktu: 30-11-2026 pukul 09.05 WIB." in text
        assert settings.web.console_url in text and "/lacak" not in text
        assert measure(text).encoding == "GSM-7"


def test_each_process_keeps_one_http_client_for_the_gateway(gateway: GatewayServer) -> None:
    sms._client.cache_clear()
    for _ in range(2):
        assert consume(notification(channels=(Channel.SMS,))) == "applied"
    assert len(gateway.requests) == 2
    assert sms._client.cache_info().misses == 1  # both SMS through one client, not one each
    # A forked worker child (another process id) never shares its parent's connections.
    assert sms._client(os.getpid() + 1) is not sms._client(os.getpid())
