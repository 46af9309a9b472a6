"""The SKM survey over the real queues and workers, on SQLite and PostgreSQL: the answer reaches
the citizen, they rate it and fill in the survey through the citizens' API; the workflow holds
the answers on that answer round (as the monthly report's IKM reads them), its record says so,
and the console's case page shows the round's scores with their index."""

from __future__ import annotations

import html
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from services.workflow.database import get_db
from services.workflow.models import SurveyResponse
from shared.skm import index_of
from shared.sop import Role
from tools.harness.desk import STAFF_PASSWORD, Desk
from tools.harness.processes import wait_for

pytestmark = pytest.mark.both_databases

SCORES = {"U1": 4, "U2": 4, "U3": 3, "U4": 4, "U5": 3, "U6": 4, "U7": 4, "U8": 3, "U9": 3}


def console_page(desk: Desk, role: Role, url: str) -> str:
    """``url`` of the console as ``role`` signs in with a browser (cookies carried by hand: the
    test speaks plain http to processes whose cookies are Secure)."""
    jar: dict[str, str] = {}

    def send(method: str, path: str, data: dict[str, Any] | None = None) -> httpx.Response:
        cookie = "; ".join(f"{name}={value}" for name, value in jar.items())
        answer = desk.workflow.request(method, path, data=data, headers={"Cookie": cookie})
        for header in answer.headers.get_list("set-cookie"):
            name, _, rest = header.partition("=")
            jar[name] = rest.split(";", 1)[0]
        return answer

    send("GET", "/console/masuk")
    login = {"username": f"uji_{role.value}", "password": STAFF_PASSWORD}
    assert (
        send("POST", "/console/masuk", {**login, "csrftoken": jar["pgd_csrf"]}).status_code == 303
    )
    page = send("GET", url)
    assert page.status_code == 200, page.text
    return " ".join(html.unescape(page.text).split())


def post(system: Desk, filed: dict[str, Any], route: str, body: dict[str, Any]) -> httpx.Response:
    return system.intake.post(
        f"/api/v1/complaints/{filed['tracking_code']}/{route}",
        json=body,
        headers={"X-Access-Token": filed["access_token"]},
    )


def test_a_survey_after_the_rating_reaches_the_workflow_and_the_case_page(
    system: Desk, configured: dict[str, str]
) -> None:
    filed = system.file_complaint()
    case_id = system.walk(filed["tracking_code"])
    system.wait_for_status(filed, "answered")
    early = post(system, filed, "survey", {"scores": SCORES})
    assert (early.status_code, early.json()["code"]) == (409, "not_rated")

    assert post(system, filed, "rating", {"score": 4}).status_code == 201
    surveyed = post(system, filed, "survey", {"scores": SCORES})
    assert surveyed.status_code == 201, surveyed.text
    assert post(system, filed, "survey", {"scores": SCORES}).status_code == 409

    def held() -> list[tuple[int, list[int]]]:
        with get_db().sessions() as session:
            rows = session.scalars(select(SurveyResponse).where(SurveyResponse.case_id == case_id))
            return [(r.round, r.scores) for r in rows]

    kept = wait_for(held, 60, "the survey in the workflow's database")
    assert kept == [(1, list(SCORES.values()))]
    history = [e["kind"] for e in system.case(case_id)["history"]]
    assert history.count("rated") == history.count("surveyed") == 1

    index = index_of([list(SCORES.values())])
    assert index is not None
    # 4+4+3+4+3+4+4+3+3 = 32; 32 x 1/9 x 25 = 88,89: A.
    assert (str(index.converted), index.grade) == ("88.89", "A")
    page = console_page(system, Role.KASI, f"/console/kasus/{case_id}")
    assert "IKM jawaban ini 88,89 (A, sangat baik)" in page
    assert "<dt>U1 Persyaratan</dt><dd>4 (sangat baik)</dd>" in page
    assert "Pengadu mengisi Survei Kepuasan Masyarakat untuk jawaban ke-1" in page
