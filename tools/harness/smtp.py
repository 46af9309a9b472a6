"""A real SMTP server (aiosmtpd) that keeps what it receives, for assertions; optionally with
STARTTLS or implicit TLS on a certificate made for the test, and with a login."""

from __future__ import annotations

import datetime
import email
import email.policy
import ipaddress
import ssl
import threading
from dataclasses import dataclass
from email.contentmanager import ContentManager, raw_data_manager
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tools.harness.redis_server import free_port


class PlainTextFirst(ContentManager):
    """``get_content()`` of a multipart/alternative email is its text/plain part's text, so
    tests read what a plain-text client shows; the HTML part stays reachable through
    ``get_body(("html",))``."""

    def get_content(self, msg: Any, *args: Any, **kw: Any) -> Any:
        if msg.get_content_type() == "multipart/alternative":
            msg = msg.get_body(("plain",))
        return raw_data_manager.get_content(msg, *args, **kw)


POLICY = email.policy.default.clone(content_manager=PlainTextFirst())


class Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self._lock = threading.Lock()

    # aiosmtpd's handler signature: server and session are not needed here.
    async def handle_DATA(  # noqa: N802
        self,
        server: Any,  # noqa: ARG002
        session: Any,  # noqa: ARG002
        envelope: Any,
    ) -> str:
        message = email.message_from_bytes(envelope.content, policy=POLICY)
        with self._lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        with self._lock:
            return [m for m in self.messages if address in str(m["To"])]


GONE = "pindah.alamat@example.id"  # 550: no such mailbox, for good
BUSY = "kotak.penuh@example.id"  # 450: mailbox busy, try later


class RefusingInbox(Inbox):
    """An SMTP server that refuses some recipients, the way real ones do at RCPT TO: ``GONE``
    for good (550), ``BUSY`` for now (450)."""

    def __init__(self) -> None:
        super().__init__()
        self.rcpt_attempts: list[str] = []

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self,
        server: Any,  # noqa: ARG002 - aiosmtpd's hook signature
        session: Any,  # noqa: ARG002
        envelope: Any,
        address: str,
        rcpt_options: list[str],  # noqa: ARG002
    ) -> str:
        self.rcpt_attempts.append(address)
        if address == GONE:
            return "550 5.1.1 Mailbox tidak ditemukan"
        if address == BUSY:
            return "450 4.2.1 Mailbox sedang sibuk"
        envelope.rcpt_tos.append(address)
        return "250 OK"


class SmtpServer:
    """``smtp_parameters`` go to aiosmtpd's SMTP (``tls_context``, ``authenticator``, ...);
    ``ssl_context`` makes it speak TLS from the first byte; ``inbox`` may be a
    ``RefusingInbox``."""

    def __init__(
        self,
        ssl_context: ssl.SSLContext | None = None,
        inbox: Inbox | None = None,
        **smtp_parameters: Any,
    ) -> None:
        self.inbox = inbox or Inbox()
        self.port = free_port()
        self.controller = Controller(
            self.inbox,
            hostname="127.0.0.1",
            port=self.port,
            ssl_context=ssl_context,
            **smtp_parameters,
        )

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()


@dataclass(frozen=True)
class Certificate:
    """A self-signed certificate for 127.0.0.1 and localhost: ``cert`` (PEM) doubles as the
    CA file a client trusts."""

    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        return context


CERTIFICATE_VALID_FROM = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
CERTIFICATE_VALID_UNTIL = datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC)


def self_signed_certificate(directory: Path) -> Certificate:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "pengaduan-test-smtp")])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        # Valid over any day a test may run on, read on no clock: OpenSSL checks it against the
        # machine's, which the shifted-date runs do not move (tests/support/shifted_clock.py).
        .not_valid_before(CERTIFICATE_VALID_FROM)
        .not_valid_after(CERTIFICATE_VALID_UNTIL)
        .add_extension(
            x509.SubjectAlternativeName(
                [
                    x509.DNSName("localhost"),
                    x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                ]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "smtp-cert.pem", directory / "smtp-key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return Certificate(cert=cert_path, key=key_path)


class Credentials:
    """An aiosmtpd ``authenticator`` that accepts one login, and notes the mechanisms used."""

    def __init__(self, username: str, password: str) -> None:
        self.username = username
        self.password = password
        self.mechanisms: list[str] = []

    def __call__(
        self,
        server: Any,  # noqa: ARG002 - aiosmtpd's authenticator signature
        session: Any,  # noqa: ARG002
        envelope: Any,  # noqa: ARG002
        mechanism: str,
        auth_data: Any,
    ) -> AuthResult:
        self.mechanisms.append(mechanism)
        accepted = isinstance(auth_data, LoginPassword) and (
            auth_data.login.decode(),
            auth_data.password.decode(),
        ) == (self.username, self.password)
        return AuthResult(success=accepted, handled=False)
