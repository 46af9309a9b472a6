"""What is said to the complainant, in Bahasa Indonesia and in the SOP's own terms.

One template per notification kind; the wording lives here as data so that changing what people
read never touches the delivery logic.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

from shared.contracts import NotificationKind, NotificationRequestedV1

OFFICE = "DPMPTSP Kota Madiun"
SIGNATURE = (
    "Hormat kami,\n"
    "Admin Pengaduan\n"
    "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu (DPMPTSP) Kota Madiun\n"
    "\n"
    "Pesan ini dikirim otomatis oleh Sistem Pengaduan; mohon tidak membalas pesan ini."
)


@dataclass(frozen=True)
class Template:
    subject: str
    body: str


@dataclass(frozen=True)
class Composed:
    subject: str
    body: str


class IncompleteNotification(ValueError):
    """A notification lacks what its kind needs (an ANSWER without the answer): no retry helps."""


TEMPLATES: dict[NotificationKind, Template] = {
    NotificationKind.FILED: Template(
        subject="Laporan pengaduan {tracking_code} telah kami terima",
        body=(
            "Yth. {name},\n"
            "\n"
            "Laporan pengaduan Anda telah kami terima dan teregister pada Sistem Pengaduan "
            "{office}.\n"
            "\n"
            "Kode pelacakan : {tracking_code}\n"
            "Perihal        : {subject}\n"
            "\n"
            "Anda dapat mengikuti perkembangan laporan pengaduan Anda di {intake_url} dengan kode "
            "pelacakan di atas dan token akses yang diberikan saat pengaduan diajukan. Demi "
            "keamanan, token akses tidak dicantumkan dalam pesan ini; simpan token tersebut dan "
            "jangan berikan kepada siapa pun.\n"
            "\n"
            "Laporan pengaduan Anda akan ditelaah dan diverifikasi, didisposisi, lalu "
            "ditindaklanjuti oleh Tim Koordinasi Perizinan. Jawaban pengaduan akan kami kirimkan "
            "kepada Anda melalui sistem.\n"
            "\n"
            "{signature}\n"
        ),
    ),
    NotificationKind.ANSWER: Template(
        subject="Jawaban pengaduan {tracking_code}: {subject}",
        body=(
            "Yth. {name},\n"
            "\n"
            "Laporan pengaduan Anda telah ditindaklanjuti. Berikut jawaban pengaduan dari "
            "{office}.\n"
            "\n"
            "Kode pelacakan : {tracking_code}\n"
            "Perihal        : {subject}\n"
            "\n"
            "Jawaban pengaduan:\n"
            "{answer}\n"
            "\n"
            "Jawaban ini juga dapat Anda lihat di {intake_url} dengan kode pelacakan dan token "
            "akses laporan pengaduan Anda.\n"
            "\n"
            "{signature}\n"
        ),
    ),
    NotificationKind.INFORMATION_REQUESTED: Template(
        subject="Laporan pengaduan {tracking_code} memerlukan kelengkapan data",
        body=(
            "Yth. {name},\n"
            "\n"
            "Untuk menelaah laporan pengaduan Anda, Kepala Seksi memerlukan kelengkapan data "
            "berikut:\n"
            "\n"
            "{note}\n"
            "\n"
            "Kode pelacakan : {tracking_code}\n"
            "Perihal        : {subject}\n"
            "\n"
            "Kirimkan kelengkapan data melalui {intake_url} dengan kode pelacakan dan token akses "
            "laporan pengaduan Anda. Laporan pengaduan akan ditelaah kembali setelah kelengkapan "
            "data kami terima.\n"
            "\n"
            "{signature}\n"
        ),
    ),
    NotificationKind.DECLINED: Template(
        subject="Laporan pengaduan {tracking_code} tidak dapat ditindaklanjuti",
        body=(
            "Yth. {name},\n"
            "\n"
            "Setelah ditelaah, laporan pengaduan Anda tidak dapat ditindaklanjuti oleh {office}, "
            "dengan alasan berikut:\n"
            "\n"
            "{note}\n"
            "\n"
            "Kode pelacakan : {tracking_code}\n"
            "Perihal        : {subject}\n"
            "\n"
            "{signature}\n"
        ),
    ),
    NotificationKind.DUPLICATE: Template(
        subject="Laporan pengaduan {tracking_code} digabungkan dengan laporan yang sama",
        body=(
            "Yth. {name},\n"
            "\n"
            "Laporan pengaduan Anda sama dengan laporan pengaduan yang sedang kami tangani, "
            "sehingga keduanya kami gabungkan. Jawaban pengaduan akan dikirimkan kepada Anda "
            "begitu tersedia.\n"
            "\n"
            "Kode pelacakan : {tracking_code}\n"
            "Perihal        : {subject}\n"
            "\n"
            "{signature}\n"
        ),
    ),
}

# The office's own words are reproduced verbatim; only the template text around them is wrapped.
VERBATIM = re.compile(r"(\{answer\}|\{note\})")


NEEDS_NOTE = (NotificationKind.INFORMATION_REQUESTED, NotificationKind.DECLINED)


def check_complete(msg: NotificationRequestedV1) -> None:
    if msg.kind is NotificationKind.ANSWER and not msg.answer:
        raise IncompleteNotification(f"notification {msg.message_id} of kind answer has no answer")
    if msg.kind in NEEDS_NOTE and not msg.note:
        raise IncompleteNotification(f"notification {msg.message_id} ({msg.kind}) has no note")


def compose(msg: NotificationRequestedV1, *, intake_url: str) -> Composed:
    """The subject and plain-text body of ``msg`` for its recipient."""
    check_complete(msg)
    template = TEMPLATES[msg.kind]
    # Only the templates are parsed by format(); braces in citizens' text are left alone.
    fields = {
        "name": msg.recipient.name,
        "tracking_code": msg.tracking_code,
        "subject": msg.subject,
        "answer": msg.answer or "",
        "note": msg.note or "",
        "intake_url": intake_url,
        "office": OFFICE,
        "signature": SIGNATURE,
    }
    body = "".join(
        fields[part[1:-1]] if VERBATIM.fullmatch(part) else _wrap(part.format(**fields))
        for part in VERBATIM.split(template.body)
    )
    return Composed(subject=template.subject.format(**fields), body=body)


def _wrap(text: str, width: int = 76) -> str:
    """Plain-text mail convention: short lines, so the mail reads well even as a raw file (and
    ASCII stays 7bit instead of quoted-printable). Words and URLs are never split."""
    return "\n".join(
        textwrap.fill(line, width, break_long_words=False, break_on_hyphens=False)
        if len(line) > width
        else line
        for line in text.split("\n")
    )
