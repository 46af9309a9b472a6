"""Email out: an ``EmailSender`` interface, an SMTP sender and a local Maildir sender.

Which one runs is a setting: ``PENGADUAN_SMTP_HOST`` set means SMTP; unset keeps the mail in a
Maildir under ``var/mail`` (a standard mailbox that mail readers open) for a person to read.
SMTP speaks plain, STARTTLS or implicit TLS (``PENGADUAN_SMTP_SECURITY``), always verifying the
server's certificate, and logs in when a username is set.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import mailbox
import smtplib
import ssl
import uuid
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr
from pathlib import Path
from typing import Any, Literal, Protocol

from shared.database.engine import utcnow
from shared.runtime.settings import Settings

log = logging.getLogger(__name__)

Security = Literal["none", "starttls", "ssl"]


class TransientMailError(Exception):
    """The mail server cannot take the message now (down, timeout, 4xx): try again later."""


class PermanentMailError(Exception):
    """The mail server refused the message for good (5xx): another try cannot succeed."""


class EmailSender(Protocol):
    def send(self, message: EmailMessage) -> None:
        """Hand ``message`` on; ``TransientMailError`` or ``PermanentMailError`` if it failed."""


def message_id_for(notification_id: uuid.UUID, channel: str, mail_from: str) -> str:
    """The same notification on the same channel always gets the same ``Message-ID``, so a
    resend after a crash is recognisably the same message (and mail clients may fold it)."""
    domain = parseaddr(mail_from)[1].rpartition("@")[2] or "pengaduan.invalid"
    return f"<{notification_id}.{channel}@{domain}>"


def build_email(
    *,
    mail_from: str,
    to_name: str,
    to_address: str,
    subject: str,
    body: str,
    message_id: str,
    html: str | None = None,
) -> EmailMessage:
    """The email, as multipart/alternative when ``html`` is given: the plain text first, so
    clients that prefer it (or cannot show HTML) read it, the HTML last, as the preferred one."""
    message = EmailMessage()  # policy=default: UTF-8 headers and body, RFC 6532 where needed
    message["From"] = mail_from
    # Header values are one line: a line break in a citizen's name must not fail the send.
    message["To"] = formataddr((" ".join(to_name.split()), to_address))
    message["Subject"] = " ".join(subject.split())
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: out-of-office replies stay away
    message.set_content(body, charset="utf-8")
    if html is not None:
        message.add_alternative(html, subtype="html", charset="utf-8")
    return message


class _Smtp(smtplib.SMTP):
    """smtplib checks the TLS certificate against the host given to its constructor, which
    would also connect there, outside the error handling in ``SmtpSender.send``; here the host
    given to ``connect`` is the one checked."""

    def connect(
        self, host: str = "localhost", port: int = 0, source_address: Any = None
    ) -> tuple[int, bytes]:
        self._host = host
        return super().connect(host, port, source_address)


class _SmtpSsl(_Smtp, smtplib.SMTP_SSL):
    pass


class SmtpSender:
    """Delivers through an SMTP server, telling apart failures worth a retry from final ones."""

    def __init__(
        self,
        host: str,
        port: int,
        timeout: float,
        *,
        security: Security = "none",
        username: str | None = None,
        password: str | None = None,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.timeout = timeout
        self.security = security
        self.username = username
        self.password = password
        self.tls = tls or ssl.create_default_context()

    def send(self, message: EmailMessage) -> None:
        smtp = (
            _SmtpSsl(timeout=self.timeout, context=self.tls)
            if self.security == "ssl"
            else _Smtp(timeout=self.timeout)
        )
        try:
            self._open(smtp)
            refused = smtp.send_message(message)
            # The server accepted the DATA: a failing QUIT changes nothing.
            with contextlib.suppress(OSError, smtplib.SMTPException):
                smtp.quit()
        except smtplib.SMTPRecipientsRefused as exc:
            raise _refusal(exc.recipients) from exc
        except smtplib.SMTPNotSupportedError as exc:
            # A non-ASCII address and a server without SMTPUTF8: it never will carry this one.
            raise PermanentMailError(f"SMTP {self.host}:{self.port}: {exc}") from exc
        except smtplib.SMTPDataError as exc:
            # The message itself refused (552 too large, 554 rejected): a 5xx is final.
            raise _reply_error(exc.smtp_code, exc.smtp_error) from exc
        except (OSError, smtplib.SMTPException) as exc:
            # Connection refused, timeouts, a dropped connection, a certificate that does not
            # verify, a refused greeting, HELO or sender: the server's or the office's state,
            # not this message's. Dropping every notification for a misconfigured From would be
            # worse than retrying them.
            raise TransientMailError(f"SMTP {self.host}:{self.port}: {exc!r}") from exc
        finally:
            smtp.close()
        if refused:  # some (not all) recipients refused; we only ever send to one
            raise _refusal(refused)

    def _open(self, smtp: smtplib.SMTP) -> None:
        """Connect, upgrade to TLS and log in as configured. Whatever fails here is the office's
        server or configuration, never the message: every failure is transient, so the mail
        waits (retried with backoff) until someone fixes it, instead of being dropped."""
        code, greeting = smtp.connect(self.host, self.port)
        if code != 220:  # not "220 ready": a busy or refusing server
            raise smtplib.SMTPConnectError(code, greeting)
        smtp.ehlo_or_helo_if_needed()
        if self.security == "starttls":
            if not smtp.has_extn("starttls"):
                # Sending anyway would put citizens' names and complaints on the wire in clear
                # text; the server (or something in between stripping the offer) must be fixed.
                raise TransientMailError(
                    f"SMTP {self.host}:{self.port} does not offer STARTTLS, which "
                    "PENGADUAN_SMTP_SECURITY=starttls requires: nothing sent"
                )
            smtp.starttls(context=self.tls)  # verifies the certificate and the host name
        if self.username:
            self._login(smtp, self.username)

    def _login(self, smtp: smtplib.SMTP, username: str) -> None:
        try:
            smtp.login(username, self.password or "")
        except smtplib.SMTPAuthenticationError as exc:
            # 535: wrong username or password. The office's configuration, not the message:
            # transient, so nothing is lost while the credentials are being fixed.
            log.exception(
                "SMTP %s:%s refused the login of %r; mail waits until "
                "PENGADUAN_SMTP_USERNAME / PENGADUAN_SMTP_PASSWORD are fixed",
                self.host,
                self.port,
                username,
            )
            raise TransientMailError(
                f"SMTP {self.host}:{self.port}: login refused: {exc.smtp_code}"
            ) from exc
        except smtplib.SMTPNotSupportedError as exc:
            # No AUTH offered (often: only after STARTTLS, and security is "none").
            raise TransientMailError(
                f"SMTP {self.host}:{self.port} offers no login (AUTH); is "
                "PENGADUAN_SMTP_SECURITY right?"
            ) from exc


def _reply_error(code: int, error: bytes | str) -> Exception:
    text = error.decode(errors="replace") if isinstance(error, bytes) else error
    if code >= 500:  # SMTP reply classes: 5xx permanent, 4xx transient
        return PermanentMailError(f"{code} {text}")
    return TransientMailError(f"{code} {text}")


def _refusal(recipients: dict[str, tuple[int, bytes]]) -> Exception:
    """A 5xx for a recipient is final (no such mailbox); a 4xx (mailbox busy) is not."""
    errors = [
        _reply_error(code, f"{addr}: {err.decode(errors='replace')}")
        for addr, (code, err) in recipients.items()
    ]
    if all(isinstance(e, PermanentMailError) for e in errors):
        return PermanentMailError("; ".join(map(str, errors)))
    return TransientMailError("; ".join(map(str, errors)))


class MaildirSender:
    """Keeps mail in a local Maildir (``new/`` holds one file per email) when no SMTP is set."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def send(self, message: EmailMessage) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)  # Maildir makes only the last
            box = mailbox.Maildir(self.path, create=True)
            box.add(message)
        except OSError as exc:  # a full or read-only disk may recover; a retry will tell
            raise TransientMailError(f"Maildir {self.path}: {exc!r}") from exc


@functools.lru_cache(maxsize=8)
def tls_context(ca_file: Path | None) -> ssl.SSLContext:
    """Certificates are always verified: against the system's CAs, plus ``ca_file`` (the
    office's private CA, or a self-signed server certificate) when given.

    One context per CA file for the life of the process: building it loads the system's CA
    store, milliseconds of CPU that every email would otherwise pay (a new CA file takes a
    restart, as every setting does)."""
    context = ssl.create_default_context()
    if ca_file is not None:
        context.load_verify_locations(cafile=ca_file)
    return context


def email_sender(settings: Settings) -> EmailSender:
    if settings.mail.host:
        password = settings.mail.password
        return SmtpSender(
            settings.mail.host,
            settings.mail.port,
            settings.mail.timeout_seconds,
            security=settings.mail.security,
            username=settings.mail.username,
            password=password.get_secret_value() if password else None,
            tls=tls_context(settings.mail.ca_file),
        )
    return MaildirSender(settings.mail_dir)
