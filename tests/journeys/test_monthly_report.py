"""The monthly report over the real system, on SQLite and PostgreSQL: a month filled with
complaints of every outcome, filed through the web form, the API and by telephone, about named
services and none, carried by the real queues and workers; then every figure of the report's
JSON checked against a count this test keeps of what it did (not against the report's code),
and the same numbers read back from the XLSX workbook (openpyxl) and the PDF's text (pypdf).

The cases, as the test makes them (``Made``):

- A (API, NIB): answered, rated 4 (*puas*), surveyed;
- B (API, NIB): answered, rated 2, so reopened; answered again, that answer rated 3, surveyed;
- C (telephone, PBG): declined at step 2, sent to a named body;
- D (web form, no service): marked a duplicate of A at step 1;
- E (telephone, no service): information requested; closed at the reply deadline;
- F (web form, no service): waiting at step 2, past its standard at the report's moment;
- G (API, PBG): information requested, waiting for the complainant: open, not overdue.

Time: the overdue figure needs a step's 5 office minutes to pass, and E's close its ten office
days. Neither is waited for (as in ``test_reply_deadline``): the sweep's task body runs in this
process under the workflow's injected clock at E's deadline, and the report's JSON is asked of
the workflow app in this process with its clock standing a minute after F's due time, against the
system's database. The running workflow API (on the real clock) gives the same JSON but for the
moment and the overdue figure, and the files.
"""

from __future__ import annotations

import io
import re
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from pypdf import PdfReader

from services.workflow.api.app import create_app
from services.workflow.database import get_db
from services.workflow.models import Case, SurveyResponse
from services.workflow.sla import clock
from shared.sop import STEPS, Role
from shared.web.pages import CSRF_COOKIE
from shared.wording import privacy
from tests.journeys.conftest import portal_environment
from tests.journeys.monthly_count import SURVEYS, Made, expected
from tests.journeys.test_reopening import rate
from tests.journeys.test_reply_deadline import sweep_at
from tests.support.clock import TestClock
from tools.harness.desk import STAFF_PASSWORD, Desk
from tools.harness.processes import wait_for
from tools.harness.smtp import SmtpServer

pytestmark = pytest.mark.both_databases

WIB = ZoneInfo("Asia/Jakarta")
BODY = "Dinas Kesehatan Kota Madiun"
URL = "/api/v1/reports/monthly"


@pytest.fixture
def service_env(
    tmp_path: Path, broker_url: str, database_urls: dict[str, str], smtp_server: SmtpServer
) -> dict[str, str]:
    """Cookies the test's plain http carries: the web form is sent as a browser sends it."""
    return portal_environment(tmp_path, broker_url, database_urls, smtp_server)


def file_on_the_web(system: Desk, subject: str) -> dict[str, str]:
    """The portal's form as a browser sends it: its hidden fields (CSRF, the one-time key) and
    the consent to the privacy notice ticked; the receipt's code and token."""
    with httpx.Client(base_url=str(system.intake.base_url), timeout=30) as browser:
        form = browser.get("/").text
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
        fields.update(
            csrftoken=browser.cookies[CSRF_COOKIE],
            consent=privacy.CONSENT_VALUE,
            identity="shown",
            name="Rina Wulandari",
            email="rina.wulandari@example.id",
            channels="email",
            subject=subject,
            description="Permohonan kami belum ada kabar sejak bulan lalu, mohon ditindaklanjuti.",
        )
        receipt = browser.post("/", data=fields, follow_redirects=True)
    assert receipt.status_code == 200, receipt.text
    found = {
        name: re.search(rf'id="{anchor}">([^<]+)<', receipt.text)
        for name, anchor in (("tracking_code", "kode-pelacakan"), ("access_token", "token-akses"))
    }
    assert all(found.values()), receipt.text
    return {name: match[1].strip() for name, match in found.items() if match}


def file(made: Made, system: Desk, name: str, route: str, service: str | None) -> dict[str, Any]:
    subject = f"Pengaduan {name}: izin belum terbit"
    if route == "web":
        filed: dict[str, Any] = file_on_the_web(system, subject)
    elif route == "api":
        filed = system.file_complaint(subject=subject, service_code=service)
    else:
        filed = system.taken_by_api(route, subject=subject, service_code=service)
    made.route[name], made.service[name] = route, service
    made.codes[name] = filed["tracking_code"]
    return filed


def walk(made: Made, system: Desk, name: str, steps: range) -> None:
    for number in steps:
        role = STEPS[number - 1].role
        item = system.wait_for_work(role, made.codes[name], number)
        made.ids[name] = item["case_id"]
        response = system.complete(role, item["case_id"], number)
        assert response.status_code == 202, response.text
        made.steps[name] += 1


def arrive(made: Made, system: Desk, name: str, step: int) -> str:
    item = system.wait_for_work(STEPS[step - 1].role, made.codes[name], step)
    made.ids[name] = item["case_id"]
    return str(item["case_id"])


def fill_the_month(system: Desk) -> Made:
    made = Made()
    a = file(made, system, "A", "api", "NIB")
    b = file(made, system, "B", "api", "NIB")
    file(made, system, "C", "telepon", "PBG")
    file(made, system, "D", "web", None)
    e = file(made, system, "E", "telepon", None)
    file(made, system, "F", "web", None)
    file(made, system, "G", "api", "PBG")

    # A: answered and rated puas.
    walk(made, system, "A", range(1, 6))
    system.wait_for_status(a, "answered")
    assert rate(system, a, {"score": 4}).status_code == 201
    made.scores.append(("A", 4))
    made.outcome["A"] = "answered"

    # B: answered, rated tidak puas (reopened to the Kasi), answered again and rated puas.
    walk(made, system, "B", range(1, 6))
    system.wait_for_status(b, "answered")
    assert rate(system, b, {"score": 2, "comment": "Belum selesai."}).status_code == 201
    made.scores.append(("B", 2))
    made.reopened.add("B")
    walk(made, system, "B", range(2, 6))
    wait_for(
        lambda: [e["status"] for e in system.track(b)["timeline"]].count("answered") == 2,
        60,
        "B's second answer on the tracking API",
    )
    assert rate(system, b, {"score": 3}).status_code == 201
    made.scores.append(("B", 3))
    made.outcome["B"] = "answered"

    the_other_outcomes(made, system, e)
    survey(made)
    return made


def survey(made: Made) -> None:
    """The SKM survey answers of A's answer and B's second, written as intake's survey would
    have the workflow keep them (collecting them is intake's part)."""
    with get_db().transaction() as session:
        for name, round_ in (("A", 1), ("B", 2)):
            session.add(
                SurveyResponse(
                    case_id=made.ids[name],
                    round=round_,
                    scores=SURVEYS[name],
                    submitted_at=clock.now(),
                    message_id=str(uuid.uuid4()),
                )
            )


def the_other_outcomes(made: Made, system: Desk, e: dict[str, Any]) -> None:
    """C declined, D a duplicate, E closed at its deadline, F at step 2, G asked for more."""
    # C: declined, sent to the body responsible.
    walk(made, system, "C", range(1, 2))
    c_id = arrive(made, system, "C", 2)
    declined = system.take_path(
        Role.KASI, c_id, 2, "decline", {"reason": "Di luar kewenangan", "responsible_body": BODY}
    )
    assert declined.status_code == 202, declined.text
    made.outcome["C"], made.declined_to["C"] = "declined", BODY

    # D: a duplicate of A.
    d_id = arrive(made, system, "D", 1)
    marked = system.take_path(
        Role.ADMIN, d_id, 1, "mark_duplicate", {"original_tracking_code": made.codes["A"]}
    )
    assert marked.status_code == 202, marked.text
    made.outcome["D"] = "duplicates"

    # E: information requested, closed at its deadline (the sweep at that moment).
    walk(made, system, "E", range(1, 2))
    e_id = arrive(made, system, "E", 2)
    asked = system.take_path(Role.KASI, e_id, 2, "request_information", {"reason": "Nomor?"})
    assert asked.status_code == 202, asked.text
    system.wait_for_status(e, "information_requested")
    with get_db().sessions() as session:
        due = session.get_one(Case, e_id).reply_due_at
    assert due is not None
    assert re.search(r"closed [1-9]", sweep_at(due))
    system.wait_for_status(e, "closed_no_response")
    made.outcome["E"] = "closed_without_reply"

    # F: waiting at step 2 (the report is made past its due time); G: waiting for the
    # complainant, asked after E's deadline was swept, so its own deadline stands.
    walk(made, system, "F", range(1, 2))
    arrive(made, system, "F", 2)
    made.outcome["F"] = "open"
    made.overdue.add("F")
    walk(made, system, "G", range(1, 2))
    g_id = arrive(made, system, "G", 2)
    asked = system.take_path(Role.KASI, g_id, 2, "request_information", {"reason": "Nomor?"})
    assert asked.status_code == 202, asked.text
    made.outcome["G"] = "open"


def report_at(moment: datetime, month: str) -> dict[str, Any]:
    """The report's JSON from the workflow app in this process, its clock standing at
    ``moment``, read by the Koordinator; no lifespan: the system's relay runs elsewhere."""
    with clock.driven_by(TestClock(moment, running=False)):
        client = TestClient(create_app())
        token = client.post(
            "/api/v1/auth/token",
            data={"username": f"uji_{Role.KOORDINATOR.value}", "password": STAFF_PASSWORD},
        ).json()["access_token"]
        response = client.get(
            URL, params={"month": month}, headers={"Authorization": f"Bearer {token}"}
        )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_every_figure_of_the_month_is_what_was_done(
    system: Desk, configured: dict[str, str]
) -> None:
    made = fill_the_month(system)
    with get_db().sessions() as session:
        filed = [session.get_one(Case, made.ids[n]).filed_at for n in made.outcome]
        f_due = session.get_one(Case, made.ids["F"]).due_at
    months = {moment.astimezone(WIB).strftime("%Y-%m") for moment in filed}
    assert len(months) == 1, "the cases were filed across a month's end: run again"
    [month] = months
    assert f_due is not None
    as_of = f_due + timedelta(minutes=1)

    report = report_at(as_of, month)
    names = sorted(made.outcome)
    totals = expected(made, system, names)
    assert report["month"] == month
    assert datetime.fromisoformat(report["as_of"]) == as_of
    assert report["totals"] == totals
    # The outcomes add up to what was filed.
    outcomes = ("answered", "declined", "duplicates", "closed_without_reply", "open")
    assert sum(totals[k] for k in outcomes) == totals["filed"] == 7

    lines = [(s["code"], s["name"], s["group"]) for s in report["services"]]
    assert lines == [
        ("NIB", "Nomor Induk Berusaha (NIB) melalui OSS", "berusaha"),
        ("PBG", "Persetujuan Bangunan Gedung (PBG)", "non_berusaha"),
        (None, "Tidak disebutkan", None),
    ]
    for line in report["services"]:
        mine = [n for n in names if made.service[n] == line["code"]]
        figures = {k: v for k, v in line.items() if k not in ("code", "name", "group")}
        assert figures == expected(made, system, mine), line["code"]

    # The running API, on the real clock: the same report but for its moment and the overdue
    # figure (F may or may not be past its 5 office minutes by now).
    live = system.workflow.get(URL, params={"month": month}, headers=system.headers(Role.KASI))
    assert live.status_code == 200, live.text
    live_totals = live.json()["totals"]
    assert {k: v for k, v in live_totals.items() if k != "overdue"} == {
        k: v for k, v in totals.items() if k != "overdue"
    }
    refused = system.workflow.get(
        URL, params={"month": month}, headers=system.headers(Role.TIM_KOORDINASI)
    )
    assert refused.status_code == 403

    check_the_files(system, month, totals, live_totals["overdue"])


def check_the_files(system: Desk, month: str, totals: dict[str, Any], overdue: int) -> None:
    def download(fmt: str) -> bytes:
        response = system.workflow.get(
            URL, params={"month": month, "format": fmt}, headers=system.headers(Role.ADMIN)
        )
        assert response.status_code == 200, response.text
        assert response.headers["content-disposition"] == (
            f'attachment; filename="laporan-bulanan-{month}.{fmt}"'
        )
        return response.content

    book = load_workbook(io.BytesIO(download("xlsx")))
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(values_only=True)}
    assert (
        summary["Pengaduan masuk"],
        summary["Dijawab"],
        summary["Ditolak (di luar kewenangan)"],
        summary["Duplikat"],
        summary["Ditutup tanpa tanggapan pengadu"],
        summary["Masih diproses"],
        summary["Masih diproses, melewati waktu baku"],
        summary["Dibuka kembali"],
        summary["Masuk lewat Formulir web"],
        summary["Masuk lewat Aplikasi (API)"],
        summary["Masuk lewat Telepon"],
        summary["Jawaban dinilai"],
        summary["Dinilai puas"],
        summary["Responden SKM"],
        summary["IKM (25-100)"],
        summary["Mutu pelayanan"],
    ) == (
        totals["filed"],
        totals["answered"],
        totals["declined"],
        totals["duplicates"],
        totals["closed_without_reply"],
        totals["open"],
        overdue,
        totals["reopened"],
        totals["filed_via"]["web"],
        totals["filed_via"]["api"],
        totals["filed_via"]["telepon"],
        totals["rated"],
        totals["satisfied"],
        totals["ikm"]["respondents"],
        totals["ikm"]["converted"],
        totals["ikm"]["grade"],
    )
    declined = {row[0]: row[1] for row in book["Dialihkan ke"].iter_rows(values_only=True)}
    assert declined[BODY] == 1

    pdf = PdfReader(io.BytesIO(download("pdf")))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pdf.pages))
    for label, figure in (
        ("Pengaduan masuk", totals["filed"]),
        ("Dijawab", totals["answered"]),
        ("Ditolak (di luar kewenangan)", totals["declined"]),
        ("Duplikat", totals["duplicates"]),
        ("Ditutup tanpa tanggapan pengadu", totals["closed_without_reply"]),
        ("Masih diproses", totals["open"]),
        ("Dibuka kembali", totals["reopened"]),
    ):
        assert f"{label} {figure}" in text, label
    share = round(totals["satisfied"] / totals["rated"] * 100, 1)
    puas = f"{share:.1f}".replace(".", ",").removesuffix(",0")
    assert f"Jawaban dinilai puas {puas}% ({totals['satisfied']} dari {totals['rated']})" in text
    converted = f"{totals['ikm']['converted']:.2f}".replace(".", ",")
    assert f"IKM dari {totals['ikm']['respondents']} responden SKM: {converted}" in text
    assert f"{BODY} 1" in text
