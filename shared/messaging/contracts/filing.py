"""A laporan pengaduan as it is filed: by a citizen (intake's API and portal) and by the Admin
Pengaduan for a complainant who telephoned, came to the desk or wrote (the workflow's console).
One model, validated wherever a complaint is filed, so both front doors accept and refuse the
same; every message a person may read is in Bahasa Indonesia (``shared.web.api_errors`` passes
the ``ValueError`` sentences through as they are)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Annotated, Any

import phonenumbers
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
from pydantic_core import PydanticCustomError

from shared.licensing_services import SERVICE_CODE_PATTERN
from shared.messaging.contracts.terms import Channel, Identity, ReceivedVia
from shared.wording.privacy import CONSENT_DESCRIPTION, CONSENT_REQUIRED_MESSAGE

PHONE_REGION = "ID"
CHANNEL_VALUES = frozenset(c.value for c in Channel)
CHANNEL_CHOICES = ", ".join(c.value for c in Channel)
RECEIVED_VIA_VALUES = frozenset(v.value for v in ReceivedVia)
RECEIVED_VIA_CHOICES = ", ".join(v.value for v in ReceivedVia)
IDENTITY_VALUES = frozenset(i.value for i in Identity)
IDENTITY_CHOICES = ", ".join(i.value for i in Identity)
# What /docs says of each identity mode (citizens read it: Bahasa Indonesia).
IDENTITY_DESCRIPTION = (
    "Identitas pelapor: `shown` (bawaan) nama dan kontak Anda terbaca oleh petugas yang "
    "menangani laporan; `confidential` (*rahasia*) Anda tetap mengisi nama dan kontak, tetapi "
    'hanya Admin Pengaduan yang dapat membacanya, petugas lain melihat "Identitas '
    'dirahasiakan"; `anonymous` (*anonim*) tanpa nama dan tanpa kontak: `reporter` tidak '
    "diisi, saluran jawaban hanya `app` (kotak masuk di halaman lacak laporan), dan kode "
    "pelacakan serta token akses adalah satu-satunya jalan kembali ke laporan Anda"
)
ANONYMOUS_REPORTER_MESSAGE = (
    "laporan anonim tidak boleh menyertakan nama, email atau nomor telepon pelapor: kosongkan "
    "semuanya, atau pilih identitas ditampilkan atau dirahasiakan"
)
ANONYMOUS_CHANNELS_MESSAGE = (
    "laporan anonim hanya dapat menerima kabar dan jawaban melalui aplikasi (kotak masuk di "
    "halaman lacak laporan): tanpa email dan nomor telepon, saluran {channels} tidak dapat "
    "dipakai"
)
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


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# Who files the laporan pengaduan, and where the jawaban can reach them. The schemas' texts
# (json_schema_extra, descriptions) are what citizens read in /docs: Bahasa Indonesia.
class ReporterIn(Strict):
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
        description="Nomor telepon Indonesia atau internasional; wajib bila saluran sms atau "
        "whatsapp dipilih",
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
class ComplaintIn(Strict):
    model_config = ConfigDict(json_schema_extra={"description": "Laporan pengaduan baru"})

    # Before the reporter: the reporter's check reads it (pydantic validates in field order).
    identity: Identity = Field(
        default=Identity.SHOWN, description=IDENTITY_DESCRIPTION, examples=["shown"]
    )
    # Required unless anonymous, and then refused: said by _reporter_fits_identity, not by the
    # schema, so each mistake gets its own sentence.
    reporter: ReporterIn | None = Field(
        default=None,
        validate_default=True,
        description="Identitas dan kontak pelapor; wajib, kecuali untuk laporan anonim "
        "(identity `anonymous`), yang tidak boleh menyertakannya",
    )
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
        description="Saluran penyampaian jawaban: email, sms, app, whatsapp",
        examples=[["email", "app"]],
    )
    licence_reference: LicenceReference | None = Field(
        default=None,
        description="Nomor izin atau permohonan yang diadukan (NIB / nomor permohonan), bila ada: "
        "huruf, angka, spasi, tanda hubung, titik dan garis miring",
        examples=["1234567890123", "503/0123/IUMK/2026"],
    )
    service_code: str | None = Field(
        default=None,
        max_length=20,
        description="Kode layanan perizinan yang diadukan, dari katalog layanan "
        "(`GET /api/v1/services`); kosongkan bila tidak tahu",
        examples=["PBG"],
    )

    received_via: ReceivedVia | None = Field(
        default=None,
        description="Hanya untuk Admin Pengaduan (dengan token petugas): laporan diterima "
        "melalui telepon, loket atau surat",
        examples=["telepon"],
    )
    # UU 27/2022: the complainant's consent to the privacy notice. ``False`` is refused; absent
    # (an API client that asked elsewhere or not at all) is filed and recorded as not given.
    consent: bool | None = Field(default=None, description=CONSENT_DESCRIPTION, examples=[True])

    @field_validator("consent")
    @classmethod
    def _consented(cls, value: bool | None) -> bool | None:  # noqa: FBT001 - pydantic passes it
        if value is False:
            raise ValueError(CONSENT_REQUIRED_MESSAGE)
        return value

    @field_validator("service_code", mode="before")
    @classmethod
    def _blank_service_is_absent(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("service_code")
    @classmethod
    def _service_code(cls, value: str | None) -> str | None:
        # Only the form here; whether the catalogue holds it, intake checks against its copy.
        if value is not None and not SERVICE_CODE_PATTERN.fullmatch(value):
            raise ValueError(
                "kode layanan tidak dikenal: pilih salah satu dari katalog layanan "
                "(GET /api/v1/services)"
            )
        return value

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

    @field_validator("identity", mode="before")
    @classmethod
    def _known_identity(cls, value: Any) -> Any:
        # Pydantic's own enum error ends in English: say it here, as for the channels.
        if not (isinstance(value, str) and value in IDENTITY_VALUES):
            raise ValueError(f"identitas {value!r} tidak dikenal (pilihan: {IDENTITY_CHOICES})")
        return value

    @field_validator("reporter", mode="before")
    @classmethod
    def _reporter_fits_identity(cls, value: Any, info: ValidationInfo) -> Any:
        identity = info.data.get("identity")
        if identity is None:  # the identity's own error is reported already
            return value
        if identity is Identity.ANONYMOUS:
            # Refused rather than dropped: a citizen who typed a name believes it was sent.
            if value is not None:
                raise ValueError(ANONYMOUS_REPORTER_MESSAGE)
        elif value is None:
            raise PydanticCustomError("missing", "Field required")
        return value

    @field_validator("received_via", mode="before")
    @classmethod
    def _known_way_in(cls, value: Any) -> Any:
        if value is not None and not (isinstance(value, str) and value in RECEIVED_VIA_VALUES):
            raise ValueError(
                f"cara penerimaan {value!r} tidak dikenal (pilihan: {RECEIVED_VIA_CHOICES})"
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
        if info.data.get("identity") is Identity.ANONYMOUS:
            unreachable = [c.value for c in value if c is not Channel.APP]
            if unreachable:
                raise ValueError(ANONYMOUS_CHANNELS_MESSAGE.format(channels=", ".join(unreachable)))
            return value
        reporter = info.data.get("reporter")
        if reporter is None:  # the reporter's own errors are reported already
            return value
        if Channel.EMAIL in value and reporter.email is None:
            raise ValueError("saluran email dipilih, tetapi alamat email pelapor tidak diisi")
        if Channel.SMS in value and reporter.phone is None:
            raise ValueError("saluran sms dipilih, tetapi nomor telepon pelapor tidak diisi")
        if Channel.WHATSAPP in value and reporter.phone is None:
            raise ValueError(
                "saluran whatsapp dipilih, tetapi nomor telepon (WhatsApp) pelapor tidak diisi"
            )
        return value


# The complaint as a form (the portal's, the console's): each field's label, the choices of
# channel, and where a pydantic error of ComplaintIn lands.
COMPLAINT_LABELS = {
    "identity": "Identitas pelapor",
    "name": "Nama lengkap",
    "email": "Email",
    "phone": "Nomor HP",
    "channels": "Saluran jawaban",
    "subject": "Pokok pengaduan",
    "description": "Uraian pengaduan",
    "licence_reference": "Nomor izin atau permohonan",
    "service_code": "Layanan perizinan",
    "consent": "Persetujuan",
}
IDENTITY_FORM_CHOICES = (
    (Identity.SHOWN.value, "Ditampilkan: nama dan kontak saya terbaca oleh petugas"),
    (Identity.CONFIDENTIAL.value, "Rahasia: nama dan kontak saya hanya dibaca Admin Pengaduan"),
    (Identity.ANONYMOUS.value, "Anonim: tanpa nama dan kontak"),
)
CHANNEL_FORM_CHOICES = (
    (Channel.EMAIL.value, "Email"),
    (Channel.SMS.value, "SMS"),
    (Channel.APP.value, "Aplikasi (kotak masuk di halaman lacak laporan)"),
    (Channel.WHATSAPP.value, "WhatsApp (ke nomor HP di atas)"),
)
_COMPLAINT_FIELDS = {
    ("reporter",): "identity",  # a name or contact given with an anonymous complaint
    ("reporter", "name"): "name",
    ("reporter", "email"): "email",
    ("reporter", "phone"): "phone",
}


def complaint_field(loc: tuple[Any, ...]) -> str:
    """The form field an error of ComplaintIn at ``loc`` belongs to."""
    return _COMPLAINT_FIELDS.get(tuple(loc[:2]), str(loc[0]))


def complaint_data(
    get: Callable[[str], str], getlist: Callable[[str], list[str]]
) -> dict[str, Any]:
    """ComplaintIn's input from a form's fields (``get`` one value, ``getlist`` every value).
    A form without the identity choice (or with none chosen) files with the identity shown; an
    anonymous one with name and contact left empty has no reporter, and one with any of them
    typed is refused (``ANONYMOUS_REPORTER_MESSAGE``) rather than silently stripped."""
    identity = get("identity") or Identity.SHOWN.value
    reporter = {"name": get("name"), "email": get("email"), "phone": get("phone")}
    anonymous = identity == Identity.ANONYMOUS.value
    return {
        "identity": identity,
        "reporter": None
        if anonymous and not any(v.strip() for v in reporter.values())
        else reporter,
        "subject": get("subject"),
        "description": get("description"),
        "channels": getlist("channels"),
        "licence_reference": get("licence_reference"),
        "service_code": get("service_code"),
    }
