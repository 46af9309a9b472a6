"""No log line carries a complainant's email address or telephone number (UU 27/2022): a mail
server's refusal quoted in a warning, or an exception's message in a traceback, is written with
placeholders, in JSON and in text; ids, tracking codes, times and addresses of servers stay."""

from __future__ import annotations

import json
import logging
import smtplib

import pytest

from shared.runtime.log_setup import configure_logging
from shared.runtime.settings import Settings

EMAIL = "siti.aminah@example.id"
PHONES = ("+6281234567890", "0812-3456-7890", "+62 812 3456 7890")
KEPT = "PGD-7KQ2-M9XD 3f1c2b9e-8d7a-4c55-9a0e-2b1d6f4e7a10 127.0.0.1:8025 2026-12-07T10:00:00"


def refuse() -> None:
    raise smtplib.SMTPRecipientsRefused({EMAIL: (550, b"5.1.1 unknown")})


def lines(capsys: pytest.CaptureFixture[str]) -> str:
    logger = logging.getLogger("tests.redaction")
    logger.warning("answer on email for %s failed for good: 550 %s: no such mailbox", KEPT, EMAIL)
    logger.info("sms to %s, %s or %s refused", *PHONES)
    try:
        refuse()
    except smtplib.SMTPRecipientsRefused:
        logger.exception("delivery to %s failed", PHONES[0])
    return capsys.readouterr().err


@pytest.mark.parametrize("log_format", ["json", "text"])
def test_emails_and_phone_numbers_never_reach_a_log_line(
    capsys: pytest.CaptureFixture[str], log_format: str
) -> None:
    configure_logging("tests", Settings(logs={"format": log_format, "level": "INFO"}))
    capsys.readouterr()

    written = lines(capsys)

    assert EMAIL not in written
    assert not any(phone in written for phone in PHONES)
    assert "[email]" in written and "[nomor telepon]" in written
    assert KEPT in written
    assert "SMTPRecipientsRefused" in written  # the traceback is kept, redacted
    if log_format == "json":
        records = [json.loads(line) for line in written.splitlines() if line.startswith("{")]
        assert [r["message"] for r in records if r["logger"] == "tests.redaction"][2] == (
            "delivery to [nomor telepon] failed"
        )
        assert any("exc_info" in r for r in records)
