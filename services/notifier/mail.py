"""Email out: an ``EmailSender`` interface, an SMTP sender and a local Maildir sender.

Which one runs is a setting: ``PENGADUAN_SMTP_HOST`` set means SMTP; unset keeps the mail in a
Maildir under ``var/mail`` (a standard mailbox that mail readers open) for a person to read.
"""

from __future__ import annotations

import contextlib
import mailbox
import smtplib
import uuid
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr
from pathlib import Path
from typing import Protocol

from shared.db import utcnow
from shared.settings import Settings


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
    *, mail_from: str, to_name: str, to_address: str, subject: str, body: str, message_id: str
) -> EmailMessage:
    message = EmailMessage()  # policy=default: UTF-8 headers and body, RFC 6532 where needed
    message["From"] = mail_from
    # Header values are one line: a line break in a citizen's name must not fail the send.
    message["To"] = formataddr((" ".join(to_name.split()), to_address))
    message["Subject"] = " ".join(subject.split())
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: out-of-office replies stay away
    message.set_content(body, charset="utf-8")
    return message


class SmtpSender:
    """Delivers through an SMTP server, telling apart failures worth a retry from final ones."""

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.host = host
        self.port = port
        self.timeout = timeout

    def send(self, message: EmailMessage) -> None:
        smtp = smtplib.SMTP(timeout=self.timeout)
        try:
            smtp.connect(self.host, self.port)
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
            # Connection refused, timeouts, a dropped connection, a refused greeting, HELO or
            # sender: the server's or the office's state, not this message's. Dropping every
            # notification for a misconfigured From would be worse than retrying them.
            raise TransientMailError(f"SMTP {self.host}:{self.port}: {exc!r}") from exc
        finally:
            smtp.close()
        if refused:  # some (not all) recipients refused; we only ever send to one
            raise _refusal(refused)


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


def email_sender(settings: Settings) -> EmailSender:
    if settings.smtp_host:
        return SmtpSender(settings.smtp_host, settings.smtp_port, settings.smtp_timeout_seconds)
    return MaildirSender(settings.mail_dir)
