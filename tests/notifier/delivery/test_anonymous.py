"""A notice to an anonymous complainant (*anonim*: no recipient) reaches the app channel only,
the inbox on their tracking page, addressed to no name; however the message lists its channels."""

from __future__ import annotations

from shared.messaging.contracts import (
    DELIVER_APP_TASK,
    DELIVER_EMAIL_TASK,
    DELIVER_SMS_TASK,
    INTAKE_ANSWERED_TASK,
    INTAKE_INBOX_TASK,
    Channel,
    InboxMessageV1,
    NotificationKind,
)
from tests.notifier.conftest import (
    ANSWER,
    deliveries,
    fan_out,
    notification,
    outbox_rows,
)
from tools.harness.smtp import SmtpServer


def test_an_anonymous_answer_reaches_only_the_app_channel(
    configured: dict[str, str], smtp_server: SmtpServer
) -> None:
    # Intake sends an anonymous complaint's notices on the app alone; the notifier holds to it
    # even for a message that lists more (an older or a mistaken sender).
    msg = notification(channels=(Channel.EMAIL, Channel.SMS, Channel.APP)).model_copy(
        update={"recipient": None}
    )

    assert fan_out(msg) == "applied"

    assert outbox_rows(DELIVER_EMAIL_TASK) == []
    assert outbox_rows(DELIVER_SMS_TASK) == []
    assert outbox_rows(DELIVER_APP_TASK) == []  # handed over in the fan-out's transaction

    [inbox_row] = outbox_rows(INTAKE_INBOX_TASK)
    inbox = InboxMessageV1.model_validate(inbox_row.payload)
    assert inbox.tracking_code == msg.tracking_code
    assert ANSWER in inbox.body
    assert inbox.body.startswith("Yth. Bapak/Ibu,")
    [delivery] = deliveries()
    assert (delivery.channel, delivery.status, delivery.recipient) == (
        "app",
        "sent",
        msg.tracking_code,
    )
    # The answer is handed to the tracking page as for anyone, and no email left.
    assert len(outbox_rows(INTAKE_ANSWERED_TASK)) == 1
    assert smtp_server.inbox.messages == []


def test_an_anonymous_filing_acknowledgement_is_kept_in_the_inbox(
    configured: dict[str, str],
) -> None:
    msg = notification(NotificationKind.FILED, channels=(Channel.APP,)).model_copy(
        update={"recipient": None}
    )
    assert fan_out(msg) == "applied"
    assert fan_out(msg) == "duplicate"

    [inbox_row] = outbox_rows(INTAKE_INBOX_TASK)
    inbox = InboxMessageV1.model_validate(inbox_row.payload)
    assert msg.tracking_code in inbox.title
    assert "Yth. Bapak/Ibu," in inbox.body
