"""The SMTP sender against real SMTP servers that refuse or never answer."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from services.notifier.mail import (
    PermanentMailError,
    SmtpSender,
    TransientMailError,
    build_email,
    message_id_for,
)
from shared.contracts import NotificationKind
from tests.notifier.conftest import consume, deliveries, notification, outbox_rows
from tests.support.redis_server import free_port
from tests.support.smtp import Inbox

GONE = "pindah.alamat@example.id"  # 550: no such mailbox, for good
BUSY = "kotak.penuh@example.id"  # 450: mailbox busy, try later


class RefusingInbox(Inbox):
    """An SMTP server that refuses some recipients, the way real ones do at RCPT TO."""

    def __init__(self) -> None:
        super().__init__()
        self.rcpt_attempts: list[str] = []

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        self.rcpt_attempts.append(address)
        if address == GONE:
            return "550 5.1.1 Mailbox tidak ditemukan"
        if address == BUSY:
            return "450 4.2.1 Mailbox sedang sibuk"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def refusing_smtp(setting: Any) -> Iterator[RefusingInbox]:
    inbox = RefusingInbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    setting("PENGADUAN_SMTP_PORT", str(port))
    yield inbox
    controller.stop()


def _email_to(address: str) -> Any:
    return build_email(
        mail_from="Pengaduan <pengaduan@dpmptsp.madiun.go.id>",
        to_name="Warga",
        to_address=address,
        subject="Uji",
        body="Isi",
        message_id=message_id_for(uuid.uuid4(), "email", "pengaduan@dpmptsp.madiun.go.id"),
    )


def test_recipient_refused_with_5xx_records_a_failed_delivery_without_retry(
    refusing_smtp: RefusingInbox,
) -> None:
    msg = notification(email=GONE)
    assert consume(msg) == "applied"  # no exception: nothing for Celery to retry
    assert consume(msg) == "duplicate"

    [delivery] = deliveries()
    assert (delivery.status, delivery.recipient, delivery.sent_at) == ("failed", GONE, None)
    assert "550" in (delivery.detail or "")
    assert refusing_smtp.rcpt_attempts == [GONE]  # tried once, never again
    assert refusing_smtp.messages == []
    assert len(outbox_rows()) == 1  # the answer still reaches the tracking page


def test_recipient_refused_with_4xx_is_transient_and_records_nothing(
    refusing_smtp: RefusingInbox,
) -> None:
    with pytest.raises(TransientMailError, match="450"):
        consume(notification(NotificationKind.FILED, email=BUSY))
    assert deliveries() == []


def test_smtp_server_that_never_answers_is_a_transient_timeout() -> None:
    with socket.socket() as silent:  # accepts connections (the backlog) but never greets
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        sender = SmtpSender("127.0.0.1", silent.getsockname()[1], timeout=0.3)
        with pytest.raises(TransientMailError, match="timed out"):
            sender.send(_email_to("warga@example.id"))


def test_smtp_sender_raises_permanent_error_for_a_5xx_refusal(
    refusing_smtp: RefusingInbox, configured: dict[str, str]
) -> None:
    sender = SmtpSender("127.0.0.1", int(os.environ["PENGADUAN_SMTP_PORT"]), timeout=5)
    with pytest.raises(PermanentMailError, match="550"):
        sender.send(_email_to(GONE))


def test_message_id_is_the_same_for_a_resend_and_differs_per_channel() -> None:
    notification_id = uuid.uuid4()
    sender = "Pengaduan DPMPTSP <pengaduan@dpmptsp.madiun.go.id>"
    first = message_id_for(notification_id, "email", sender)
    assert first == message_id_for(notification_id, "email", sender)
    assert first == f"<{notification_id}.email@dpmptsp.madiun.go.id>"
    assert first != message_id_for(notification_id, "sms", sender)
    assert first != message_id_for(uuid.uuid4(), "email", sender)


def test_line_breaks_in_name_or_subject_do_not_break_the_headers() -> None:
    mail = build_email(
        mail_from="Pengaduan <pengaduan@dpmptsp.madiun.go.id>",
        to_name="Siti\nAminah",
        to_address="siti@example.id",
        subject="Izin usaha\r\nbelum terbit",
        body="Isi",
        message_id="<x@dpmptsp.madiun.go.id>",
    )
    assert mail["To"] == "Siti Aminah <siti@example.id>"
    assert mail["Subject"] == "Izin usaha belum terbit"
