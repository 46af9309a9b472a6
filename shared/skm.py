"""The *Survei Kepuasan Masyarakat* (SKM) and its *Indeks Kepuasan Masyarakat* (IKM), as
Permenpan RB 14/2017 defines them: nine elements (*unsur*), each answered on a 1-4 scale, and
the index the regulation computes from them. Intake asks the survey, the workflow reports the
index; both read the elements and the formula here (docs/SKM.md works an example).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

SCALE = (1, 2, 3, 4)  # tidak baik, kurang baik, baik, sangat baik (the regulation's four)
SCALE_LABELS = {1: "Tidak baik", 2: "Kurang baik", 3: "Baik", 4: "Sangat baik"}


@dataclass(frozen=True)
class Element:
    code: str  # U1..U9, as the regulation numbers them
    name: str
    question: str  # as the complainant reads it on the survey


# The regulation's nine elements in its order (its scope, *ruang lingkup*, a-i) and its
# example questionnaire's questions. (That questionnaire asks of the facilities before the
# complaint handling; the numbering here is the scope's, which the index does not depend on.)
ELEMENTS: tuple[Element, ...] = (
    Element(
        "U1",
        "Persyaratan",
        "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis "
        "pelayanannya?",
    ),
    Element(
        "U2",
        "Sistem, mekanisme, dan prosedur",
        "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
    ),
    Element(
        "U3",
        "Waktu penyelesaian",
        "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
    ),
    Element(
        "U4",
        "Biaya/tarif",
        "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
    ),
    Element(
        "U5",
        "Produk spesifikasi jenis pelayanan",
        "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum "
        "dalam standar pelayanan dengan hasil yang diberikan?",
    ),
    Element(
        "U6",
        "Kompetensi pelaksana",
        "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
    ),
    Element(
        "U7",
        "Perilaku pelaksana",
        "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan "
        "dan keramahan?",
    ),
    Element(
        "U8",
        "Penanganan pengaduan, saran dan masukan",
        "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
    ),
    Element(
        "U9",
        "Sarana dan prasarana",
        "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
    ),
)
CODES = tuple(element.code for element in ELEMENTS)

# Each element weighs the same: 1/9. The regulation writes the weight rounded (0,11); the exact
# fraction is used here so that every answer "sangat baik" is an index of 100, as its table of
# intervals (up to 100,00) says it is.
WEIGHT = Decimal(1) / Decimal(len(ELEMENTS))
CONVERSION = Decimal(25)  # the index on the 1-4 scale times 25: 25-100

# The regulation's table: the converted index's lower bound for each quality grade (*mutu
# pelayanan*) and what it says of the unit's performance (*kinerja unit pelayanan*). Its
# intervals leave no room between them at two decimals (64,99 | 65,00; 76,60 | 76,61;
# 88,30 | 88,31): the converted index is rounded to two decimals first, then graded.
GRADES: tuple[tuple[Decimal, str, str], ...] = (
    (Decimal("88.31"), "A", "Sangat baik"),
    (Decimal("76.61"), "B", "Baik"),
    (Decimal("65.00"), "C", "Kurang baik"),
    (Decimal("25.00"), "D", "Tidak baik"),
)

METHOD = (
    "IKM dihitung sesuai Peraturan Menteri PANRB Nomor 14 Tahun 2017: nilai rata-rata (NRR) "
    "setiap unsur U1-U9 = jumlah nilai unsur / jumlah responden; IKM = jumlah NRR x bobot "
    "1/9 setiap unsur; IKM konversi = IKM x 25 (rentang 25-100), dibulatkan dua desimal. Mutu "
    "pelayanan: A (88,31-100, sangat baik), B (76,61-88,30, baik), C (65,00-76,60, kurang "
    "baik), D (25,00-64,99, tidak baik)."
)


@dataclass(frozen=True)
class Index:
    """The IKM of a set of survey answers."""

    respondents: int
    element_averages: tuple[Decimal, ...]  # NRR of U1..U9 (exact to Decimal's 28 digits)
    value: Decimal  # on the 1-4 scale, rounded to 4 places
    converted: Decimal  # 25-100, rounded to 2 places
    grade: str  # A-D
    performance: str  # the grade's words


def index_of(responses: Iterable[Sequence[int]]) -> Index | None:
    """The IKM of complete survey answers (nine scores each, in element order); None when there
    is none: an index of nobody is not zero.

    The arithmetic is exact (fractions) up to the two roundings the report shows: 1/9 has no
    finite decimal, and a sum of weighted decimals falls a hair short of a true half (78,125
    would round to 78,12, not 78,13), which at a grade's edge is the grade."""
    answers = [tuple(r) for r in responses]
    if not answers:
        return None
    for answer in answers:
        if len(answer) != len(ELEMENTS) or not all(_on_scale(score) for score in answer):
            raise ValueError(f"an SKM answer is nine scores of 1-4, not {answer!r}")
    count = len(answers)
    totals = [sum(answer[i] for answer in answers) for i in range(len(ELEMENTS))]
    averages = [Fraction(total, count) for total in totals]
    value = sum(averages, Fraction(0)) * Fraction(1, len(ELEMENTS))
    converted = _rounded(value * 25, "0.01")
    grade, performance = grade_of(converted)
    return Index(
        respondents=count,
        element_averages=tuple(Decimal(t) / Decimal(count) for t in totals),
        value=_rounded(value, "0.0001"),
        converted=converted,
        grade=grade,
        performance=performance,
    )


def grade_of(converted: Decimal) -> tuple[str, str]:
    """The quality grade and its words of a converted index (two decimals, as ``index_of``)."""
    for lower, grade, performance in GRADES:
        if converted >= lower:
            return grade, performance
    raise ValueError(f"an IKM below 25 cannot come of scores of 1-4: {converted}")


def _on_scale(score: object) -> bool:
    # A JSON ``true`` is 1 to Python and 4.0 equals 4: neither is an answer.
    return type(score) is int and score in SCALE


def _rounded(value: Fraction, places: str) -> Decimal:
    """Half up, as the regulation's worked figures are rounded, from the exact value."""
    step = Decimal(places)
    scaled = value / Fraction(step)
    whole = int(scaled)  # non-negative here: floor
    if scaled - whole >= Fraction(1, 2):
        whole += 1
    return (Decimal(whole) * step).quantize(step, rounding=ROUND_HALF_UP)
