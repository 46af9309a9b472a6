"""A case's record (``history.events_of``, the events the API's /history returns) told in
Indonesian for the console's timeline."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from services.workflow.cases.notes import NOTE_KIND, NOTE_LABEL
from services.workflow.models import CaseEvent
from services.workflow.sla.report import role_label
from shared.sop import PATHS, STEP_BY_NUMBER, STEPS, InputKind
from shared.wording.received_via import received_via_label
from shared.wording.time_words import day_words

CHANNEL_LABELS = {"email": "Email", "sms": "SMS", "app": "Aplikasi", "whatsapp": "WhatsApp"}
# A channel the complainant did not choose, tried after every chosen one failed for good.
FALLBACK_LABEL = "cadangan"
NOTIFICATION_LABELS = {
    "filed": "Tanda terima pengaduan",
    "registered": "Pemberitahuan laporan teregister",
    "verified": "Hasil verifikasi",
    "answer": "Jawaban pengaduan",
    "information_requested": "Permintaan kelengkapan data",
    "information_reminder": "Pengingat batas waktu tanggapan",
    "closed_no_response": "Penutupan: tidak ada tanggapan",
    "declined": "Penolakan",
    "duplicate": "Pemberitahuan laporan duplikat",
    "worklist_arrival": "Pemberitahuan daftar kerja",
    "sla_warning": "Peringatan Mutu Baku",
    "sla_breach": "Pelanggaran Mutu Baku",
    "disposition_assigned": "Pemberitahuan disposisi",
}
DELIVERY_STATUS = {"sent": "terkirim", "failed": "gagal", "resend_requested": "dikirim ulang"}
DATE_INPUTS = frozenset(
    f.name
    for inputs in [*(s.inputs for s in STEPS), *(p.inputs for p in PATHS)]
    for f in inputs
    if f.kind is InputKind.DATE
)


def input_labels() -> dict[str, str]:
    """Labels of everything a person may submit, from the SOP's own field definitions."""
    return {
        **{f.name: f.label for s in STEPS for f in s.inputs},
        **{f.name: f.label for p in PATHS for f in p.inputs},
        "message": "Pesan pengadu",
        "text": "Isi catatan",
        "comment": "Komentar pengadu",
        "reason": "Alasan",
    }


@dataclass(frozen=True)
class Entry:
    when: Any
    actor: str
    role: str | None
    text: str
    details: tuple[tuple[str, str], ...]
    late: bool  # the step took longer than its standard
    note: bool  # an internal note: for staff only


def _step_text(step: int | None) -> str:
    if step is None:
        return ""
    known = STEP_BY_NUMBER.get(step)
    return f"langkah {step} ({known.name})" if known else f"langkah {step}"


def _minutes(event: CaseEvent) -> str:
    if event.minutes_taken is None:
        return ""
    taken = f"{event.minutes_taken:.1f}".replace(".", ",").removesuffix(",0")
    return f" dalam {taken} menit kerja (waktu baku {event.standard_minutes} menit)"


def _label(labels: dict[str, str], value: Any) -> str:
    return labels.get(str(value), str(value))


def _path(e: CaseEvent, out: dict[str, Any]) -> str:
    return f"{out.get('label', 'Jalur lain')} (dari langkah {e.step}){_minutes(e)}"


def _claimed(_e: CaseEvent, out: dict[str, Any]) -> str:
    over = out.get("taken_over_from")
    return "Mengambil laporan untuk ditangani" + (f", menggantikan {over}" if over else "")


def _notified(_e: CaseEvent, out: dict[str, Any]) -> str:
    what = _label(NOTIFICATION_LABELS, out.get("kind"))
    channel = _label(CHANNEL_LABELS, out.get("channel"))
    if out.get("fallback"):
        channel += f" ({FALLBACK_LABEL})"
    return f"{what} melalui {channel}: {_label(DELIVERY_STATUS, out.get('status'))}"


def _filed(_e: CaseEvent, out: dict[str, Any]) -> str:
    if "received_via" not in out:
        return "Laporan pengaduan diajukan oleh pengadu"
    way = received_via_label(out["received_via"]).lower()
    text = f"Mencatat laporan pengaduan yang diterima melalui {way}"
    receipt = out.get("receipt_code")
    if receipt:
        text += (
            f". Kode pada tanda terima ({receipt}) ternyata sudah dipakai: laporan ini teregister "
            "dengan kode di atas; beri tahu pengadu kode barunya"
        )
    return text


def _resend(_e: CaseEvent, out: dict[str, Any]) -> str:
    channel = _label(CHANNEL_LABELS, out.get("channel"))
    return f"Meminta pengiriman ulang pemberitahuan melalui {channel}"


# What each kind of event says, from the event and its output.
DESCRIPTIONS: dict[str, Callable[[CaseEvent, dict[str, Any]], str]] = {
    "filed": _filed,
    "arrived": lambda e, _o: f"Laporan pengaduan tiba di {_step_text(e.step)}",
    "completed": lambda e, _o: f"Menyelesaikan {_step_text(e.step)}{_minutes(e)}",
    "path": _path,
    "claimed": _claimed,
    "released": lambda _e, _o: "Melepas laporan kembali ke daftar kerja bersama",
    "notified": _notified,
    "resend_requested": _resend,
    "complainant_replied": lambda _e, _o: "Pengadu mengirim kelengkapan data",
    "attachment_added": lambda _e, o: f"Pengadu melampirkan berkas {o.get('filename', '')}",
    "breached": lambda e, _o: f"Melewati waktu baku di {_step_text(e.step)}",
    NOTE_KIND: lambda e, _o: f"{NOTE_LABEL}" + (f" di {_step_text(e.step)}" if e.step else ""),
    "reply_reminded": lambda _e, _o: "Mengirim pengingat batas waktu tanggapan kepada pengadu",
    "closed_no_response": lambda _e, _o: (
        "Ditutup: tidak ada tanggapan dari pengadu sampai batas waktu"
    ),
    "rated": lambda _e, o: (
        f"Pengadu menilai jawaban ke-{o.get('round')}: nilai {o.get('score')} "
        + ("(puas)" if o.get("satisfied") else "(tidak puas)")
    ),
    "reopened": lambda e, _o: f"Laporan pengaduan dibuka kembali, kembali ke {_step_text(e.step)}",
    "reopen_refused": lambda _e, o: f"Permintaan dibuka kembali tidak diproses: {o.get('why')}",
    "closed": lambda _e, _o: "Ditutup: masa dibuka kembali berakhir tanpa permintaan",
    "surveyed": lambda _e, o: (
        f"Pengadu mengisi Survei Kepuasan Masyarakat untuk jawaban ke-{o.get('round')}"
    ),
    "service_corrected": lambda _e, o: (
        f"Mengoreksi layanan perizinan: {o.get('from') or 'tidak disebut'} menjadi "
        f"{o.get('to') or 'tidak disebut'}"
    ),
    "personal_data_erased": lambda _e, o: (
        "Data pribadi pengadu dihapus: "
        + ("atas permintaan pengadu" if o.get("reason") == "request" else "masa simpan berakhir")
    ),
}


def _describe(event: CaseEvent) -> str:
    describe = DESCRIPTIONS.get(event.kind)
    return describe(event, event.output or {}) if describe else event.kind


# Events whose input is shown under them (what a person wrote).
DETAILED = frozenset(
    {"completed", "path", "complainant_replied", NOTE_KIND, "rated", "reopened", "reopen_refused"}
)


def _details(event: CaseEvent) -> tuple[tuple[str, str], ...]:
    if event.kind not in DETAILED:
        return ()
    given = event.input or {}
    labels = input_labels()
    return tuple((labels.get(name, name), _value(name, value)) for name, value in given.items())


def _value(name: str, value: Any) -> str:
    """An input as staff read it: named members one after another, a date in words."""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if name in DATE_INPUTS and isinstance(value, str):
        try:
            return day_words(date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def timeline(
    events: list[CaseEvent],
    actors: dict[str, str],
    scrub: Callable[[Any], Any] = lambda value: value,
) -> list[Entry]:
    """``actors``: each event's actor as staff read it (``history.actor_names``); ``scrub``
    takes out of the texts what the reader may not know of the complainant
    (``identity.scrubber``)."""
    return [
        Entry(
            when=e.occurred_at,
            actor=actors.get(e.actor, e.actor),
            role=role_label(e.role) if e.role else None,
            text=scrub(_describe(e)),
            details=scrub(_details(e)),
            late=e.within_standard is False,
            note=e.kind == NOTE_KIND,
        )
        for e in events
    ]
