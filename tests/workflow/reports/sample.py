"""Monthly reports built by hand for the files' and charts' tests: every figure below is written
out, not computed by the code under test (only the IKM comes of shared.skm's formula, from the
survey answers given here, and is read back from the Index the tests hold).

November 2026 at the office (WIB), made on 7 December 2026 at 08.30 WIB:
- NIB: 6 filed (web 3, API 1, Open311 1, telepon 1): 3 answered, 1 declined (to Dinas
  Kesehatan), 1 duplicate, 1 open and overdue; 1 reopened; 18 of 20 steps within standard;
  median 42.5 minutes; 3 rated, 2 satisfied; three SKM answers.
- PBG: 3 filed (loket 2, surat 1): 1 answered, 2 declined (to the land agency and to a body
  whose name a spreadsheet would read as a formula); 7 of 7 steps; median 120; none rated, no
  survey (its shares and IKM: none).
- no service named: 1 filed on the web, closed without reply; 1 of 2 steps; no median.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from services.workflow.reports.shape import INTAKE_ROUTES, Figures, MonthlyReport, ServiceLine
from shared.skm import METHOD, Index, index_of

WIB = ZoneInfo("Asia/Jakarta")
SURVEY = (
    (4, 4, 3, 4, 3, 4, 4, 3, 4),
    (3, 3, 3, 4, 3, 3, 4, 3, 3),
    (4, 3, 3, 4, 4, 4, 4, 3, 4),
)
FORMULA_BODY = '=HYPERLINK("http://contoh.invalid","Dinas")'
DASHED_METHOD = (
    "Kohort: pengaduan yang diajukan dalam bulan itu \N{EN DASH} dihitung menurut keadaannya "
    "\N{LEFT DOUBLE QUOTATION MARK}saat laporan dibuat\N{RIGHT DOUBLE QUOTATION MARK}."
)


def survey_index() -> Index:
    index = index_of(SURVEY)
    assert index is not None
    return index


def routes(**counts: int) -> dict[str, int]:
    return {route: counts.get(route, 0) for route in INTAKE_ROUTES}


def figures(**given: object) -> Figures:
    base: dict[str, object] = {
        "filed": 0,
        "filed_via": routes(),
        "answered": 0,
        "declined": 0,
        "declined_to": {},
        "duplicates": 0,
        "closed_without_reply": 0,
        "open": 0,
        "overdue": 0,
        "reopened": 0,
        "steps_completed": 0,
        "steps_within_standard": 0,
        "median_minutes_to_answer": None,
        "rated": 0,
        "satisfied": 0,
        "ikm": None,
    }
    base.update(given)
    return Figures(**base)  # type: ignore[arg-type]


NIB = figures(
    filed=6,
    filed_via=routes(web=3, api=1, open311=1, telepon=1),
    answered=3,
    declined=1,
    declined_to={"Dinas Kesehatan": 1},
    duplicates=1,
    open=1,
    overdue=1,
    reopened=1,
    steps_completed=20,
    steps_within_standard=18,
    median_minutes_to_answer=42.5,
    rated=3,
    satisfied=2,
    ikm=survey_index(),
)
PBG = figures(
    filed=3,
    filed_via=routes(loket=2, surat=1),
    answered=1,
    declined=2,
    declined_to={"Badan Pertanahan Nasional": 1, FORMULA_BODY: 1},
    steps_completed=7,
    steps_within_standard=7,
    median_minutes_to_answer=120.0,
)
NONE_NAMED = figures(
    filed=1,
    filed_via=routes(web=1),
    closed_without_reply=1,
    steps_completed=2,
    steps_within_standard=1,
)
TOTALS = figures(
    filed=10,
    filed_via=routes(web=4, api=1, open311=1, telepon=1, loket=2, surat=1),
    answered=4,
    declined=3,
    declined_to={"Dinas Kesehatan": 1, "Badan Pertanahan Nasional": 1, FORMULA_BODY: 1},
    duplicates=1,
    closed_without_reply=1,
    open=1,
    overdue=1,
    reopened=1,
    steps_completed=29,
    steps_within_standard=26,
    median_minutes_to_answer=60.0,
    rated=3,
    satisfied=2,
    ikm=survey_index(),
)
AS_OF = datetime(2026, 12, 7, 1, 30, tzinfo=UTC)  # 08.30 WIB


def rich_report() -> MonthlyReport:
    return MonthlyReport(
        month=date(2026, 11, 1),
        period_start=datetime(2026, 11, 1, tzinfo=WIB),
        period_end=datetime(2026, 12, 1, tzinfo=WIB),
        as_of=AS_OF,
        totals=TOTALS,
        services=(
            ServiceLine("NIB", "Nomor Induk Berusaha (NIB) melalui OSS", "berusaha", NIB),
            ServiceLine("PBG", "Persetujuan Bangunan Gedung (PBG)", "non_berusaha", PBG),
            ServiceLine(None, "Tidak menyebut layanan", None, NONE_NAMED),
        ),
        method=f"{DASHED_METHOD}\n{METHOD}",
    )


def quiet_report() -> MonthlyReport:
    """A month without a single complaint: zeros, no shares, no IKM, no service line."""
    return MonthlyReport(
        month=date(2026, 2, 1),
        period_start=datetime(2026, 2, 1, tzinfo=WIB),
        period_end=datetime(2026, 3, 1, tzinfo=WIB),
        as_of=datetime(2026, 3, 2, 2, 0, tzinfo=UTC),
        totals=figures(),
        services=(),
        method=METHOD,
    )
