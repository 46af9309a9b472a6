"""The *Survei Kepuasan Masyarakat* (SKM) and its *Indeks Kepuasan Masyarakat* (IKM), as
Permenpan RB 14/2017 defines them: nine elements (*unsur*), each answered on a 1-4 scale, and
the index the regulation computes from them. Intake asks the survey, the workflow reports the
index; both read the elements and the formula here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

SCALE = (1, 2, 3, 4)  # tidak baik, kurang baik, baik, sangat baik (the regulation's four)


@dataclass(frozen=True)
class Element:
    code: str  # U1..U9, as the regulation numbers them
    name: str
    question: str  # as the complainant reads it on the survey


ELEMENTS: tuple[Element, ...] = (
    Element("U1", "Persyaratan", "Bagaimana kesesuaian persyaratan pelayanan dengan jenisnya?"),
    Element(
        "U2",
        "Sistem, mekanisme, dan prosedur",
        "Bagaimana kemudahan prosedur pelayanan di unit ini?",
    ),
    Element("U3", "Waktu penyelesaian", "Bagaimana kecepatan waktu dalam memberikan pelayanan?"),
    Element("U4", "Biaya/tarif", "Bagaimana kewajaran biaya/tarif dalam pelayanan?"),
    Element(
        "U5",
        "Produk spesifikasi jenis pelayanan",
        "Bagaimana kesesuaian produk pelayanan antara yang tercantum dalam standar pelayanan "
        "dengan hasil yang diberikan?",
    ),
    Element(
        "U6", "Kompetensi pelaksana", "Bagaimana kompetensi/kemampuan petugas dalam pelayanan?"
    ),
    Element(
        "U7",
        "Perilaku pelaksana",
        "Bagaimana perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?",
    ),
    Element(
        "U8",
        "Penanganan pengaduan, saran dan masukan",
        "Bagaimana kualitas penanganan pengaduan, saran dan masukan?",
    ),
    Element("U9", "Sarana dan prasarana", "Bagaimana kualitas sarana dan prasarana?"),
)

# Each element weighs the same: 1/9. The regulation writes the weight rounded (0,11); the exact
# fraction is used here so that every answer "sangat baik" is an index of 100, as its table of
# intervals (up to 100,00) says it is.
WEIGHT = Decimal(1) / Decimal(len(ELEMENTS))
CONVERSION = Decimal(25)  # the index on the 1-4 scale times 25: 25-100

# The regulation's table: the converted index's lower bound for each quality grade (*mutu
# pelayanan*) and what it says of the unit's performance (*kinerja unit pelayanan*).
GRADES: tuple[tuple[Decimal, str, str], ...] = (
    (Decimal("88.31"), "A", "Sangat baik"),
    (Decimal("76.61"), "B", "Baik"),
    (Decimal("65.00"), "C", "Kurang baik"),
    (Decimal("25.00"), "D", "Tidak baik"),
)

METHOD = (
    "IKM dihitung sesuai Peraturan Menteri PANRB Nomor 14 Tahun 2017: nilai rata-rata (NRR) "
    "setiap unsur U1-U9 = jumlah nilai unsur / jumlah responden; IKM = jumlah NRR x bobot "
    "1/9 setiap unsur; IKM konversi = IKM x 25 (rentang 25-100). Mutu pelayanan: A (88,31-100, "
    "sangat baik), B (76,61-88,30, baik), C (65,00-76,60, kurang baik), D (25,00-64,99, tidak "
    "baik)."
)


@dataclass(frozen=True)
class Index:
    """The IKM of a set of survey answers."""

    respondents: int
    element_averages: tuple[Decimal, ...]  # NRR of U1..U9, unrounded
    value: Decimal  # on the 1-4 scale, rounded to 4 places
    converted: Decimal  # 25-100, rounded to 2 places
    grade: str  # A-D
    performance: str  # the grade's words


def index_of(responses: Iterable[Sequence[int]]) -> Index | None:
    """The IKM of complete survey answers (nine scores each, in element order); None when there
    is none: an index of nobody is not zero."""
    answers = [tuple(r) for r in responses]
    if not answers:
        return None
    for answer in answers:
        if len(answer) != len(ELEMENTS) or any(score not in SCALE for score in answer):
            raise ValueError(f"an SKM answer is nine scores of 1-4, not {answer!r}")
    count = Decimal(len(answers))
    averages = tuple(
        Decimal(sum(answer[i] for answer in answers)) / count for i in range(len(ELEMENTS))
    )
    value = sum((average * WEIGHT for average in averages), Decimal(0))
    converted = (value * CONVERSION).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    grade, performance = grade_of(converted)
    return Index(
        respondents=len(answers),
        element_averages=averages,
        value=value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP),
        converted=converted,
        grade=grade,
        performance=performance,
    )


def grade_of(converted: Decimal) -> tuple[str, str]:
    for lower, grade, performance in GRADES:
        if converted >= lower:
            return grade, performance
    raise ValueError(f"an IKM below 25 cannot come of scores of 1-4: {converted}")
