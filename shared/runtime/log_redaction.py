"""No log line carries an email address or a telephone number (UU 27/2022): a complainant's
contacts must not outlive their erasure in a log file. The services log ids and tracking codes,
never a name, a contact or a complaint's text; but a mail server's or gateway's answer quoted in
a line ("550 siti@example.id: mailbox unavailable"), or an exception's message, may carry an
address. The formatter of the one handler every process logs through
(``shared.runtime.log_setup``) replaces each with a placeholder, in the message and in the
traceback, as the line is written."""

from __future__ import annotations

import logging
import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A telephone number as a person or a gateway writes it: +62 or 0 then eight to fourteen
# digits, maybe spaced or dashed (0812-3456-7890, +62 812 3456 7890). Not inside a longer word
# or id (a UUID's last group, a tracking code, a port, a timestamp).
PHONE = re.compile(r"(?<![\w.:/-])(?:\+\d{1,3}[ -]?|0)\d(?:[ -]?\d){7,13}(?![\w-])")
EMAIL_PLACEHOLDER = "[email]"
PHONE_PLACEHOLDER = "[nomor telepon]"


def redacted(text: str) -> str:
    """``text`` with every email address and telephone number replaced by a placeholder."""
    return PHONE.sub(PHONE_PLACEHOLDER, EMAIL.sub(EMAIL_PLACEHOLDER, text))


class RedactingFormatter(logging.Formatter):
    """Formats as ``inner`` does, then redacts the whole line (message, fields, traceback).
    The record itself is left as it was: other handlers (a test's log capture) see it whole."""

    def __init__(self, inner: logging.Formatter) -> None:
        super().__init__()
        self.inner = inner

    def format(self, record: logging.LogRecord) -> str:
        return redacted(self.inner.format(record))
