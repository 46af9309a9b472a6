"""What the monthly report's journey did, case by case, and the figures counted from it: the
independent count its report is checked against (``test_monthly_report``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from services.workflow.sla.office_calendar import office_calendar
from shared.sop import STEPS
from tools.harness.desk import Desk

SURVEYS = {"A": [4] * 9, "B": [3, 3, 3, 3, 3, 3, 3, 2, 3]}


@dataclass
class Made:
    """What the test did, case by case: the figures are counted from this."""

    route: dict[str, str] = field(default_factory=dict)
    service: dict[str, str | None] = field(default_factory=dict)
    outcome: dict[str, str] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)
    steps: Counter[str] = field(default_factory=Counter)
    scores: list[tuple[str, int]] = field(default_factory=list)
    reopened: set[str] = field(default_factory=set)
    overdue: set[str] = field(default_factory=set)
    declined_to: dict[str, str] = field(default_factory=dict)


def expected(made: Made, system: Desk, names: list[str]) -> dict[str, Any]:
    """The figures of ``names``, counted from what the test did."""
    outcomes = Counter(made.outcome[n] for n in names)
    routes = Counter(made.route[n] for n in names)
    scores = [score for name, score in made.scores if name in names]
    steps = sum(made.steps[n] for n in names)
    within = 0
    minutes = []
    calendar = office_calendar()
    for name in names:
        if name not in made.ids:
            continue
        case = system.case(made.ids[name])
        done = [e for e in case["history"] if e["kind"] == "completed"]
        within += sum(1 for e in done if e["within_standard"])
        answers = [e for e in done if e["step"] == STEPS[-1].number]
        if made.outcome[name] == "answered":
            first = datetime.fromisoformat(answers[0]["occurred_at"])
            filed = datetime.fromisoformat(case["filed_at"])
            minutes.append(round(calendar.minutes_between(filed, first), 2))
    minutes.sort()
    median = None
    if minutes:
        middle = len(minutes) // 2
        median = (
            minutes[middle]
            if len(minutes) % 2
            else round((minutes[middle - 1] + minutes[middle]) / 2, 2)
        )
    bodies = Counter(made.declined_to[n] for n in names if n in made.declined_to)
    satisfied = sum(1 for s in scores if s >= 3)
    return {
        "filed": len(names),
        "filed_via": {r: routes[r] for r in ("web", "api", "open311", "telepon", "loket", "surat")},
        "answered": outcomes["answered"],
        "declined": outcomes["declined"],
        "declined_to": dict(bodies),
        "duplicates": outcomes["duplicates"],
        "reopened": len(made.reopened & set(names)),
        "closed_without_reply": outcomes["closed_without_reply"],
        "open": outcomes["open"],
        "overdue": len(made.overdue & set(names)),
        "steps_completed": steps,
        "steps_within_standard": within,
        "within_standard_share": round(within / steps, 4) if steps else None,
        "median_minutes_to_answer": median,
        "rated": len(scores),
        "satisfied": satisfied,
        "satisfied_share": round(satisfied / len(scores), 4) if scores else None,
        "ikm": expected_ikm([SURVEYS[n] for n in names if n in SURVEYS]),
    }


def expected_ikm(answers: list[list[int]]) -> dict[str, Any] | None:
    """Permenpan RB 14/2017 by hand: each element's average, their weighted sum (1/9 each),
    times 25, and the grade from the regulation's table."""
    if not answers:
        return None
    names = [
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
    averages = [Decimal(sum(a[i] for a in answers)) / len(answers) for i in range(9)]
    value = sum(averages, Decimal(0)) / 9
    converted = (value * 25).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    grade = next(
        (g, p)
        for lower, g, p in (
            (Decimal("88.31"), "A", "Sangat baik"),
            (Decimal("76.61"), "B", "Baik"),
            (Decimal("65.00"), "C", "Kurang baik"),
            (Decimal("25.00"), "D", "Tidak baik"),
        )
        if converted >= lower
    )
    return {
        "respondents": len(answers),
        "elements": [
            {"code": f"U{i + 1}", "name": names[i], "average": round(float(averages[i]), 4)}
            for i in range(9)
        ],
        "value": float(value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)),
        "converted": float(converted),
        "grade": grade[0],
        "performance": grade[1],
    }
