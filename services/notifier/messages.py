"""What is said to complainants and staff by email, in Bahasa Indonesia and in the SOP's terms.

The wording lives in Jinja2 templates under ``templates/`` (``<kind>.txt`` and ``<kind>.html``
per notification kind, each extending ``layout.*``), so that changing what people read never
touches the delivery logic. Subject lines are short enough to stay here as data.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from services.notifier.sop_words import sop_words
from shared.messaging.contracts import NotificationKind, NotificationRequestedV1
from shared.runtime.settings import Settings, get_settings
from shared.wording.time_words import time_words

OFFICE = "DPMPTSP Kota Madiun"


@dataclass(frozen=True)
class Composed:
    subject: str
    body: str  # plain text (the inbox and the email's text/plain part)
    html: str  # the email's text/html alternative


class IncompleteNotification(ValueError):
    """A notification lacks what its kind needs (an ANSWER without the answer): no retry helps."""


SUBJECTS: dict[NotificationKind, str] = {
    NotificationKind.FILED: "Laporan pengaduan {tracking_code} telah kami terima",
    # Short: a subject past 69 characters may be folded whole onto a second header line, which
    # Python's own parser (and some clients) then read with a leading space.
    NotificationKind.REGISTERED: "Laporan pengaduan {tracking_code} telah teregister",
    NotificationKind.VERIFIED: "Laporan pengaduan {tracking_code} telah diverifikasi",
    NotificationKind.ANSWER: "Jawaban pengaduan {tracking_code}: {subject}",
    NotificationKind.INFORMATION_REQUESTED: (
        "Laporan pengaduan {tracking_code} memerlukan kelengkapan data"
    ),
    NotificationKind.INFORMATION_REMINDER: (
        "Pengingat: laporan pengaduan {tracking_code} menunggu kelengkapan data"
    ),
    NotificationKind.CLOSED_NO_RESPONSE: (
        "Laporan pengaduan {tracking_code} ditutup: tidak ada tanggapan"
    ),
    NotificationKind.DECLINED: "Laporan pengaduan {tracking_code} tidak dapat ditindaklanjuti",
    NotificationKind.DUPLICATE: (
        "Laporan pengaduan {tracking_code} digabungkan dengan laporan yang sama"
    ),
    NotificationKind.WORKLIST_ARRIVAL: (
        "Laporan pengaduan {tracking_code} masuk ke daftar kerja Anda"
    ),
    NotificationKind.SLA_WARNING: (
        "Peringatan batas waktu Mutu Baku: laporan pengaduan {tracking_code}"
    ),
    NotificationKind.SLA_BREACH: (
        "Pelanggaran standar waktu: laporan pengaduan {tracking_code} terlambat"
    ),
    NotificationKind.DISPOSITION_ASSIGNED: (
        "Disposisi untuk Anda: laporan pengaduan {tracking_code}"
    ),
}

# Kinds whose ``note`` is the point of the message: the reason or request for the complainant;
# the step, due time and lateness for staff told of the Mutu Baku.
NEEDS_NOTE = (
    NotificationKind.INFORMATION_REQUESTED,
    NotificationKind.DECLINED,
    NotificationKind.SLA_WARNING,
    NotificationKind.SLA_BREACH,
    NotificationKind.DISPOSITION_ASSIGNED,
)

# The office's own words (the answer, a reason or request) are reproduced verbatim: the plain
# text is rendered with a placeholder in their place, wrapped, and only then are they put in.
VERBATIM_FIELDS = ("answer", "note")
PLACEHOLDER = re.compile("\x00(answer|note)\x00")


def _lines(text: str) -> Markup:
    """The office's text in HTML: escaped (it is untrusted), its line breaks kept as ``<br>``
    (with ``white-space: pre-wrap`` on the box for runs of spaces; some clients ignore it)."""
    return Markup("<br>").join(escape(line) for line in text.splitlines())


_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    # On for .html: names, subjects and answers are other people's text. Off for .txt, where
    # "&amp;" would be a visible mistake.
    autoescape=select_autoescape(enabled_extensions=("html",), default=False),
    undefined=StrictUndefined,  # a misspelt field fails the test suite, not a citizen's email
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,  # an included block of lines ends its last line
)
_templates.filters["lines"] = _lines


# Kinds that are about the reply deadline of a request for information and must name it.
NEEDS_REPLY_DUE = (NotificationKind.INFORMATION_REMINDER, NotificationKind.CLOSED_NO_RESPONSE)


def check_complete(msg: NotificationRequestedV1) -> None:
    if msg.kind is NotificationKind.ANSWER and not msg.answer:
        raise IncompleteNotification(f"notification {msg.message_id} of kind answer has no answer")
    if msg.kind in NEEDS_REPLY_DUE and msg.reply_due_at is None:
        raise IncompleteNotification(f"notification {msg.message_id} ({msg.kind}) has no deadline")
    if msg.kind in NEEDS_NOTE and not msg.note:
        raise IncompleteNotification(f"notification {msg.message_id} ({msg.kind}) has no note")


def compose(
    msg: NotificationRequestedV1,
    *,
    settings: Settings | None = None,
    intake_url: str | None = None,
) -> Composed:
    """The subject, plain text and HTML of ``msg`` for its recipient. The links come from
    ``settings`` (the tracking page, or the console for staff); ``intake_url``, the older way
    of calling, stands for the settings with that public intake address."""
    check_complete(msg)
    settings = settings or get_settings()
    web = settings.web
    if intake_url is not None:
        web = web.model_copy(update={"public_intake_url": intake_url})
    fields = {
        "reply_due": reply_due_words(msg, settings),
        "reopen_until": reopen_until_words(msg, settings),
        "name": msg.recipient.name,
        "tracking_code": msg.tracking_code,
        "subject": msg.subject,
        "office": OFFICE,
        "tracking_url": web.tracking_url(msg.tracking_code),
        "console_url": web.console_url,
        "sop": sop_words(msg.kind),
    }
    verbatim = {"answer": msg.answer or "", "note": msg.note or ""}
    # Only the subject template is parsed by format(); braces in citizens' text are left alone.
    subject = SUBJECTS[msg.kind].format(**fields)
    placeholders = {f: f"\x00{f}\x00" if verbatim[f] else "" for f in VERBATIM_FIELDS}
    text = _wrap(_templates.get_template(f"{msg.kind.value}.txt").render(fields | placeholders))
    text = PLACEHOLDER.sub(lambda match: verbatim[match[1]], text)
    html = _templates.get_template(f"{msg.kind.value}.html").render(
        fields | verbatim, title=subject
    )
    return Composed(subject=subject, body=text, html=html)


def reply_due_words(msg: NotificationRequestedV1, settings: Settings) -> str:
    """The reply deadline as people read it ("18 Desember 2026, 16.00 WIB"), or ""."""
    if msg.reply_due_at is None:
        return ""
    return time_words(msg.reply_due_at, ZoneInfo(settings.office.timezone))


def reopen_until_words(msg: NotificationRequestedV1, settings: Settings) -> str:
    """Until when an answer may be rated and asked to be reopened, as people read it, or ""."""
    if msg.reopen_until is None:
        return ""
    return time_words(msg.reopen_until, ZoneInfo(settings.office.timezone))


def _wrap(text: str, width: int = 76) -> str:
    """Plain-text mail convention: short lines, so the mail reads well even as a raw file (and
    ASCII stays 7bit instead of quoted-printable). Words and URLs are never split."""
    return "\n".join(
        textwrap.fill(line, width, break_long_words=False, break_on_hyphens=False)
        if len(line) > width
        else line
        for line in text.split("\n")
    )
