"""The WhatsApp channel against a real local HTTP server playing the WhatsApp Business Cloud
API's message endpoint: the template request, the message id kept, a refusal failing the
delivery for good, and passing trouble retried until the message goes out once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from services.notifier.channels.whatsapp import (
    NOT_CONFIGURED,
    TEXT_LIMIT,
    TransientWhatsAppError,
)
from shared.messaging.contracts import (
    DELIVER_WHATSAPP_TASK,
    Channel,
    NotificationKind,
)
from shared.runtime.settings import get_settings
from tests.notifier.conftest import (
    ANSWER,
    channel_jobs,
    consume,
    deliver_job,
    deliveries,
    fan_out,
    notification,
    reported_outcomes,
    settled,
)
from tools.harness.sms_gateway import Answer, GatewayServer

PHONE = "+6281234567890"
TOKEN = "rahasia-whatsapp"
PHONE_NUMBER_ID = "106540352242922"


@pytest.fixture
def cloud_api(setting: Any) -> Iterator[GatewayServer]:
    server = GatewayServer("whatsapp")
    server.start()
    setting("PENGADUAN_WHATSAPP_API_URL", server.base_url)
    setting("PENGADUAN_WHATSAPP_PHONE_NUMBER_ID", PHONE_NUMBER_ID)
    setting("PENGADUAN_WHATSAPP_TOKEN", TOKEN)
    yield server
    server.stop()


def _only_whatsapp(kind: NotificationKind = NotificationKind.ANSWER) -> Any:
    """A complainant who gave only a phone and chose WhatsApp: nothing to fall back to."""
    return notification(kind, channels=(Channel.WHATSAPP,), email=None)


def _job(msg: Any) -> tuple[str, Any]:
    [job] = [(t, j) for t, j in channel_jobs(msg) if t == DELIVER_WHATSAPP_TASK]
    return job


def test_the_answer_goes_out_once_as_the_answer_template(cloud_api: GatewayServer) -> None:
    msg = _only_whatsapp()
    assert consume(msg) == "applied"
    assert consume(msg) == "duplicate"

    [request] = cloud_api.requests
    assert request["path"] == f"/v21.0/{PHONE_NUMBER_ID}/messages"
    assert request["headers"]["Authorization"] == f"Bearer {TOKEN}"
    assert request["headers"]["Content-Type"] == "application/json"
    assert (request["messaging_product"], request["to"], request["type"]) == (
        "whatsapp",
        "6281234567890",  # E.164 without the "+"
        "template",
    )
    template = request["template"]
    assert (template["name"], template["language"]) == ("pengaduan_jawaban", {"code": "id"})
    [body] = template["components"]
    assert body["type"] == "body"
    assert body["parameters"] == [
        {"type": "text", "text": msg.tracking_code},
        {"type": "text", "text": ANSWER},
    ]
    [delivery] = deliveries()
    assert (delivery.channel, delivery.status, delivery.recipient) == ("whatsapp", "sent", PHONE)
    assert delivery.gateway_reference == "wamid.uji-1"
    [reported] = reported_outcomes()
    assert (reported.channel.value, reported.status) == ("whatsapp", "sent")
    assert reported.fallback is False


def test_other_notices_use_the_generic_template_on_one_line(
    cloud_api: GatewayServer, setting: Any
) -> None:
    setting("PENGADUAN_WHATSAPP_NOTICE_TEMPLATE", "pemberitahuan_kantor")
    msg = _only_whatsapp(NotificationKind.INFORMATION_REQUESTED)
    consume(msg)

    [request] = cloud_api.requests
    assert request["template"]["name"] == "pemberitahuan_kantor"
    code, text = (p["text"] for p in request["template"]["components"][0]["parameters"])
    assert code == msg.tracking_code
    assert "kelengkapan data" in text and msg.tracking_code in text
    assert "\n" not in text and "\t" not in text  # the Cloud API refuses them in a parameter


def test_a_long_answer_is_cut_with_a_pointer_to_the_tracking_page(
    cloud_api: GatewayServer,
) -> None:
    msg = _only_whatsapp().model_copy(update={"answer": "Izin usaha Anda telah terbit. " * 60})
    consume(msg)

    text = cloud_api.requests[0]["template"]["components"][0]["parameters"][1]["text"]
    assert len(text) <= TEXT_LIMIT
    assert text.startswith("Izin usaha Anda telah terbit.")
    assert text.endswith(f"Selengkapnya: {get_settings().web.tracking_url(msg.tracking_code)}")


@pytest.mark.parametrize("status", [400, 401, 404])
def test_a_refusal_fails_the_delivery_for_good_without_retry(
    cloud_api: GatewayServer, status: int
) -> None:
    cloud_api.answer_with(status)  # 400: (#131026) not a WhatsApp number, and the like
    msg = _only_whatsapp()
    assert consume(msg) == "applied"  # no exception: nothing for Celery to retry
    consume(msg)

    assert len(cloud_api.requests) == 1
    [delivery] = deliveries()
    assert (delivery.status, delivery.sent_at) == ("failed", None)
    assert str(status) in (delivery.detail or "")
    [reported] = reported_outcomes()
    assert (reported.channel.value, reported.status) == ("whatsapp", "failed")


@pytest.mark.parametrize(
    "answer",
    [
        Answer(500),
        Answer(503),
        Answer(429),
        # Throttled, said with a 400: the error code tells it apart from a refusal.
        Answer(400, {"error": {"message": "(#130429) Rate limit hit", "code": 130429}}),
    ],
    ids=["500", "503", "429", "400-throttled"],
)
def test_passing_trouble_is_retried_and_the_message_sent_once(
    cloud_api: GatewayServer, answer: Answer
) -> None:
    msg = _only_whatsapp()
    fan_out(msg)
    task, job = _job(msg)
    cloud_api.answer_with(answer)

    with pytest.raises(TransientWhatsAppError, match=str(answer.status)):
        deliver_job(task, job)  # Celery retries on this error (the task's retry_for)
    assert not settled()
    assert reported_outcomes() == []

    assert deliver_job(task, job) == "applied"  # the retry
    assert deliver_job(task, job) == "duplicate"
    assert len(cloud_api.requests) == 2
    [delivery] = deliveries()
    assert (delivery.status, delivery.gateway_reference) == ("sent", "wamid.uji-2")


def test_an_api_slower_than_the_timeout_is_transient(
    cloud_api: GatewayServer, setting: Any
) -> None:
    setting("PENGADUAN_WHATSAPP_TIMEOUT_SECONDS", "0.2")
    msg = _only_whatsapp()
    fan_out(msg)
    cloud_api.answer_with(Answer(hold=True))
    with pytest.raises(TransientWhatsAppError, match="ReadTimeout"):
        deliver_job(*_job(msg))
    cloud_api.release()
    assert not settled()


def test_without_configuration_the_delivery_is_recorded_as_failed_in_indonesian(
    configured: dict[str, str],
) -> None:
    consume(_only_whatsapp())
    [delivery] = deliveries()
    assert (delivery.channel, delivery.status, delivery.detail) == (
        "whatsapp",
        "failed",
        NOT_CONFIGURED,
    )


def test_without_a_phone_number_nothing_is_sent(cloud_api: GatewayServer) -> None:
    msg = _only_whatsapp()
    msg = msg.model_copy(update={"recipient": msg.recipient.model_copy(update={"phone": None})})
    consume(msg)
    [delivery] = deliveries()
    assert (delivery.status, delivery.recipient) == ("failed", None)
    assert "nomor telepon" in (delivery.detail or "")
    assert cloud_api.requests == []
