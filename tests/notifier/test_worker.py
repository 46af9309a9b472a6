"""The notifier as it runs: a real Celery worker on the ``notifier`` queue, running the fan-out
and the email task it queues through the outbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.messaging.celery_app import get_celery
from shared.messaging.contracts import NOTIFY_TASK
from tests.notifier.conftest import CITIZEN_EMAIL, deliveries, notification, processed_count
from tools.harness.processes import start_worker, wait_for
from tools.harness.smtp import SmtpServer

pytestmark = pytest.mark.journey


def test_worker_given_the_same_message_twice_sends_one_email(
    configured: dict[str, str], smtp_server: SmtpServer, tmp_path: Path
) -> None:
    worker = start_worker("notifier", configured, tmp_path)
    try:
        msg = notification()
        for _ in range(2):
            get_celery().send_task(NOTIFY_TASK, kwargs={"message": msg.model_dump(mode="json")})

        wait_for(lambda: smtp_server.inbox.to(CITIZEN_EMAIL), 60, "the answer email")
        wait_for(
            lambda: (
                sorted((d.channel, d.status) for d in deliveries())
                == [("app", "sent"), ("email", "sent")]
            ),
            30,
            "the delivery records",
        )
        worker.wait_for_output("already applied", timeout=60)  # the second copy, recognised

        [mail] = smtp_server.inbox.to(CITIZEN_EMAIL)
        assert msg.tracking_code in mail.get_content()
        assert len(smtp_server.inbox.messages) == 1
        # Applied once: the fan-out, which tried both channels itself (no channel task).
        assert processed_count() == 1
        assert [d.attempts for d in deliveries()] == [1, 1]
    finally:
        worker.stop()
