"""The monthly report's CSV: the totals row, then a row per service, every figure a column,
read back with the csv module as a spreadsheet would."""

from __future__ import annotations

import csv
import io

import pytest

from services.workflow.reports.exports import export
from tests.workflow.reports.sample import FORMULA_BODY, quiet_report, rich_report, survey_index


def rows_of(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


def test_the_totals_come_first_then_each_service_with_every_figure() -> None:
    file = export(rich_report(), "csv")
    assert (file.filename, file.media_type) == (
        "laporan-bulanan-2026-11.csv",
        "text/csv; charset=utf-8",
    )
    total, nib, pbg, none_named = rows_of(file.content)
    assert [row["Layanan"] for row in (total, nib, pbg, none_named)] == [
        "Jumlah seluruh layanan",
        "Nomor Induk Berusaha (NIB) melalui OSS",
        "Persetujuan Bangunan Gedung (PBG)",
        "Tidak menyebut layanan",
    ]
    assert {row["Bulan"] for row in (total, nib, pbg, none_named)} == {"2026-11"}
    assert (nib["Kode layanan"], nib["Kelompok"]) == ("NIB", "Perizinan berusaha")
    assert (pbg["Kelompok"], none_named["Kode layanan"]) == ("Perizinan non berusaha", "")
    assert total["Pengaduan masuk"] == "10"
    assert total["Masuk lewat Formulir web"] == "4"
    assert total["Masuk lewat Loket"] == "2"
    assert total["Dijawab"] == "4"
    assert total["Ditolak (di luar kewenangan)"] == "3"
    assert total["Duplikat"] == "1"
    assert total["Ditutup tanpa tanggapan pengadu"] == "1"
    assert total["Masih diproses"] == "1"
    assert total["Masih diproses, melewati waktu baku"] == "1"
    assert total["Dibuka kembali"] == "1"
    assert total["Langkah selesai"] == "29"
    assert total["Langkah selesai dalam waktu baku"] == "26"
    assert total["Dalam waktu baku (%)"] == "89.66"  # 26 / 29
    assert total["Median sampai jawaban (menit kerja)"] == "60"
    assert nib["Median sampai jawaban (menit kerja)"] == "42.5"
    assert (total["Jawaban dinilai"], total["Dinilai puas"], total["Puas (%)"]) == (
        "3",
        "2",
        "66.67",
    )
    ikm = survey_index()
    assert total["Responden SKM"] == "3"
    assert total["IKM (25-100)"] == str(float(ikm.converted))
    assert (total["Mutu pelayanan"], total["Kinerja unit pelayanan"]) == (
        ikm.grade,
        ikm.performance,
    )
    assert float(total["NRR U4 Biaya/tarif"]) == 4.0  # every answer gave it 4
    assert nib["Dialihkan ke (instansi: jumlah)"] == "Dinas Kesehatan: 1"


def test_a_figure_that_does_not_exist_is_an_empty_cell_and_zeros_stay_zeros() -> None:
    _, _, pbg, none_named = rows_of(export(rich_report(), "csv").content)
    assert pbg["Masuk lewat Formulir web"] == "0"
    assert pbg["Puas (%)"] == ""  # nothing was rated: no share, not 0%
    assert pbg["IKM (25-100)"] == "" and pbg["Mutu pelayanan"] == ""
    assert pbg["Responden SKM"] == "0"
    assert none_named["Median sampai jawaban (menit kerja)"] == ""
    assert none_named["Dalam waktu baku (%)"] == "50"


def test_a_name_a_spreadsheet_would_run_as_a_formula_stays_text() -> None:
    _, _, pbg, _ = rows_of(export(rich_report(), "csv").content)
    assert f"'{FORMULA_BODY}: 1" in pbg["Dialihkan ke (instansi: jumlah)"]
    assert "\n=" not in export(rich_report(), "csv").content.decode()


def test_the_ikm_method_is_stated_beside_the_figures_once() -> None:
    total, nib, pbg, none_named = rows_of(export(rich_report(), "csv").content)
    method = total["Cara menghitung IKM"]
    assert "Peraturan Menteri PANRB Nomor 14 Tahun 2017" in method
    assert "IKM konversi = IKM x 25" in method and "A (88,31-100" in method
    assert {nib["Cara menghitung IKM"], pbg["Cara menghitung IKM"]} == {""}
    assert none_named["Cara menghitung IKM"] == ""
    (quiet,) = rows_of(export(quiet_report(), "csv").content)
    assert quiet["Cara menghitung IKM"] == method  # stated even with no respondent


def test_a_month_without_complaints_is_one_row_of_zeros() -> None:
    (total,) = rows_of(export(quiet_report(), "csv").content)
    assert total["Bulan"] == "2026-02"
    assert total["Pengaduan masuk"] == "0"
    assert total["Dalam waktu baku (%)"] == "" and total["IKM (25-100)"] == ""


@pytest.mark.parametrize("fmt", ["json", "docx", "", "CSV"])
def test_a_format_there_is_none_of_is_refused(fmt: str) -> None:
    with pytest.raises(ValueError, match="csv, xlsx, pdf"):
        export(rich_report(), fmt)
