"""The one-time access link a complainant who lost their token asked for: in the email and the
SMS they read, and nowhere in clear on its way (the queue's message, the notifier's table), nor
on the case's record or the tracking page's notices."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from services.notifier.channels.sms import sms_text
from services.notifier.database import get_db
from services.notifier.messages import IncompleteNotification, compose
from services.notifier.models import Notification
from shared.messaging.contracts import (
    INTAKE_UNDELIVERABLE_TASK,
    WORKFLOW_NOTIFIED_V2_TASK,
    Channel,
    NotificationKind,
)
from shared.runtime.settings import Settings
from tests.notifier.conftest import CITIZEN_EMAIL, LINK, consume, notification, outbox_rows
from tools.harness.smtp import SmtpServer

SETTINGS = Settings(web={"public_intake_url": "https://pengaduan.madiunkota.go.id"})
URL = f"https://pengaduan.madiunkota.go.id/lacak/pulihkan?token={LINK.token}"
EXPIRES = "18 Desember 2026, 16.30 WIB"


def test_the_email_and_the_sms_carry_the_link_and_its_expiry_in_indonesian() -> None:
    msg = notification(NotificationKind.ACCESS_LINK)
    composed = compose(msg, settings=SETTINGS)
    text = sms_text(msg, settings=SETTINGS)

    assert composed.subject == f"Tautan token akses baru: laporan pengaduan {msg.tracking_code}"
    for part in (composed.body, composed.html, text):
        said = " ".join(part.split())
        assert URL in said, part
        assert EXPIRES in said, part
    body = " ".join(composed.body.split())
    assert "hanya dapat dipakai sekali" in body
    assert "token akses lama tidak berlaku lagi" in body
    assert "Selengkapnya" not in text  # the whole SMS fits: the link is never cut


def test_the_link_never_sits_in_clear_in_the_message_or_the_notifiers_table() -> None:
    msg = notification(NotificationKind.ACCESS_LINK)
    wire = json.dumps(msg.model_dump(mode="json"))
    assert LINK.token not in wire
    assert "access_link" in wire  # sealed, not dropped


def test_an_access_link_without_its_link_or_to_the_app_is_incomplete() -> None:
    msg = notification(NotificationKind.ACCESS_LINK)
    for broken in (
        msg.model_copy(update={"access_link": None}),
        msg.model_copy(update={"channels": (Channel.EMAIL, Channel.APP)}),
    ):
        with pytest.raises(IncompleteNotification):
            compose(broken, settings=SETTINGS)


def test_the_link_reaches_the_mailbox_and_stays_off_the_record(
    configured: dict[str, str], smtp_server: SmtpServer
) -> None:
    msg = notification(NotificationKind.ACCESS_LINK, channels=(Channel.EMAIL,))
    assert consume(msg) == "applied"

    [mail] = smtp_server.inbox.to(CITIZEN_EMAIL)
    assert LINK.token in mail.get_content()
    with get_db().transaction() as session:
        [stored] = session.scalars(select(Notification))
        assert stored.access_link is not None
        assert LINK.token not in stored.access_link
    rows = outbox_rows(None)
    assert all(LINK.token not in json.dumps(row.payload) for row in rows)
    # Not the case's record (no operator re-sends an expired link) nor a tracking-page notice.
    assert not [r for r in rows if r.task_name in (WORKFLOW_NOTIFIED_V2_TASK,)]


def test_a_link_that_cannot_be_delivered_is_not_told_to_the_tracking_page(
    configured: dict[str, str],
) -> None:
    msg = notification(NotificationKind.ACCESS_LINK, channels=(Channel.SMS,))
    assert consume(msg) == "applied"  # no SMS gateway configured: refused for good

    tasks = [row.task_name for row in outbox_rows(None)]
    assert INTAKE_UNDELIVERABLE_TASK not in tasks
    assert WORKFLOW_NOTIFIED_V2_TASK not in tasks
