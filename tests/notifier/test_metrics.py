"""The notifier's Prometheus figures, read as Prometheus reads them (the text exposition)."""

from __future__ import annotations

from typing import Any

from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from services.notifier.database import get_db
from services.notifier.metrics import registry_for
from shared.messaging.contracts import Channel
from tests.notifier.conftest import channel_jobs, deliver_job, fan_out, notification
from tests.notifier.delivery.test_attempts_and_resends import fail_once_with_smtp_down
from tools.harness.smtp import SmtpServer


def scrape() -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = generate_latest(registry_for(get_db)).decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def deliveries(figures: dict[Any, float], channel: str, status: str) -> float:
    return figures[("pengaduan_notifier_deliveries", (("channel", channel), ("status", status)))]


def tries(figures: dict[Any, float], channel: str, outcome: str) -> float:
    return figures[
        ("pengaduan_notifier_delivery_attempts_total", (("channel", channel), ("outcome", outcome)))
    ]


def test_every_channel_shows_sent_retrying_and_failed_even_at_zero(
    configured: dict[str, str],
) -> None:
    figures = scrape()
    for channel in ("email", "sms", "app"):
        for status in ("sent", "retrying", "failed"):
            assert deliveries(figures, channel, status) == 0


def test_figures_follow_the_deliveries(
    configured: dict[str, str], smtp_server: SmtpServer, setting: Any
) -> None:
    fail_once_with_smtp_down(setting)  # one email now retrying
    refused = notification(channels=(Channel.SMS,))  # no gateway configured: failed for good
    fan_out(refused)
    for task, job in channel_jobs(refused):
        deliver_job(task, job)
    sent = notification(channels=(Channel.EMAIL,))
    fan_out(sent)
    for task, job in channel_jobs(sent):
        deliver_job(task, job)

    figures = scrape()
    assert deliveries(figures, "email", "retrying") == 1
    assert deliveries(figures, "email", "sent") == 1
    assert deliveries(figures, "sms", "failed") == 1
    assert deliveries(figures, "app", "sent") == 0
    assert tries(figures, "email", "retrying") == 1
    assert tries(figures, "email", "sent") == 1
    assert tries(figures, "sms", "failed") == 1
