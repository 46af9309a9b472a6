"""The IKM of Permenpan RB 14/2017, checked against figures worked by hand from the
regulation's formula (written out below), not against the code's own arithmetic:

    NRR per unsur      = jumlah nilai unsur / jumlah responden
    IKM                = (NRR U1 + ... + NRR U9) x 1/9
    IKM konversi       = IKM x 25, dibulatkan dua desimal
    mutu pelayanan     = A 88,31-100 | B 76,61-88,30 | C 65,00-76,60 | D 25,00-64,99
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from shared.skm import CODES, ELEMENTS, index_of

# Four complainants' answers, U1..U9.
ANSWERS = (
    (4, 4, 3, 4, 3, 3, 4, 3, 3),
    (3, 3, 3, 4, 3, 3, 3, 2, 3),
    (4, 3, 2, 4, 3, 4, 4, 3, 3),
    (3, 3, 3, 4, 4, 3, 4, 3, 2),
)


def answers_totalling(respondents: int, total: int) -> list[tuple[int, ...]]:
    """``respondents`` complete answers whose 9 x ``respondents`` scores add up to ``total``
    (the index depends on the total only: every element weighs 1/9)."""
    scores = 9 * respondents
    base, extra = divmod(total, scores)
    flat = [base + 1] * extra + [base] * (scores - extra)
    return [tuple(flat[i * 9 : i * 9 + 9]) for i in range(respondents)]


def test_the_nine_elements_are_the_regulations() -> None:
    assert CODES == ("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9")
    assert [e.name for e in ELEMENTS] == [
        "Persyaratan",
        "Sistem, mekanisme, dan prosedur",
        "Waktu penyelesaian",
        "Biaya/tarif",
        "Produk spesifikasi jenis pelayanan",
        "Kompetensi pelaksana",
        "Perilaku pelaksana",
        "Penanganan pengaduan, saran dan masukan",
        "Sarana dan prasarana",
    ]
    assert all(e.question.startswith("Bagaimana") and e.question.endswith("?") for e in ELEMENTS)


def test_the_index_of_four_answers_is_the_figure_worked_by_hand() -> None:
    # Jumlah nilai per unsur (U1..U9):
    #   U1 4+3+4+3 = 14   U2 4+3+3+3 = 13   U3 3+3+2+3 = 11
    #   U4 4+4+4+4 = 16   U5 3+3+3+4 = 13   U6 3+3+4+3 = 13
    #   U7 4+3+4+4 = 15   U8 3+2+3+3 = 11   U9 3+3+3+2 = 11
    # NRR = jumlah / 4 responden:
    #   3,50  3,25  2,75  4,00  3,25  3,25  3,75  2,75  2,75
    # Jumlah NRR = 29,25; IKM = 29,25 x 1/9 = 3,25; konversi 3,25 x 25 = 81,25: B, baik.
    index = index_of(ANSWERS)

    assert index is not None
    assert index.respondents == 4
    assert index.element_averages == tuple(
        Decimal(x) for x in ("3.5", "3.25", "2.75", "4", "3.25", "3.25", "3.75", "2.75", "2.75")
    )
    assert index.value == Decimal("3.2500")
    assert index.converted == Decimal("81.25")
    assert (index.grade, index.performance) == ("B", "Baik")


def test_every_answer_sangat_baik_is_100_and_every_answer_tidak_baik_is_25() -> None:
    # NRR 4 on each element: 9 x 4 x 1/9 = 4; x 25 = 100. With the regulation's rounded
    # weight 0,11 it would be 9 x 4 x 0,11 x 25 = 99: the exact 1/9 is why its table ends at 100.
    best, worst = index_of([(4,) * 9] * 3), index_of([(1,) * 9] * 3)
    assert best is not None and worst is not None
    assert (best.converted, best.grade) == (Decimal("100.00"), "A")
    assert (worst.converted, worst.grade) == (Decimal("25.00"), "D")


@pytest.mark.parametrize(
    ("respondents", "total", "converted", "grade"),
    [
        # 5 responden, jumlah semua nilai 117: jumlah NRR = 117/5 = 23,4; IKM = 23,4/9 = 2,6;
        # konversi 2,6 x 25 = 65,00: the lowest C.
        (5, 117, "65.00", "C"),
        # One point less, 116: 116/5 = 23,2; /9 = 2,5778; x 25 = 64,444: 64,44, D.
        (5, 116, "64.44", "D"),
        # 250 responden, 7947: 7947/250 = 31,788; /9 = 3,532; x 25 = 88,30: the highest B.
        (250, 7947, "88.30", "B"),
        # One point more, 7948: 7948/250 = 31,792; /9 = 3,53244; x 25 = 88,311: 88,31, A.
        (250, 7948, "88.31", "A"),
        # 8 responden, 225: 225/8 = 28,125; /9 = 3,125; x 25 = 78,125, half up: 78,13.
        # (Summing 1/9 as a 28-digit decimal nine times gives 78,1249...: 78,12.)
        (8, 225, "78.13", "B"),
    ],
    ids=["c-lowest", "d-highest", "b-highest", "a-lowest", "half-up"],
)
def test_a_grade_boundary_worked_by_hand(
    respondents: int, total: int, converted: str, grade: str
) -> None:
    answers = answers_totalling(respondents, total)
    assert sum(map(sum, answers)) == total

    index = index_of(answers)

    assert index is not None
    assert (index.converted, index.grade) == (Decimal(converted), grade)


def test_no_answer_is_no_index() -> None:
    assert index_of([]) is None


@pytest.mark.parametrize(
    "answer",
    [(4,) * 8, (4,) * 10, (5,) + (4,) * 8, (0,) + (4,) * 8, (True,) + (4,) * 8, (4.0,) * 9],
    ids=["eight", "ten", "five", "zero", "bool", "float"],
)
def test_an_answer_off_the_scale_is_refused(answer: tuple[int, ...]) -> None:
    with pytest.raises(ValueError, match="nine scores of 1-4"):
        index_of([(3,) * 9, answer])
