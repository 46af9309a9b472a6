"""What citizens send and receive. Every message a citizen may read is in Bahasa Indonesia;
``shared.web.api_errors`` passes the ``ValueError`` sentences below through as they are."""

from __future__ import annotations

import base64
import binascii
import re
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric import ec
from pydantic import BaseModel, ConfigDict, Field, field_validator

from services.intake.feedback.schemas import RatingOut, SurveyOut
from services.intake.feedback.statuses import AFTER_ANSWER_LABELS
from services.intake.models import Attachment, Complaint, InboxMessage, TimelineEntry
from services.intake.tracking.notices import UndeliveredNoticeOut
from shared.messaging.contracts import Identity, ReceivedVia

# The complaint as filed (ComplaintIn, ReporterIn) is in shared.messaging.contracts.filing: the
# workflow's console files complaints taken by telephone with the same model.
from shared.messaging.contracts.filing import OneLine, Paragraphs, Strict
from shared.sop import PATHS, STATUS_LABELS

IN_PROGRESS_LABEL = "Laporan pengaduan Anda sedang diproses"


class FiledOut(BaseModel):
    tracking_code: str = Field(description="Kode pelacakan", examples=["PGD-7KQ2-M9XD"])
    access_token: str = Field(description="Token akses; hanya ditampilkan sekali ini")
    status: str = Field(description="Status laporan pengaduan", examples=["submitted"])
    message: str = Field(description="Keterangan untuk pelapor")
    received_via: ReceivedVia | None = Field(
        default=None, description="Dicatat Admin Pengaduan: diterima melalui telepon, loket, surat"
    )
    taken_by: str | None = Field(default=None, description="Petugas yang mencatat (nama pengguna)")
    filed_at: datetime | None = Field(default=None, description="Waktu laporan diterima")
    identity: Identity = Field(
        default=Identity.SHOWN,
        description="Identitas pelapor: shown (ditampilkan), confidential (rahasia) atau "
        "anonymous (anonim)",
    )
    access_warning: str | None = Field(
        default=None,
        description="Hanya untuk laporan anonim: kode pelacakan dan token akses adalah "
        "satu-satunya jalan kembali ke laporan, karena tidak ada kontak untuk memulihkan akses",
    )


def awaits_reply(status: str) -> bool:
    """The complainant is asked for something (a reply deadline then applies)."""
    return any(p.status == status for p in PATHS if p.waits_for_complainant)


def status_label(status: str) -> str:
    """The status as the complainant reads it; one this version does not know is "in progress"."""
    return STATUS_LABELS.get(status) or AFTER_ANSWER_LABELS.get(status, IN_PROGRESS_LABEL)


class TimelineEntryOut(BaseModel):
    status: str
    label: str
    occurred_at: datetime
    note: str | None = Field(
        default=None,
        description="Keterangan: alasan atau permintaan petugas, balasan Anda, atau teks jawaban",
    )


class ReplyIn(Strict):
    model_config = ConfigDict(
        json_schema_extra={"description": "Kelengkapan data yang diminta petugas"}
    )

    message: Paragraphs = Field(
        min_length=1,
        max_length=5000,
        description="Kelengkapan data atau keterangan yang diminta",
        examples=["Nomor permohonan: 123/IUMK/2026, diajukan 3 November 2026."],
    )


class ReplyOut(BaseModel):
    tracking_code: str
    status: str
    message: str


class AttachmentOut(BaseModel):
    id: str = Field(description="Nomor lampiran", examples=["3f1c2b9e-8d7a-4c55-9a0e-2b1d6f4e7a10"])
    filename: str = Field(
        description="Nama berkas (aman untuk ditampilkan)", examples=["kwitansi.jpg"]
    )
    media_type: str = Field(
        description="Jenis berkas menurut isinya: image/jpeg, image/png, image/webp atau "
        "application/pdf",
        examples=["image/jpeg"],
    )
    size: int = Field(description="Ukuran berkas yang disimpan, dalam byte", examples=[182044])

    @classmethod
    def of(cls, attachment: Attachment) -> AttachmentOut:
        return cls(
            id=attachment.id,
            filename=attachment.filename,
            media_type=attachment.media_type,
            size=attachment.size,
        )


class ComplaintOut(BaseModel):
    tracking_code: str
    status: str = Field(description="Status laporan pengaduan (kode tetap)")
    status_label: str = Field(description="Status laporan pengaduan, untuk dibaca pelapor")
    timeline: list[TimelineEntryOut] = Field(description="Riwayat status, dari yang terlama")
    answer: str | None = Field(description="Jawaban pengaduan; kosong sampai jawaban dikirim")
    answered_at: datetime | None
    licence_reference: str | None = Field(
        default=None, description="Nomor izin atau permohonan yang Anda sebutkan, bila ada"
    )
    service_code: str | None = Field(
        default=None, description="Kode layanan perizinan yang diadukan (katalog layanan)"
    )
    service_name: str | None = Field(
        default=None, description="Nama layanan itu; kosong bila tidak menyebut layanan"
    )
    undelivered_notices: list[UndeliveredNoticeOut] = Field(
        default=[], description="Pemberitahuan yang tidak sampai melalui saluran mana pun"
    )
    reply_due_at: datetime | None = Field(
        default=None,
        description="Batas waktu tanggapan Anda atas permintaan kelengkapan data; sesudahnya "
        "laporan pengaduan ditutup (kosong bila tidak ada permintaan yang menunggu)",
    )
    attachments: list[AttachmentOut] = Field(
        default=[], description="Lampiran yang Anda kirim, yang terlama lebih dulu"
    )
    reopen_until: datetime | None = Field(
        default=None,
        description="Batas waktu menilai jawaban secara tidak puas dan meminta laporan "
        "pengaduan dibuka kembali (kosong sebelum jawaban dikirim)",
    )
    rating: RatingOut | None = Field(
        default=None, description="Penilaian Anda atas jawaban yang tampil, bila sudah dinilai"
    )
    survey: SurveyOut | None = Field(
        default=None,
        description="Jawaban Survei Kepuasan Masyarakat Anda atas jawaban yang tampil, bila "
        "sudah diisi",
    )
    erasure_requested_at: datetime | None = Field(
        default=None, description="Waktu Anda meminta data pribadi dihapus, bila pernah"
    )
    erased_at: datetime | None = Field(
        default=None,
        description="Waktu data pribadi Anda dihapus (masa simpan berakhir atau atas permintaan "
        "Anda); sesudahnya nama, kontak dan isi laporan tampil sebagai `[data pribadi dihapus]`",
    )

    @classmethod
    def of(cls, complaint: Complaint, timeline: list[TimelineEntry]) -> ComplaintOut:
        return cls(
            tracking_code=complaint.tracking_code,
            status=complaint.status,
            status_label=status_label(complaint.status),
            timeline=[
                TimelineEntryOut(
                    status=e.status,
                    label=status_label(e.status),
                    occurred_at=e.occurred_at,
                    note=e.note,
                )
                for e in timeline
            ],
            answer=complaint.answer,
            answered_at=complaint.answered_at,
            licence_reference=complaint.licence_reference,
            service_code=complaint.service_code,
            reply_due_at=complaint.reply_due_at if awaits_reply(complaint.status) else None,
            reopen_until=complaint.reopen_until,
            erasure_requested_at=complaint.erasure_requested_at,
            erased_at=complaint.erased_at,
        )


# The app channel: the in-app inbox, its live events and Web Push subscriptions.
class InboxMessageOut(BaseModel):
    id: int = Field(description="Nomor pesan; juga id event pada aliran Server-Sent Events")
    kind: str = Field(description="Jenis pesan (kode tetap)", examples=["answer"])
    title: str = Field(description="Judul pesan")
    body: str = Field(description="Isi pesan")
    created_at: datetime

    @classmethod
    def of(cls, message: InboxMessage) -> InboxMessageOut:
        return cls(
            id=message.id,
            kind=message.kind,
            title=message.title,
            body=message.body,
            created_at=message.created_at,
        )


class StatusEventOut(BaseModel):
    status: str = Field(description="Status laporan pengaduan (kode tetap)")
    status_label: str = Field(description="Status laporan pengaduan, untuk dibaca pelapor")

    @classmethod
    def of(cls, complaint: Complaint) -> StatusEventOut:
        return cls(status=complaint.status, status_label=status_label(complaint.status))


_BASE64URL = re.compile(r"[A-Za-z0-9_-]+={0,2}")


def base64url_bytes(value: str) -> bytes | None:
    """The bytes of a base64url text (padded or not); ``None`` if it is not base64url."""
    if not _BASE64URL.fullmatch(value):
        return None
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        return None


# RFC 8291: the browser's key is an uncompressed P-256 point (0x04, x, y), its secret 16 bytes.
UNCOMPRESSED_POINT_BYTES = 65
AUTH_SECRET_BYTES = 16


def _is_p256_point(raw: bytes | None) -> bool:
    if raw is None or len(raw) != UNCOMPRESSED_POINT_BYTES or raw[0] != 0x04:
        return False
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError:  # not on the curve
        return False
    return True


class PushKeysIn(Strict):
    p256dh: str = Field(
        max_length=100, description="Kunci publik P-256 peramban (base64url, 65 byte)"
    )
    auth: str = Field(
        max_length=50, description="Rahasia autentikasi peramban (base64url, 16 byte)"
    )

    @field_validator("p256dh")
    @classmethod
    def _p256dh(cls, value: str) -> str:
        if not _is_p256_point(base64url_bytes(value)):
            raise ValueError(
                "kunci p256dh harus berupa kunci publik P-256 tak terkompresi (65 byte, base64url)"
            )
        return value

    @field_validator("auth")
    @classmethod
    def _auth(cls, value: str) -> str:
        raw = base64url_bytes(value)
        if raw is None or len(raw) != AUTH_SECRET_BYTES:
            raise ValueError("kunci auth harus berupa 16 byte dalam base64url")
        return value


class PushSubscriptionIn(Strict):
    """The browser's ``PushSubscription.toJSON()``."""

    model_config = ConfigDict(
        json_schema_extra={"description": "Langganan notifikasi push dari peramban"}
    )

    endpoint: OneLine = Field(
        min_length=1,
        max_length=2048,
        description="Alamat layanan push peramban (https)",
        examples=["https://fcm.googleapis.com/fcm/send/abc123"],
    )
    expirationTime: int | None = Field(  # noqa: N815 - the browser's own field name
        default=None, description="Diabaikan; dikirim peramban apa adanya"
    )
    keys: PushKeysIn


class PushSubscriptionOut(BaseModel):
    endpoint: str
    message: str


class PublicKeyOut(BaseModel):
    public_key: str = Field(
        description="Kunci publik VAPID (base64url, titik P-256 tak terkompresi): "
        "applicationServerKey untuk PushManager.subscribe()"
    )
