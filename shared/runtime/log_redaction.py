"""No log line carries an email address or a telephone number (UU 27/2022): a complainant's
contacts must not outlive their erasure in a log file. The services log ids and tracking codes,
never a name, a contact or a complaint's text; but a mail server's or gateway's answer quoted in
a line ("550 siti@example.id: mailbox unavailable"), or an exception's message, may carry an
address. This filter, on the one handler every process logs through
(``shared.runtime.log_setup``), replaces each with a placeholder, in the message and in the
traceback, before the line is written."""

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


class PersonalDataFilter(logging.Filter):
    """Rewrites the record's message (arguments merged in) and its traceback, redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) or record.args:
            message = record.getMessage()
            clean = redacted(message)
            if clean != message:
                record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redacted(record.exc_text)
            record.exc_info = None  # the formatters then write the redacted text instead
        return True
