"""The monthly report's workbook, opened with openpyxl as the mayor's office's spreadsheet would:
one sheet per table, numbers as numbers, shares as percentages, the month and the moment as
dates."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from services.workflow.reports.exports import export
from tests.workflow.reports.sample import FORMULA_BODY, WIB, quiet_report, rich_report, survey_index


@pytest.fixture(scope="module")
def book() -> Workbook:
    file = export(rich_report(), "xlsx")
    assert file.filename == "laporan-bulanan-2026-11.xlsx"
    assert file.media_type == ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return load_workbook(io.BytesIO(file.content))


def by_label(sheet: Worksheet) -> dict[str, tuple[Any, ...]]:
    """The sheet's rows by their first cell, the header row left out."""
    return {row[0]: row[1:] for row in sheet.iter_rows(min_row=2, values_only=True)}


def test_one_sheet_per_table_in_indonesian(book: Workbook) -> None:
    assert book.sheetnames == [
        "Ringkasan",
        "Per layanan",
        "Jalur masuk",
        "Dialihkan ke",
        "IKM per unsur",
        "Metode",
    ]
    for sheet in book.worksheets:
        assert all(cell.font.bold for cell in sheet[1] if cell.value is not None)
        assert sheet.column_dimensions["A"].width >= 14


def test_the_summary_holds_the_month_as_a_date_and_the_moment_in_wib(book: Workbook) -> None:
    sheet = book["Ringkasan"]
    month = sheet["B2"]
    assert month.is_date and month.value.date() == date(2026, 11, 1)
    assert month.number_format == "mmmm yyyy"
    made = sheet["B3"]
    assert sheet["A3"].value == "Dibuat pada (WIB)"
    # 01.30 UTC; Excel has no zones, so the cell is the office's clock and says so beside it.
    assert made.is_date and made.value.tzinfo is None
    assert made.value == datetime(2026, 12, 7, 8, 30, tzinfo=WIB).replace(tzinfo=None)
    rows = by_label(sheet)
    assert rows["Pengaduan masuk"] == (10,)
    assert rows["Dijawab"] == (4,)
    assert rows["Masuk lewat Telepon"] == (1,)
    assert rows["Masih diproses, melewati waktu baku"] == (1,)
    assert rows["Median sampai jawaban (menit kerja)"] == (60,)
    assert rows["Dalam waktu baku (%)"] == (pytest.approx(26 / 29, abs=1e-4),)
    share = next(c for c in sheet["A"] if c.value == "Puas (%)").offset(column=1)
    assert share.value == pytest.approx(2 / 3, abs=1e-4) and "%" in share.number_format
    assert rows["IKM (25-100)"] == (float(survey_index().converted),)
    assert rows["Mutu pelayanan"] == (survey_index().grade,)


def test_each_service_a_row_of_numbers_and_the_total_last_in_bold(book: Workbook) -> None:
    sheet = book["Per layanan"]
    header = [cell.value for cell in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[1] for row in rows] == [
        "Nomor Induk Berusaha (NIB) melalui OSS",
        "Persetujuan Bangunan Gedung (PBG)",
        "Tidak menyebut layanan",
        "Jumlah seluruh layanan",
    ]
    nib, pbg, none_named, total = (dict(zip(header, row, strict=True)) for row in rows)
    assert (nib["Kode layanan"], nib["Pengaduan masuk"], nib["Dijawab"]) == ("NIB", 6, 3)
    assert pbg["Ditolak (di luar kewenangan)"] == 2 and pbg["Masuk lewat Surat"] == 1
    assert pbg["Masuk lewat Formulir web"] == 0
    assert pbg["Puas (%)"] is None and pbg["IKM (25-100)"] is None  # none rated, no survey
    assert none_named["Ditutup tanpa tanggapan pengadu"] == 1
    assert none_named["Dalam waktu baku (%)"] == 0.5
    assert total["Pengaduan masuk"] == 10
    assert all(cell.font.bold for cell in sheet[sheet.max_row])
    counts = [c for c in sheet[2] if isinstance(c.value, int)]
    assert counts and all(c.data_type == "n" for c in counts)


def test_routes_declined_bodies_and_the_ikm_per_service(book: Workbook) -> None:
    routes = by_label(book["Jalur masuk"])
    header = [cell.value for cell in book["Jalur masuk"][1]]
    assert header[2:] == [
        "Jumlah seluruh layanan",
        "Nomor Induk Berusaha (NIB) melalui OSS",
        "Persetujuan Bangunan Gedung (PBG)",
        "Tidak menyebut layanan",
    ]
    assert routes["Formulir web"] == (0.4, 4, 3, 0, 1)
    assert routes["Loket"] == (0.2, 2, 0, 2, 0)
    assert routes["Sistem mitra (Open311)"] == (0.1, 1, 1, 0, 0)
    assert routes["Jumlah"] == (1, 10, 6, 3, 1)
    declined = by_label(book["Dialihkan ke"])
    assert declined["Dinas Kesehatan"] == (1, 1, 0, 0)
    assert declined["Badan Pertanahan Nasional"] == (1, 0, 1, 0)
    assert declined["'" + FORMULA_BODY] == (1, 0, 1, 0)  # text, not a formula
    assert declined["Jumlah ditolak"] == (3, 1, 2, 0)
    ikm = by_label(book["IKM per unsur"])
    index = survey_index()
    assert ikm["NRR U1 Persyaratan"][:2] == (pytest.approx(11 / 3, abs=1e-4),) * 2
    assert ikm["NRR U1 Persyaratan"][2:] == (None, None)  # no survey of those
    assert ikm["IKM (25-100)"][:3] == (float(index.converted), float(index.converted), None)
    assert ikm["Responden SKM"] == (3, 3, 0, 0)
    assert ikm["Mutu pelayanan"][0] == index.grade


def test_the_method_is_stated(book: Workbook) -> None:
    text = " ".join(str(c.value) for c in book["Metode"]["A"])
    assert "Permenpan" in text or "PANRB" in text
    assert "Kohort" in text


def test_a_month_without_complaints_still_opens_with_every_sheet() -> None:
    book = load_workbook(io.BytesIO(export(quiet_report(), "xlsx").content))
    assert len(book.sheetnames) == 6
    assert by_label(book["Ringkasan"])["Pengaduan masuk"] == (0,)
    assert by_label(book["Jalur masuk"])["Jumlah"] == (None, 0)
    assert by_label(book["Dialihkan ke"]) == {"Jumlah ditolak": (0,)}
    assert date(2026, 2, 1) == book["Ringkasan"]["B2"].value.date()
