"""The monthly report's charts as SVG drawn on the server (as the Mutu Baku's): complaints per
service, their outcomes and their routes of intake, as horizontal bars with their figures
written beside them. No script, no external resource, no inline style (the console's CSP): the
colours are attributes the console's stylesheet may override by class.

Each chart is an ``<svg role="img">`` named by its ``<title>`` and told in full by its
``<desc>`` (every bar's figure), so a screen reader hears what the eye sees. Its viewBox is 300
units wide: on a 360 px phone it shows near its own size, its 15-unit text stays readable.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from markupsafe import Markup, escape

from services.workflow.reports.columns import OUTCOMES, percent_words, service_label
from services.workflow.reports.shape import INTAKE_ROUTE_LABELS, INTAKE_ROUTES, MonthlyReport
from shared.wording.time_words import month_words

WIDTH = 300
VALUE_GAP = 8  # between a bar's track and its figure
# What one character of a figure ("14 (82,4%)") takes at TEXT_SIZE in bold, generously, and the
# fewest characters room is kept for: the track is as long as the widest figure leaves room for,
# so no figure runs past the chart's edge (measured in Chromium at 360 px: tests/browser).
VALUE_CHARACTER_WIDTH = 10
VALUE_CHARACTERS_AT_LEAST = 4
LINE_HEIGHT = 19
BAR_HEIGHT = 20
GAP = 14
TEXT_SIZE = 15
LABEL_CHARACTERS = 34  # a label longer than this wraps, onto two lines at most
EMPTY_HEIGHT = 40
BAR_COLOUR = "#1f5f8b"
TRACK_COLOUR = "#e6ecf1"
TEXT_COLOUR = "#1b1b1b"


@dataclass(frozen=True)
class BarRow:
    key: str  # the bar's data-key: a service's code, an outcome's or a route's name
    label: str
    value: int
    value_text: str


def services_chart(report: MonthlyReport) -> Markup:
    """Complaints filed per licensing service, in the catalogue's order."""
    rows = [
        BarRow(
            key=line.code or "tanpa-layanan",
            label=service_label(line.name),
            value=line.figures.filed,
            value_text=str(line.figures.filed),
        )
        for line in report.services
    ]
    return bar_chart(
        "grafik-layanan",
        f"Pengaduan masuk per layanan perizinan, {month_words(report.month)}",
        rows,
    )


def outcomes_chart(report: MonthlyReport) -> Markup:
    """Where the month's complaints stand: the outcomes that add up to those filed."""
    totals = report.totals
    rows = [
        BarRow(
            key=name,
            label=label,
            value=getattr(totals, name),
            value_text=_count_and_share(getattr(totals, name), totals.filed),
        )
        for name, label in OUTCOMES
    ]
    return bar_chart(
        "grafik-hasil",
        f"Hasil penanganan pengaduan {month_words(report.month)} ({totals.filed} masuk)",
        rows if totals.filed else [],
    )


def routes_chart(report: MonthlyReport) -> Markup:
    """How the month's complaints came in, every route shown, zeros too."""
    totals = report.totals
    rows = [
        BarRow(
            key=route,
            label=INTAKE_ROUTE_LABELS[route],
            value=totals.filed_via.get(route, 0),
            value_text=_count_and_share(totals.filed_via.get(route, 0), totals.filed),
        )
        for route in INTAKE_ROUTES
    ]
    return bar_chart(
        "grafik-jalur",
        f"Jalur masuk pengaduan {month_words(report.month)}",
        rows if totals.filed else [],
    )


def _count_and_share(count: int, whole: int) -> str:
    """``4 (40%)``."""
    return f"{count} ({percent_words(count / whole if whole else None)})"


def bar_chart(chart_id: str, title: str, rows: list[BarRow]) -> Markup:
    """Horizontal bars, the longest the largest figure; a chart of no rows says so in words."""
    parts: list[str] = []
    top = 0
    largest = max((row.value for row in rows), default=0)
    widest = max((len(row.value_text) for row in rows), default=0)
    widest = max(widest, VALUE_CHARACTERS_AT_LEAST)
    track = WIDTH - VALUE_GAP - VALUE_CHARACTER_WIDTH * widest
    for row in rows:
        lines = textwrap.wrap(row.label, LABEL_CHARACTERS, max_lines=2, placeholder="...") or [""]
        labels = "".join(
            f'<text x="0" y="{top + (n + 1) * LINE_HEIGHT - 4}" class="bar-label">'
            f"{escape(line)}</text>"
            for n, line in enumerate(lines)
        )
        bar_y = top + len(lines) * LINE_HEIGHT + 4
        width = round(track * row.value / largest, 1) if largest else 0.0
        parts.append(
            f'<g class="row" data-key="{escape(row.key)}">'
            f"<title>{escape(row.label)}: {escape(row.value_text)}</title>"
            f"{labels}"
            f'<rect x="0" y="{bar_y}" width="{track}" height="{BAR_HEIGHT}" '
            f'class="track" fill="{TRACK_COLOUR}"/>'
            f'<rect x="0" y="{bar_y}" width="{width}" height="{BAR_HEIGHT}" class="bar" '
            f'fill="{BAR_COLOUR}" data-value="{row.value}"/>'
            f'<text x="{track + VALUE_GAP}" y="{bar_y + BAR_HEIGHT - 5}" class="bar-value">'
            f"{escape(row.value_text)}</text>"
            "</g>"
        )
        top = bar_y + BAR_HEIGHT + GAP
    if not rows:
        parts.append(
            f'<text x="0" y="{LINE_HEIGHT + 4}" class="bar-label">'
            "Tidak ada pengaduan pada bulan ini.</text>"
        )
    height = top - GAP if rows else EMPTY_HEIGHT
    desc = "; ".join(f"{row.label}: {row.value_text}" for row in rows) or (
        "Tidak ada pengaduan pada bulan ini."
    )
    return Markup(  # noqa: S704 - every word above is escaped; the rest is our own numbers
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-judul {chart_id}-uraian" id="{chart_id}" '
        f'class="report-chart" font-size="{TEXT_SIZE}" fill="{TEXT_COLOUR}">'
        f'<title id="{chart_id}-judul">{escape(title)}</title>'
        f'<desc id="{chart_id}-uraian">{escape(desc)}</desc>'
        f"{''.join(parts)}</svg>"
    )
