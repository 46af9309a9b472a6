"""The running counts ``/metrics`` reads (``delivery_totals``) equal what the rows themselves
count after a varied history: a try that failed for a passing reason (retrying), a channel
refused for good, a delivery sent, the same job delivered twice, a personal-data erasure, an
operator's SQL moving a delivery's state and deleting a try, and a scrape in between."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text

from services.notifier.database import get_db
from services.notifier.delivery_totals import from_history, totals
from services.notifier.tasks import erase_notifications
from shared.messaging.consumer import consume_once
from shared.messaging.contracts import (
    NOTIFIER_ERASE_TASK,
    Channel,
    ComplaintErasedV1,
    ErasureReason,
)
from tests.notifier.conftest import channel_jobs, deliver_job, fan_out, notification
from tests.notifier.delivery.test_attempts_and_resends import fail_once_with_smtp_down
from tools.harness.smtp import SmtpServer

ERASED_AT = datetime(2028, 12, 20, 9, 0, tzinfo=UTC)


def _both() -> tuple[dict[Any, int], dict[Any, int]]:
    with get_db().engine.begin() as connection:
        return totals(connection), from_history(connection)


def test_the_counts_equal_the_rows_after_a_varied_history(
    configured: dict[str, str], smtp_server: SmtpServer, setting: Any
) -> None:
    kept, counted = _both()
    assert kept == counted == {}

    fail_once_with_smtp_down(setting)  # one email now retrying
    refused = notification(channels=(Channel.SMS,))  # no gateway: failed for good
    fan_out(refused)
    for task, job in channel_jobs(refused):
        deliver_job(task, job)
    kept, counted = _both()  # a scrape in between: the changes so far are folded
    assert kept == counted
    assert kept[("delivery", "sms", "failed")] == 1

    sent = notification(channels=(Channel.EMAIL,), code="PGD-TOTAL-0002")
    fan_out(sent)
    for task, job in channel_jobs(sent):
        deliver_job(task, job)
        deliver_job(task, job)  # delivered twice: the second changes nothing
    erasure = ComplaintErasedV1(
        tracking_code="PGD-TOTAL-0002", reason=ErasureReason.REQUEST, erased_at=ERASED_AT
    )
    consume_once(get_db(), NOTIFIER_ERASE_TASK, erasure, erase_notifications)
    with get_db().engine.begin() as connection:
        connection.execute(text("UPDATE deliveries SET status = 'failed' WHERE channel = 'sms'"))
        connection.execute(text("UPDATE deliveries SET status = 'sent' WHERE channel = 'sms'"))
        connection.execute(text("DELETE FROM delivery_attempts WHERE channel = 'sms'"))

    kept, counted = _both()
    assert kept == counted
    assert kept[("delivery", "email", "sent")] == 1
    assert kept[("delivery", "sms", "sent")] == 1
    assert ("attempt", "sms", "failed") not in kept
    assert sum(kept.values()) > 4
