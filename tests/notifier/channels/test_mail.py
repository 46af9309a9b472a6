"""The SMTP sender against real SMTP servers that refuse, never answer, speak TLS or want a
login; and the multipart email the channel sends."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from services.notifier.channels.mail import (
    PermanentMailError,
    SmtpSender,
    TransientMailError,
    build_email,
    message_id_for,
    tls_context,
)
from shared.messaging.contracts import NotificationKind
from shared.runtime.settings import get_settings
from tests.notifier.conftest import (
    ANSWER,
    CITIZEN_EMAIL,
    channel_jobs,
    consume,
    deliver_job,
    deliveries,
    notification,
    outbox_rows,
    settled,
)
from tools.harness.smtp import (
    BUSY,
    GONE,
    Certificate,
    Credentials,
    RefusingInbox,
    SmtpServer,
    self_signed_certificate,
)


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

    [delivery] = [d for d in deliveries() if d.channel == "email"]
    assert (delivery.status, delivery.recipient, delivery.sent_at) == ("failed", GONE, None)
    assert "550" in (delivery.detail or "")
    assert refusing_smtp.rcpt_attempts == [GONE]  # tried once, never again
    assert refusing_smtp.messages == []
    assert len(outbox_rows()) == 1  # the answer still reaches the tracking page


def test_recipient_refused_with_4xx_is_transient_and_records_nothing(
    refusing_smtp: RefusingInbox,
) -> None:
    msg = notification(NotificationKind.FILED, email=BUSY)
    consume(msg)  # the first try: noted as retrying, the email's task queued
    [(task, job)] = channel_jobs(msg)
    with pytest.raises(TransientMailError, match="450"):
        deliver_job(task, job)  # Celery retries on this error (the task's retry_for)
    assert [(d.channel, d.status) for d in settled()] == [("app", "sent")]


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


# TLS and login, against aiosmtpd speaking STARTTLS or implicit TLS on a certificate made here.

USER, PASSWORD = "pengaduan@dpmptsp.madiun.go.id", "sandi-smtp-rahasia"


@pytest.fixture
def certificate(tmp_path: Path) -> Certificate:
    return self_signed_certificate(tmp_path)


@pytest.fixture
def running() -> Iterator[Callable[..., SmtpServer]]:
    """Starts an SmtpServer with the given aiosmtpd parameters; all stopped at the end."""
    servers: list[SmtpServer] = []

    def start(**parameters: Any) -> SmtpServer:
        server = SmtpServer(**parameters)
        server.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def _sender(server: SmtpServer, certificate: Certificate | None, **options: Any) -> SmtpSender:
    ca_file = certificate.cert if certificate else None
    return SmtpSender("127.0.0.1", server.port, timeout=5, tls=tls_context(ca_file), **options)


def test_starttls_delivers_to_a_server_whose_certificate_the_ca_file_vouches_for(
    running: Callable[..., SmtpServer], certificate: Certificate
) -> None:
    server = running(tls_context=certificate.server_context(), require_starttls=True)
    _sender(server, certificate, security="starttls").send(_email_to("warga@example.id"))
    [mail] = server.inbox.messages
    assert mail["Subject"] == "Uji"


def test_two_emails_over_starttls_share_one_verifying_context(
    running: Callable[..., SmtpServer], certificate: Certificate
) -> None:
    server = running(tls_context=certificate.server_context(), require_starttls=True)
    for _ in range(2):
        _sender(server, certificate, security="starttls").send(_email_to("warga@example.id"))
    assert len(server.inbox.messages) == 2
    assert tls_context(certificate.cert) is tls_context(certificate.cert)  # built once
    assert tls_context(certificate.cert) is not tls_context(None)  # each CA file its own


def test_starttls_to_a_certificate_nobody_vouches_for_sends_nothing(
    running: Callable[..., SmtpServer], certificate: Certificate
) -> None:
    server = running(tls_context=certificate.server_context(), require_starttls=True)
    with pytest.raises(TransientMailError, match="CERTIFICATE_VERIFY_FAILED"):
        _sender(server, None, security="starttls").send(_email_to("warga@example.id"))
    assert server.inbox.messages == []


def test_starttls_required_but_not_offered_sends_nothing_in_clear(
    running: Callable[..., SmtpServer], certificate: Certificate
) -> None:
    server = running()  # no tls_context: the server offers no STARTTLS
    with pytest.raises(TransientMailError, match="does not offer STARTTLS"):
        _sender(server, certificate, security="starttls").send(_email_to("warga@example.id"))
    assert server.inbox.messages == []


def test_implicit_tls_delivers(
    running: Callable[..., SmtpServer], certificate: Certificate
) -> None:
    server = running(ssl_context=certificate.server_context())
    _sender(server, certificate, security="ssl").send(_email_to("warga@example.id"))
    assert len(server.inbox.messages) == 1


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
def test_login_after_starttls_with_the_right_credentials_delivers(
    running: Callable[..., SmtpServer], certificate: Certificate, mechanism: str
) -> None:
    credentials = Credentials(USER, PASSWORD)
    server = running(
        tls_context=certificate.server_context(),
        require_starttls=True,
        authenticator=credentials,
        auth_required=True,
        auth_require_tls=True,  # AUTH is offered only after STARTTLS
        auth_exclude_mechanism={"PLAIN", "LOGIN"} - {mechanism},
    )
    sender = _sender(server, certificate, security="starttls", username=USER, password=PASSWORD)
    sender.send(_email_to("warga@example.id"))
    assert credentials.mechanisms == [mechanism]
    assert len(server.inbox.messages) == 1


def test_wrong_credentials_are_transient_logged_and_deliver_nothing(
    running: Callable[..., SmtpServer], certificate: Certificate, caplog: pytest.LogCaptureFixture
) -> None:
    server = running(
        tls_context=certificate.server_context(),
        require_starttls=True,
        authenticator=Credentials(USER, PASSWORD),
        auth_required=True,
        auth_require_tls=True,
    )
    sender = _sender(server, certificate, security="starttls", username=USER, password="salah")
    with pytest.raises(TransientMailError, match="login refused: 535"):
        sender.send(_email_to("warga@example.id"))
    assert server.inbox.messages == []
    assert "PENGADUAN_SMTP_PASSWORD" in caplog.text


def test_login_where_the_server_offers_auth_only_after_tls_is_transient(
    running: Callable[..., SmtpServer], certificate: Certificate
) -> None:
    server = running(
        tls_context=certificate.server_context(),
        authenticator=Credentials(USER, PASSWORD),
        auth_required=True,
        auth_require_tls=True,
    )
    sender = _sender(server, certificate, security="none", username=USER, password=PASSWORD)
    with pytest.raises(TransientMailError, match="offers no login"):
        sender.send(_email_to("warga@example.id"))
    assert server.inbox.messages == []


def test_email_is_multipart_alternative_in_indonesian_with_the_tracking_link_in_both(
    configured: dict[str, str], smtp_server: SmtpServer
) -> None:
    msg = notification()
    consume(msg)

    [mail] = smtp_server.inbox.to(CITIZEN_EMAIL)
    assert mail.get_content_type() == "multipart/alternative"
    plain, html = mail.iter_parts()  # type: ignore[attr-defined]
    assert (plain.get_content_type(), html.get_content_type()) == ("text/plain", "text/html")
    assert plain.get_content_charset() == html.get_content_charset() == "utf-8"
    link = get_settings().web.tracking_url(msg.tracking_code)
    for part in (plain.get_content(), html.get_content()):
        assert "Jawaban pengaduan" in part and "Hormat kami" in part
        assert msg.tracking_code in part and link in part
    assert ANSWER in plain.get_content()
    assert ANSWER in html.get_content()  # the em dash survives: UTF-8 end to end
    assert '<html lang="id">' in html.get_content()
    assert mail["Auto-Submitted"] == "auto-generated"


def test_email_channel_logs_in_over_starttls_as_the_settings_say(
    setting: Any, running: Callable[..., SmtpServer], certificate: Certificate
) -> None:
    server = running(
        tls_context=certificate.server_context(),
        require_starttls=True,
        authenticator=Credentials(USER, PASSWORD),
        auth_required=True,
    )
    for name, value in {
        "PORT": str(server.port),
        "SECURITY": "starttls",
        "USERNAME": USER,
        "PASSWORD": PASSWORD,
        "CA_FILE": str(certificate.cert),
    }.items():
        setting(f"PENGADUAN_SMTP_{name}", value)
    consume(notification(NotificationKind.FILED))

    assert len(server.inbox.to(CITIZEN_EMAIL)) == 1
    assert [(d.channel, d.status) for d in deliveries()] == [("email", "sent"), ("app", "sent")]
