"""The monthly report as a PDF for signing (fpdf2): A4, the office's heading, the month's
figures in tables, the IKM with its method, and the Kepala Dinas's signature block, so that the
signed page goes to the mayor's office as it is."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from services.workflow.reports.columns import (
    ELEMENT_COLUMNS,
    NO_FIGURE,
    OUTCOMES,
    TOTAL_LABEL,
    decimal_words,
    declined_to_rows,
    minutes_words,
    percent_words,
    service_label,
    value_words,
)
from services.workflow.reports.pdf_font import FONT_DIRS, Typeface, load_typeface
from services.workflow.reports.shape import (
    INTAKE_ROUTE_LABELS,
    INTAKE_ROUTES,
    Figures,
    MonthlyReport,
)
from shared.skm import ELEMENTS
from shared.web.pages import OFFICE, OFFICE_FULL
from shared.wording.time_words import WIB, day_words, month_words, time_words

TITLE = "Laporan Bulanan Pengaduan"
GOVERNMENT = "PEMERINTAH KOTA MADIUN"
PLACE = "Madiun"
SIGNER = "Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kota Madiun"
SIGNATURE_SPACE = 24  # mm left blank for the signature and the office's stamp
SIGNATURE_WIDTH = 82  # mm: the block stands at the right, as a letter's does
BODY_SIZE = 10
TABLE_SIZE = 8
OUTCOME_HEADINGS = ("Dijawab", "Ditolak", "Duplikat", "Tanpa tanggapan", "Diproses")


class _Document(FPDF):
    """A4 with the page's number at its foot."""

    typeface: Typeface = Typeface("Helvetica", unicode=False)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.typeface.family, "", 8)
        self.cell(0, 6, f"{TITLE} - halaman {self.page_no()} dari {{nb}}", align="C")


def pdf_bytes(report: MonthlyReport, font_dirs: tuple[Path, ...] = FONT_DIRS) -> bytes:
    pdf = _Document(orientation="portrait", unit="mm", format="A4")
    pdf.typeface = load_typeface(pdf, font_dirs)
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_title(f"{TITLE} {month_words(report.month)}")
    pdf.set_author(OFFICE)
    pdf.set_creator("Pengaduan")
    pdf.set_creation_date(_aware(report.as_of))  # the same report, the same file
    pdf.add_page()
    page = _Page(pdf, report)
    page.heading()
    page.totals()
    page.services()
    page.routes()
    page.satisfaction()
    page.method()
    page.signature()
    return bytes(pdf.output())


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class _Page:
    def __init__(self, pdf: _Document, report: MonthlyReport) -> None:
        self.pdf = pdf
        self.report = report
        self.face = pdf.typeface
        self.zone: tzinfo = report.period_start.tzinfo or WIB

    # Text

    def font(self, size: float = BODY_SIZE, *, bold: bool = False) -> None:
        self.pdf.set_font(self.face.family, "B" if bold else "", size)

    def line(self, words: str, *, size: float = BODY_SIZE, bold: bool = False) -> None:
        self.font(size, bold=bold)
        self.pdf.multi_cell(
            0, size * 0.5, self.face.text(words), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    def centred(self, words: str, *, size: float, bold: bool = True) -> None:
        self.font(size, bold=bold)
        self.pdf.multi_cell(
            0, size * 0.5, self.face.text(words), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    def section(self, title: str) -> None:
        self.pdf.ln(4)
        self.line(title, size=11, bold=True)
        self.pdf.ln(1)

    def table(
        self,
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        *,
        total_last: bool = False,
    ) -> None:
        """A table, its first row the headings; the first column left, the figures right."""
        self.font(TABLE_SIZE)
        align = ("LEFT", *(["RIGHT"] * (len(widths) - 1)))
        with self.pdf.table(
            col_widths=tuple(widths),
            text_align=align,
            line_height=TABLE_SIZE * 0.5,
            padding=1,
            headings_style=FontFace(emphasis="BOLD", size_pt=TABLE_SIZE - 1),
            repeat_headings=1,
        ) as table:
            for number, cells in enumerate(rows):
                last = total_last and number == len(rows) - 1
                style = FontFace(emphasis="BOLD") if last else None
                row = table.row(style=style)
                for cell in cells:
                    row.cell(self.face.text(cell))

    # Sections

    def heading(self) -> None:
        self.centred(GOVERNMENT, size=12)
        self.centred(OFFICE_FULL.upper(), size=12)
        self.pdf.ln(1)
        y = self.pdf.get_y()
        self.pdf.set_line_width(0.6)
        self.pdf.line(self.pdf.l_margin, y, self.pdf.w - self.pdf.r_margin, y)
        self.pdf.set_line_width(0.2)
        self.pdf.ln(5)
        self.centred(TITLE, size=14)
        self.centred(f"Bulan {month_words(self.report.month)}", size=12)
        self.pdf.ln(3)
        first = self.report.period_start.astimezone(self.zone).date()
        last = (self.report.period_end.astimezone(self.zone) - timedelta(days=1)).date()
        self.line(
            f"Pengaduan yang diajukan {day_words(first)} sampai {day_words(last)}, "
            f"keadaannya per {time_words(self.report.as_of, self.zone)}."
        )

    def totals(self) -> None:
        figures = self.report.totals
        self.section("A. Ringkasan")
        rows = [("Uraian", "Jumlah")]
        rows.append(("Pengaduan masuk", str(figures.filed)))
        rows.extend((label, str(getattr(figures, name))) for name, label in OUTCOMES)
        rows.extend(
            (
                ("Masih diproses yang melewati waktu baku", str(figures.overdue)),
                ("Dibuka kembali", str(figures.reopened)),
                ("Langkah selesai dalam waktu baku", _of(figures)),
                (
                    "Median waktu sampai jawaban (menit kerja)",
                    minutes_words(figures.median_minutes_to_answer),
                ),
                ("Jawaban dinilai puas", _satisfied(figures)),
                ("Indeks Kepuasan Masyarakat (IKM)", _ikm_words(figures)),
            )
        )
        self.table(rows, (120, 50))

    def services(self) -> None:
        lines = [(service_label(line.name), line.figures) for line in self.report.services]
        lines.append((TOTAL_LABEL, self.report.totals))
        self.section("B. Per layanan perizinan")
        outcome_names = [name for name, _ in OUTCOMES]
        rows: list[Sequence[str]] = [
            ("Layanan", "Masuk", *OUTCOME_HEADINGS, "Terlambat", "Dibuka kembali")
        ]
        for name, figures in lines:
            counts = [str(getattr(figures, outcome)) for outcome in outcome_names]
            rows.append(
                (name, str(figures.filed), *counts, str(figures.overdue), str(figures.reopened))
            )
        self.table(rows, (38, 14, 16, 16, 17, 18, 17, 18, 16), total_last=True)
        self.pdf.ln(3)
        rows = [
            (
                "Layanan",
                "Dalam waktu baku",
                "Median (menit kerja)",
                "Dinilai",
                "Puas",
                "Responden SKM",
                "IKM",
                "Mutu",
            )
        ]
        for name, figures in lines:
            ikm = figures.ikm
            rows.append(
                (
                    name,
                    percent_words(figures.within_standard_share),
                    minutes_words(figures.median_minutes_to_answer),
                    str(figures.rated),
                    percent_words(figures.satisfied_share),
                    str(ikm.respondents if ikm else 0),
                    decimal_words(float(ikm.converted)) if ikm else NO_FIGURE,
                    ikm.grade if ikm else NO_FIGURE,
                )
            )
        self.table(rows, (38, 19, 19, 16, 17, 22, 21, 18), total_last=True)
        self.line(
            "Terlambat: masih diproses dan melewati waktu baku langkahnya. "
            "Tanda - berarti tidak ada angkanya (tidak ada yang dinilai atau disurvei).",
            size=TABLE_SIZE,
        )

    def routes(self) -> None:
        figures = self.report.totals
        self.section("C. Jalur masuk dan pengalihan")
        rows = [("Jalur masuk", "Jumlah", "Bagian")]
        for route in INTAKE_ROUTES:
            count = figures.filed_via.get(route, 0)
            share = count / figures.filed if figures.filed else None
            rows.append((INTAKE_ROUTE_LABELS[route], str(count), percent_words(share)))
        rows.append(("Jumlah", str(figures.filed), percent_words(1 if figures.filed else None)))
        self.table(rows, (90, 40, 40), total_last=True)
        self.pdf.ln(3)
        bodies = declined_to_rows(figures.declined_to)
        if not bodies:
            self.line("Tidak ada pengaduan yang ditolak dan dialihkan ke instansi lain.")
            return
        table = [("Ditolak dan dialihkan ke instansi", "Jumlah")]
        table.extend((body, str(count)) for body, count in bodies)
        self.table(table, (130, 40))

    def satisfaction(self) -> None:
        figures = self.report.totals
        self.section("D. Kepuasan pengadu dan Indeks Kepuasan Masyarakat")
        self.line(
            f"Jawaban yang dinilai pengadu: {figures.rated}; dinilai puas: {figures.satisfied} "
            f"({percent_words(figures.satisfied_share)})."
        )
        ikm = figures.ikm
        if ikm is None:
            self.line("Belum ada jawaban Survei Kepuasan Masyarakat (SKM) bulan ini.")
            return
        self.line(
            f"IKM dari {ikm.respondents} responden SKM: {decimal_words(float(ikm.converted))} "
            f"(nilai {decimal_words(float(ikm.value), 4)} pada skala 1-4), mutu pelayanan "
            f"{ikm.grade} ({ikm.performance.lower()})."
        )
        self.pdf.ln(2)
        rows = [("Unsur pelayanan", "Nilai rata-rata (NRR)")]
        for element, column in zip(ELEMENTS, ELEMENT_COLUMNS, strict=True):
            rows.append((f"{element.code} {element.name}", value_words(column, figures)))
        rows.append(("IKM (25-100)", f"{decimal_words(float(ikm.converted))} ({ikm.grade})"))
        self.table(rows, (120, 50), total_last=True)

    def method(self) -> None:
        self.section("E. Cara menghitung")
        for paragraph in self.report.method.split("\n"):
            if paragraph.strip():
                self.line(paragraph.strip(), size=9)
                self.pdf.ln(1)

    def signature(self) -> None:
        pdf = self.pdf
        needed = 8 + 3 * 5 + SIGNATURE_SPACE + 2 * 5
        if pdf.get_y() + needed > pdf.h - pdf.b_margin:
            pdf.add_page()  # the block is not split over two pages
        pdf.ln(8)
        left = pdf.w - pdf.r_margin - SIGNATURE_WIDTH
        made = self.report.as_of.astimezone(self.zone).date()
        self.font(BODY_SIZE)
        for words in (f"{PLACE}, {day_words(made)}", SIGNER):
            pdf.set_x(left)
            pdf.multi_cell(
                SIGNATURE_WIDTH,
                5,
                self.face.text(words),
                align="C",
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
        pdf.ln(SIGNATURE_SPACE)
        for words in ("(" + "." * 50 + ")", "NIP. " + "." * 40):
            pdf.set_x(left)
            pdf.multi_cell(
                SIGNATURE_WIDTH, 5, words, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )


def _of(figures: Figures) -> str:
    return (
        f"{percent_words(figures.within_standard_share)} "
        f"({figures.steps_within_standard} dari {figures.steps_completed})"
    )


def _satisfied(figures: Figures) -> str:
    return f"{percent_words(figures.satisfied_share)} ({figures.satisfied} dari {figures.rated})"


def _ikm_words(figures: Figures) -> str:
    ikm = figures.ikm
    if ikm is None:
        return NO_FIGURE
    return f"{decimal_words(float(ikm.converted))} (mutu {ikm.grade}, {ikm.performance.lower()})"
