"""The monthly report's SVG charts, parsed as XML: accessible (role, title, desc naming every
figure), self-contained, 300 units wide, one bar per service, outcome or route with its figure
written beside it and its length in proportion."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from markupsafe import Markup

from services.workflow.reports.charts import (
    VALUE_CHARACTER_WIDTH,
    BarRow,
    bar_chart,
    outcomes_chart,
    routes_chart,
    services_chart,
)
from tests.workflow.reports.sample import quiet_report, rich_report

SVG = "{http://www.w3.org/2000/svg}"


def parsed(markup: Markup) -> ET.Element:
    assert isinstance(markup, Markup)
    return ET.fromstring(str(markup))  # noqa: S314 - the code under test's own markup


def bars(svg: ET.Element) -> dict[str, tuple[str, float, str]]:
    """Each row's key -> (its label, its bar's width, its figure as written)."""
    found = {}
    for row in svg.iter(f"{SVG}g"):
        texts = [t.text or "" for t in row.iter(f"{SVG}text")]
        bar = next(r for r in row.iter(f"{SVG}rect") if r.get("class") == "bar")
        found[row.get("data-key", "")] = (
            " ".join(texts[:-1]),
            float(bar.get("width", "")),
            texts[-1],
        )
    return found


def track_width(svg: ET.Element) -> float:
    """The width of the bars' tracks (one for every bar)."""
    widths = {
        float(r.get("width", "")) for r in svg.iter(f"{SVG}rect") if r.get("class") == "track"
    }
    assert len(widths) == 1
    return widths.pop()


def test_the_widest_figure_has_room_beside_its_track() -> None:
    # A figure with a decimal share ("14 (82,4%)") was once cut off at the chart's edge: the
    # track is shortened for the widest figure, at a generous width per character.
    rows = [BarRow("a", "Dijawab", 14, "14 (82,4%)"), BarRow("b", "Duplikat", 3, "3 (17,6%)")]
    svg = parsed(bar_chart("grafik-uji", "Uji", rows))
    [start] = {
        float(t.get("x", "")) for t in svg.iter(f"{SVG}text") if t.get("class") == "bar-value"
    }
    assert track_width(svg) < start
    assert start + len("14 (82,4%)") * VALUE_CHARACTER_WIDTH <= 300


def assert_accessible(svg: ET.Element, title: str) -> None:
    assert svg.get("role") == "img"
    assert svg.get("viewBox", "").startswith("0 0 300 ")
    assert svg.get("width") is None  # it takes its container's width, down to a phone's
    title_element = svg.find(f"{SVG}title")
    desc = svg.find(f"{SVG}desc")
    assert title_element is not None and desc is not None
    assert title_element.text == title
    assert svg.get("aria-labelledby") == f"{title_element.get('id')} {desc.get('id')}"
    markup = ET.tostring(svg, encoding="unicode")
    assert "http" not in markup.replace("http://www.w3.org/2000/svg", "")
    assert "<script" not in markup and "style=" not in markup and "href" not in markup


def test_complaints_per_service_one_bar_each_the_largest_full() -> None:
    svg = parsed(services_chart(rich_report()))
    assert_accessible(svg, "Pengaduan masuk per layanan perizinan, November 2026")
    found = bars(svg)
    assert list(found) == ["NIB", "PBG", "tanpa-layanan"]
    full = track_width(svg)
    assert found["NIB"] == ("Nomor Induk Berusaha (NIB) melalui OSS", full, "6")
    assert found["PBG"] == ("Persetujuan Bangunan Gedung (PBG)", round(full / 2, 1), "3")
    assert found["tanpa-layanan"] == ("Tidak menyebut layanan", round(full / 6, 1), "1")
    desc = svg.find(f"{SVG}desc")
    assert desc is not None and desc.text == (
        "Nomor Induk Berusaha (NIB) melalui OSS: 6; Persetujuan Bangunan Gedung (PBG): 3; "
        "Tidak menyebut layanan: 1"
    )


def test_outcomes_add_up_to_those_filed() -> None:
    svg = parsed(outcomes_chart(rich_report()))
    assert_accessible(svg, "Hasil penanganan pengaduan November 2026 (10 masuk)")
    found = bars(svg)
    assert [label for label, _, _ in found.values()] == [
        "Dijawab",
        "Ditolak (di luar kewenangan)",
        "Duplikat",
        "Ditutup tanpa tanggapan pengadu",
        "Masih diproses",
    ]
    full = track_width(svg)
    assert found["answered"] == ("Dijawab", full, "4 (40%)")
    assert found["declined"][1:] == (round(full * 3 / 4, 1), "3 (30%)")
    assert found["open"][2] == "1 (10%)"


def test_every_route_is_drawn_zeros_too() -> None:
    svg = parsed(routes_chart(rich_report()))
    assert_accessible(svg, "Jalur masuk pengaduan November 2026")
    found = bars(svg)
    assert list(found) == ["web", "api", "open311", "telepon", "loket", "surat"]
    full = track_width(svg)
    assert found["web"] == ("Formulir web", full, "4 (40%)")
    assert found["loket"][1:] == (round(full / 2, 1), "2 (20%)")
    assert found["surat"][2] == "1 (10%)"


@pytest.mark.parametrize("chart", [services_chart, outcomes_chart, routes_chart])
def test_a_month_without_complaints_says_so_in_words(chart: object) -> None:
    svg = parsed(chart(quiet_report()))  # type: ignore[operator]
    assert svg.get("role") == "img"
    assert not bars(svg)
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert texts == ["Tidak ada pengaduan pada bulan ini."]
    desc = svg.find(f"{SVG}desc")
    assert desc is not None and desc.text == "Tidak ada pengaduan pada bulan ini."


def test_names_are_escaped_and_long_ones_wrap_onto_two_lines() -> None:
    name = "<b>Izin</b> & " + "sangat panjang " * 8
    svg = parsed(bar_chart("grafik-uji", "Uji", [BarRow("X&Y", name, 0, "0")]))
    (row,) = svg.iter(f"{SVG}g")
    assert row.get("data-key") == "X&Y"
    labels = [t.text or "" for t in row.iter(f"{SVG}text")][:-1]
    assert len(labels) == 2 and labels[0].startswith("<b>Izin</b> &")
    assert labels[1].endswith("...")
    assert all(len(label) <= 34 for label in labels)
