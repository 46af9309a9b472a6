"""What citizens send and receive. Every message a citizen may read is in Bahasa Indonesia;
``shared.web.api_errors`` passes the ``ValueError`` sentences below through as they are."""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from datetime import datetime
from typing import Annotated, Any

import phonenumbers
from cryptography.hazmat.primitives.asymmetric import ec
from email_validator import EmailNotValidError, validate_email
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from services.intake.models import Attachment, Complaint, InboxMessage, TimelineEntry
from services.intake.tracking.notices import UndeliveredNoticeOut
from shared.messaging.contracts import Channel
from shared.sop import STATUS_LABELS

PHONE_REGION = "ID"
IN_PROGRESS_LABEL = "Laporan pengaduan Anda sedang diproses"
CHANNEL_VALUES = frozenset(c.value for c in Channel)
CHANNEL_CHOICES = ", ".join(c.value for c in Channel)
# Line breaks may structure a description; in a name or subject they could forge mail headers.
_LAYOUT = frozenset("\n\r\t")
# A NIB is 13 digits; application numbers look like "503/0123/IUMK/2026": ASCII only, so no
# look-alike letter from another script can pass for one.
LICENCE_REFERENCE_MAX = 64
_LICENCE_REFERENCE = re.compile(r"[A-Za-z0-9 ./-]+")


def _plain_text(allowed: frozenset[str]) -> AfterValidator:
    def check(value: str) -> str:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate from a JSON "\ud800" escape
            raise ValueError("berisi karakter yang tidak valid") from None
        if any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in value):
            raise ValueError("tidak boleh berisi karakter kontrol")
        return value

    return AfterValidator(check)


_ONE_LINE = _plain_text(frozenset())
OneLine = Annotated[str, _ONE_LINE]
LicenceReference = Annotated[str, StringConstraints(max_length=LICENCE_REFERENCE_MAX), _ONE_LINE]
Paragraphs = Annotated[str, _plain_text(_LAYOUT)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# Who files the laporan pengaduan, and where the jawaban can reach them. The schemas' texts
# (json_schema_extra, descriptions) are what citizens read in /docs: Bahasa Indonesia.
class ReporterIn(_Strict):
    model_config = ConfigDict(json_schema_extra={"description": "Identitas dan kontak pelapor"})

    name: OneLine = Field(
        min_length=1, max_length=200, description="Nama pelapor", examples=["Budi Santoso"]
    )
    # The length limit sits before the text check: after it, pydantic reports a long value as
    # a list's "too_long" ("maksimal 320 pilihan").
    email: Annotated[str, StringConstraints(max_length=320), _ONE_LINE] | None = Field(
        default=None,
        description="Alamat email; wajib bila saluran email dipilih",
        examples=["budi@example.id"],
    )
    phone: Annotated[str, StringConstraints(max_length=32), _ONE_LINE] | None = Field(
        default=None,
        description="Nomor telepon Indonesia atau internasional; wajib bila saluran sms dipilih",
        examples=["0812-3456-7890"],
    )

    @field_validator("email", "phone", mode="before")
    @classmethod
    def _blank_is_absent(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return validate_email(value, check_deliverability=False).normalized
        except EmailNotValidError:
            raise ValueError(f"alamat email {value!r} tidak valid") from None

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            number = phonenumbers.parse(value, PHONE_REGION)
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            raise ValueError(
                f"nomor telepon {value!r} tidak valid "
                "(contoh: 0812-3456-7890 atau +62 812 3456 7890)"
            )
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# A laporan pengaduan as the citizen files it.
class ComplaintIn(_Strict):
    model_config = ConfigDict(json_schema_extra={"description": "Laporan pengaduan baru"})

    reporter: ReporterIn
    subject: OneLine = Field(
        min_length=5,
        max_length=200,
        description="Perihal pengaduan",
        examples=["Izin usaha belum terbit"],
    )
    description: Paragraphs = Field(
        min_length=10,
        max_length=5000,
        description="Uraian pengaduan",
        examples=["Permohonan izin usaha kami sudah tiga minggu belum ada kabar."],
    )
    channels: list[Channel] = Field(
        min_length=1,
        max_length=len(Channel),
        description="Saluran penyampaian jawaban: email, sms, app",
        examples=[["email", "app"]],
    )
    licence_reference: LicenceReference | None = Field(
        default=None,
        description="Nomor izin atau permohonan yang diadukan (NIB / nomor permohonan), bila ada: "
        "huruf, angka, spasi, tanda hubung, titik dan garis miring",
        examples=["1234567890123", "503/0123/IUMK/2026"],
    )

    @field_validator("licence_reference", mode="before")
    @classmethod
    def _blank_reference_is_absent(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("licence_reference")
    @classmethod
    def _reference(cls, value: str | None) -> str | None:
        if value is not None and not _LICENCE_REFERENCE.fullmatch(value):
            raise ValueError(
                "nomor izin atau permohonan hanya boleh berisi huruf, angka, spasi, "
                "tanda hubung (-), titik (.) dan garis miring (/)"
            )
        return value

    @field_validator("channels", mode="before")
    @classmethod
    def _known_channels(cls, value: Any) -> Any:
        # Pydantic's own enum error ends in English ("'email', 'sms' or 'app'"): say it here.
        if isinstance(value, list):
            unknown = [v for v in value if not (isinstance(v, str) and v in CHANNEL_VALUES)]
            if unknown:
                raise ValueError(
                    f"saluran {', '.join(map(repr, unknown))} tidak dikenal "
                    f"(pilihan: {CHANNEL_CHOICES})"
                )
        return value

    @field_validator("channels")
    @classmethod
    def _reachable(cls, value: list[Channel], info: ValidationInfo) -> list[Channel]:
        repeated = sorted({c.value for c in value if value.count(c) > 1})
        if repeated:
            raise ValueError(f"saluran {', '.join(repeated)} dipilih lebih dari sekali")
        reporter = info.data.get("reporter")
        if reporter is None:  # the reporter's own errors are reported already
            return value
        if Channel.EMAIL in value and reporter.email is None:
            raise ValueError("saluran email dipilih, tetapi alamat email pelapor tidak diisi")
        if Channel.SMS in value and reporter.phone is None:
            raise ValueError("saluran sms dipilih, tetapi nomor telepon pelapor tidak diisi")
        return value


class FiledOut(BaseModel):
    tracking_code: str = Field(description="Kode pelacakan", examples=["PGD-7KQ2-M9XD"])
    access_token: str = Field(description="Token akses; hanya ditampilkan sekali ini")
    status: str = Field(description="Status laporan pengaduan", examples=["submitted"])
    message: str = Field(description="Keterangan untuk pelapor")


def status_label(status: str) -> str:
    """The status as the complainant reads it; one this version does not know is "in progress"."""
    return STATUS_LABELS.get(status, IN_PROGRESS_LABEL)


class TimelineEntryOut(BaseModel):
    status: str
    label: str
    occurred_at: datetime
    note: str | None = Field(
        default=None, description="Keterangan: alasan atau permintaan petugas, atau balasan Anda"
    )


class ReplyIn(_Strict):
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
    undelivered_notices: list[UndeliveredNoticeOut] = Field(
        default=[], description="Pemberitahuan yang tidak sampai melalui saluran mana pun"
    )
    attachments: list[AttachmentOut] = Field(
        default=[], description="Lampiran yang Anda kirim, yang terlama lebih dulu"
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


class PushKeysIn(_Strict):
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


class PushSubscriptionIn(_Strict):
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
