"""The staff API's answers, as the routers build them from the domain's records."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int
    role: str


class CompletionOut(BaseModel):
    case_id: str
    tracking_code: str
    step: int
    completed_at: datetime
    next_step: int | None
    next_role: str | None
    message: str


class EventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    sequence: int
    kind: str = Field(
        description="Jenis catatan: filed, arrived, completed, path, claimed, released, notified, "
        "resend_requested, complainant_replied, breached, note (catatan internal petugas: "
        "input.text; tidak pernah untuk pengadu)"
    )
    step: int | None
    actor: str = Field(description="Pelaku: nama akun petugas, atau sistem, notifier, pengadu")
    actor_label: str = Field(
        default="",
        description="Pelaku untuk dibaca petugas: nama dan peran petugas, Sistem Pengaduan, "
        "Layanan notifikasi, Pengadu",
    )
    role: str | None
    occurred_at: datetime
    input: dict[str, Any] | None
    output: dict[str, Any] | None
    minutes_taken: float | None
    standard_minutes: int | None
    within_standard: bool | None


class AssigneeOut(BaseModel):
    username: str
    full_name: str = Field(description="Nama lengkap; kosong bila akun sudah dihapus")
    unit: str | None = Field(default=None, description="Bidang atau seksi petugas")


class CaseOut(BaseModel):
    case_id: str
    tracking_code: str
    status: str
    status_label: str
    subject: str
    description: str
    identity: str = Field(
        default="shown",
        description="Pilihan identitas pengadu: shown (ditampilkan), confidential (rahasia: "
        "hanya Admin Pengaduan yang membaca nama dan kontaknya) atau anonymous (anonim)",
    )
    identity_label: str = Field(default="", description="Pilihan identitas, untuk dibaca")
    reporter_name: str = Field(
        description='Nama pengadu; "Identitas dirahasiakan" pada laporan rahasia bagi peran '
        'selain Admin Pengaduan; "Anonim" pada laporan anonim'
    )
    reporter_email: str | None = Field(
        default=None,
        description="Email pengadu, hanya untuk Admin Pengaduan; kosong bila tidak ada",
    )
    reporter_phone: str | None = Field(
        default=None,
        description="Nomor telepon pengadu, hanya untuk Admin Pengaduan; kosong bila tidak ada",
    )
    licence_reference: str | None = Field(
        default=None, description="Nomor izin atau permohonan (NIB / nomor permohonan) dari pengadu"
    )
    service_code: str | None = Field(
        default=None,
        description="Kode layanan perizinan yang diadukan (katalog `GET /api/v1/services`); "
        "kosong bila tidak disebut",
    )
    service_name: str | None = Field(default=None, description="Nama layanan itu")
    channels: list[str]
    received_via: str | None = Field(
        default=None,
        description="Dicatat Admin Pengaduan: diterima melalui telepon, loket atau surat; "
        "kosong bila diajukan sendiri oleh pengadu",
    )
    taken_by: str | None = Field(
        default=None, description="Nama pengguna Admin Pengaduan yang mencatatnya"
    )
    current_step: int | None
    current_role: str | None
    arrived_at: datetime | None
    due_at: datetime | None
    reply_due_at: datetime | None = Field(
        default=None,
        description="Batas waktu tanggapan pengadu atas permintaan kelengkapan data (kosong bila "
        "tidak ada yang ditunggu); sesudahnya laporan ditutup otomatis",
    )
    answer: str | None
    filed_at: datetime
    closed_at: datetime | None
    held_by: str | None
    held_at: datetime | None
    duplicate_of: str | None = Field(
        default=None, description="Kode pelacakan laporan asli, bila laporan ini duplikat"
    )
    duplicates: list[str] = Field(
        default_factory=list, description="Kode pelacakan laporan yang digabungkan ke laporan ini"
    )
    assignees: list[AssigneeOut] = Field(
        default_factory=list,
        description="Petugas yang ditunjuk disposisi Koordinator (langkah 3) untuk "
        "menindaklanjuti laporan ini",
    )
    due_date: date | None = Field(
        default=None, description="Batas waktu tindak lanjut dari disposisi (tanggal, WIB)"
    )
    history: list[EventOut]


class StaffOut(BaseModel):
    username: str
    full_name: str
    role: str
    unit: str | None = Field(default=None, description="Bidang atau seksi petugas, bila diisi")


class HistoryOut(BaseModel):
    case_id: str
    tracking_code: str
    events: list[EventOut]


class ClaimOut(BaseModel):
    case_id: str
    tracking_code: str
    step: int | None
    held_by: str | None
    held_at: datetime | None
    message: str


class CaseSummary(BaseModel):
    case_id: str
    tracking_code: str
    status: str
    status_label: str
    subject: str
    identity: str = Field(
        default="shown", description="Pilihan identitas pengadu: shown, confidential, anonymous"
    )
    reporter_name: str = Field(
        default="",
        description='Nama pengadu, atau "Identitas dirahasiakan" / "Anonim" (lihat CaseOut)',
    )
    service_code: str | None = Field(default=None, description="Kode layanan yang diadukan")
    current_step: int | None
    current_role: str | None
    current_role_label: str | None
    arrived_at: datetime | None
    due_at: datetime | None
    overdue: bool
    held_by: str | None
    held_at: datetime | None
    filed_at: datetime
    closed_at: datetime | None


class CasePage(BaseModel):
    items: list[CaseSummary]
    total: int
    limit: int
    offset: int


class AttachmentLinks(BaseModel):
    content: str = Field(description="Alamat isi berkas (unduhan)")
    thumbnail: str | None = Field(default=None, description="Alamat gambar kecil; hanya untuk foto")


class AttachmentOut(BaseModel):
    attachment_id: str
    filename: str = Field(description="Nama berkas seperti yang dikirim pengadu (dibersihkan)")
    media_type: str = Field(description="Jenis berkas menurut isinya, mis. image/jpeg")
    size: int = Field(description="Ukuran berkas tersimpan, dalam bita")
    added_at: datetime
    links: AttachmentLinks
