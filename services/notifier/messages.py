"""What is said to the complainant, in Bahasa Indonesia and in the SOP's own terms.

One template per notification kind; the wording lives here as data so that changing what people
read never touches the delivery logic.
"""

from __future__ import annotations

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
}


def check_complete(msg: NotificationRequestedV1) -> None:
    if msg.kind is NotificationKind.ANSWER and not msg.answer:
        raise IncompleteNotification(f"notification {msg.message_id} of kind answer has no answer")


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
        "intake_url": intake_url,
        "office": OFFICE,
        "signature": SIGNATURE,
    }
    # The answer is the office's own text: reproduced verbatim, only the template around it wraps.
    before, verbatim, after = template.body.partition("{answer}")
    body = _wrap(before.format(**fields))
    if verbatim:
        body += fields["answer"] + _wrap(after.format(**fields))
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
