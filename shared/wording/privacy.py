"""The privacy notice (*pemberitahuan privasi*) of UU 27/2022 on personal data protection: what
the complainant reads before filing (the portal's form), what the Admin Pengaduan tells a
complainant who telephones, comes to the desk or writes (the console's "Catat pengaduan"), and
the sentence a consent refused or missing is answered with. One text for both front doors, so
the office states one purpose, one keeper and one retention time.

``RETENTION_DAYS`` is the retention time the notice names; the daily erasure sweep erases after
the office's setting (``PENGADUAN_PRIVACY_RETENTION_DAYS``), which must say the same: the notice
takes its number from here alone. ``NOTICE_VERSION`` is recorded with each consent: a changed
text gets a new version, so the record says which text the complainant agreed to."""

from __future__ import annotations

from dataclasses import dataclass

# Days after the case closed before the complainant's personal data is erased (2 years).
RETENTION_DAYS = 730
# The notice's version, recorded with each consent (complaints.privacy_notice_version).
NOTICE_VERSION = "2026-12"

# The checkbox's value on both forms.
CONSENT_VALUE = "ya"
CONSENT_LABEL = (
    "Saya telah membaca dan menyetujui pemberitahuan privasi di atas: data saya diolah untuk "
    "menangani dan menjawab laporan pengaduan ini"
)
DESK_CONSENT_LABEL = "Pelapor telah diberi tahu tujuan dan menyetujui"
# A consent refused (``"consent": false``) or not ticked: nothing is filed.
CONSENT_REQUIRED_MESSAGE = (
    "wajib dicentang: laporan pengaduan hanya dapat diproses bila pelapor menyetujui "
    "pemberitahuan privasi (tujuan, data yang disimpan, lama penyimpanan dan hak pelapor)"
)
# What /docs says of the API's ``consent`` field.
CONSENT_DESCRIPTION = (
    "Persetujuan pelapor atas pemberitahuan privasi (UU 27/2022 tentang Pelindungan Data "
    "Pribadi): `true` dicatat beserta waktu dan versi pemberitahuan; `false` ditolak (422) dan "
    "tidak ada yang disimpan; bila tidak diisi, laporan tetap diterima tetapi persetujuan "
    "dicatat sebagai tidak diberikan (aplikasi atau sistem mitra yang meminta persetujuan di "
    "tempatnya sendiri mengirim `true`). Pemberitahuan lengkap: halaman formulir pengaduan."
)


@dataclass(frozen=True)
class NoticePart:
    heading: str
    text: str


def retention_words(days: int = RETENTION_DAYS) -> str:
    """How long, as people say it: "2 tahun" for 730 days, else the days."""
    if days % 365 == 0:
        return f"{days // 365} tahun"
    return f"{days} hari"


def notice(days: int = RETENTION_DAYS) -> tuple[NoticePart, ...]:
    """The notice, part by part (each a heading and a paragraph), with the retention time."""
    return (
        NoticePart(
            "Tujuan",
            "Data Anda diolah hanya untuk menangani laporan pengaduan ini dan menyampaikan "
            "kabar serta jawabannya kepada Anda, sesuai SOP penanganan pengaduan.",
        ),
        NoticePart(
            "Data yang disimpan dan oleh siapa",
            "Nama, email, nomor HP, saluran jawaban, isi pengaduan, nomor izin, layanan yang "
            "diadukan dan lampiran Anda disimpan oleh layanan Sistem Pengaduan kantor ini "
            "(penerimaan, penanganan dan pengiriman kabar), tidak diberikan kepada pihak lain. "
            "Petugas yang menangani laporan membaca nama Anda; email dan nomor HP hanya dibaca "
            "Admin Pengaduan. Bila Anda memilih identitas rahasia, hanya Admin Pengaduan yang "
            "membaca nama dan kontak Anda; setiap pembacaan identitas oleh petugas dicatat.",
        ),
        NoticePart(
            "Lama penyimpanan",
            f"{retention_words(days)} setelah laporan pengaduan ditutup, nama, kontak dan isi "
            "pengaduan Anda dihapus dan diganti tanda [data pribadi dihapus]; yang tersisa "
            "hanya angka statistik (tanggal, langkah, status, layanan).",
        ),
        NoticePart(
            "Hak Anda",
            "Di halaman lacak laporan Anda dapat mengunduh salinan seluruh data Anda, dan "
            "setelah laporan ditutup meminta data pribadi Anda dihapus lebih awal.",
        ),
    )
