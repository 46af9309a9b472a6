"""The monthly report's PDF for signing, its text read back with pypdf: the heading, the month
in Indonesian, the figures, the IKM with its grade, the method and the signature block; with the
Unicode font this machine has, and with the PDF's own Helvetica a slim image falls back to."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from services.workflow.reports.exports import export
from services.workflow.reports.pdf_file import pdf_bytes
from services.workflow.reports.pdf_font import FONT_DIRS, unicode_font_dir
from tests.workflow.reports.sample import quiet_report, rich_report, survey_index

A4_POINTS = (595.28, 841.89)


def text_of(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
            A4_POINTS, abs=0.1
        )
    # One space for any run of whitespace: a table cell may wrap its words.
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))


FONTS = [
    pytest.param(
        FONT_DIRS,
        marks=pytest.mark.skipif(unicode_font_dir() is None, reason="no DejaVu Sans here"),
        id="dejavu",
    ),
    pytest.param((), id="helvetica"),
]


@pytest.mark.parametrize("font_dirs", FONTS)
def test_the_report_reads_back_with_its_figures_and_signature(font_dirs: tuple) -> None:
    text = text_of(pdf_bytes(rich_report(), font_dirs))
    assert "PEMERINTAH KOTA MADIUN" in text
    assert "DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU KOTA MADIUN" in text
    assert "Laporan Bulanan Pengaduan" in text
    assert "Bulan November 2026" in text
    assert "1 November 2026 sampai 30 November 2026" in text
    assert "7 Desember 2026, 08.30 WIB" in text  # 01.30 UTC
    for label, figure in (
        ("Pengaduan masuk", "10"),
        ("Dijawab", "4"),
        ("Ditolak (di luar kewenangan)", "3"),
        ("Duplikat", "1"),
        ("Ditutup tanpa tanggapan pengadu", "1"),
        ("Masih diproses", "1"),
        ("Dibuka kembali", "1"),
        ("Langkah selesai dalam waktu baku", "89,7% (26 dari 29)"),
        ("Median waktu sampai jawaban (menit kerja)", "60"),
        ("Jawaban dinilai puas", "66,7% (2 dari 3)"),
    ):
        assert f"{label} {figure}" in text
    # The per-service rows: filed, the five outcomes, overdue, reopened; then the times.
    assert "melalui OSS 6 3 1 1 0 1 1 1" in text
    assert "Gedung (PBG) 3 1 2 0 0 0 0 0" in text
    assert "Tidak menyebut layanan 1 0 0 0 1 0 0 0" in text
    assert "Gedung (PBG) 100% 120 0 - 0 - -" in text
    assert "Formulir web 4 40%" in text and "Loket 2 20%" in text and "Surat 1 10%" in text
    assert "Jumlah 10 100%" in text
    assert "Dinas Kesehatan 1" in text and "Badan Pertanahan Nasional 1" in text
    index = survey_index()
    converted = f"{index.converted:.2f}".replace(".", ",")
    assert f"IKM dari 3 responden SKM: {converted}" in text
    assert f"mutu pelayanan {index.grade} ({index.performance.lower()})" in text
    assert "U4 Biaya/tarif 4,00" in text and "U1 Persyaratan 3,67" in text
    assert "Peraturan Menteri PANRB Nomor 14 Tahun 2017" in text
    signature = text[text.index("Madiun, 7 Desember 2026") :]
    assert "Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kota Madiun" in signature
    assert re.search(r"\(\.{20,}\) NIP\. \.{20,}", signature)


def test_the_pdf_font_prints_what_latin_1_lacks_as_its_nearest_characters() -> None:
    text = text_of(pdf_bytes(rich_report(), ()))
    assert 'bulan itu - dihitung menurut keadaannya "saat laporan dibuat".' in text


@pytest.mark.skipif(unicode_font_dir() is None, reason="no DejaVu Sans here")
def test_the_unicode_font_prints_dashes_and_quotes_as_they_are() -> None:
    text = text_of(pdf_bytes(rich_report()))
    assert "bulan itu \N{EN DASH} dihitung" in text
    assert (
        "\N{LEFT DOUBLE QUOTATION MARK}saat laporan dibuat\N{RIGHT DOUBLE QUOTATION MARK}" in text
    )


def test_a_month_without_complaints_says_so_and_is_still_signed() -> None:
    file = export(quiet_report(), "pdf")
    assert (file.filename, file.media_type) == ("laporan-bulanan-2026-02.pdf", "application/pdf")
    assert file.content.startswith(b"%PDF-")
    text = text_of(file.content)
    assert "Bulan Februari 2026" in text
    assert "Pengaduan masuk 0" in text
    assert "Tidak ada pengaduan yang ditolak" in text
    assert "Belum ada jawaban Survei Kepuasan Masyarakat (SKM) bulan ini." in text
    assert "Indeks Kepuasan Masyarakat (IKM) -" in text
    assert "Madiun, 2 Maret 2026" in text


@pytest.mark.parametrize("font_dirs", FONTS)
def test_the_same_report_makes_the_same_file(font_dirs: tuple) -> None:
    assert pdf_bytes(rich_report(), font_dirs) == pdf_bytes(rich_report(), font_dirs)
