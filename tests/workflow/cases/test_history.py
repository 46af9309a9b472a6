"""The case record over HTTP: every event, oldest first, readable by any role, never rewritten."""

from __future__ import annotations

import re

from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import update

from services.workflow.api.app import create_app
from services.workflow.cases.history import NOTIFIER_ACTOR, record
from services.workflow.database import get_db
from services.workflow.models import Case, StaffUser
from services.workflow.sla import clock
from shared.sop import Role
from tests.workflow.conftest import login
from tests.workflow.console_client import log_in, open_console

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def _history(client: TestClient, case: Case, role: Role = Role.KASI) -> list[dict]:
    response = client.get(f"/api/v1/cases/{case.id}/history", headers=login(client, role))
    assert response.status_code == 200, response.text
    assert response.json()["case_id"] == case.id
    return response.json()["events"]


def test_history_lists_every_event_oldest_first_with_who_what_and_minutes(
    client: TestClient, staff: dict, case_at_step_1: Case
) -> None:
    admin = login(client, Role.ADMIN)
    client.post(f"/api/v1/cases/{case_at_step_1.id}/claim", headers=admin)
    client.post(
        f"/api/v1/cases/{case_at_step_1.id}/steps/1", json={"note": "lengkap"}, headers=admin
    )
    events = _history(client, case_at_step_1, Role.TIM_KOORDINASI)
    assert [(e["sequence"], e["kind"], e["actor"]) for e in events] == [
        (1, "filed", "pengadu"),
        (2, "arrived", "sistem"),
        (3, "claimed", "petugas_admin"),
        (4, "completed", "petugas_admin"),
    ]
    filed, arrived, _, completed = events
    assert filed["input"]["subject"] == "Izin usaha belum terbit"
    assert arrived["step"] == 1 and arrived["role"] == "admin" and arrived["output"]["due_at"]
    assert completed["input"] == {"note": "lengkap"} and completed["output"]
    assert completed["minutes_taken"] is not None and completed["standard_minutes"] == 5
    assert completed["within_standard"] is True
    times = [e["occurred_at"] for e in events]
    assert times == sorted(times)


def test_history_of_an_unknown_case_is_404(client: TestClient, staff: dict) -> None:
    kasi = login(client, Role.KASI)
    for case_id in ("nope", "00000000-0000-4000-8000-000000000000", "%00"):
        assert client.get(f"/api/v1/cases/{case_id}/history", headers=kasi).status_code == 404


def test_history_needs_a_token(client: TestClient, case_at_step_1: Case) -> None:
    assert client.get(f"/api/v1/cases/{case_at_step_1.id}/history").status_code == 401


def test_the_history_cannot_be_rewritten_through_its_urls(
    client: TestClient, staff: dict, case_at_step_1: Case
) -> None:
    before = _history(client, case_at_step_1)
    admin = login(client, Role.ADMIN)
    base = f"/api/v1/cases/{case_at_step_1.id}"
    urls = [
        f"{base}/history",
        f"{base}/history/1",
        f"{base}/events",
        f"{base}/events/1",
        "/api/v1/events/1",
        "/api/v1/history/1",
    ]
    rewrite = {"actor": "orang lain", "input": {"note": "diubah"}, "kind": "completed"}
    for url in urls:
        for method in WRITE_METHODS:
            response = client.request(method, url, json=rewrite, headers=admin)
            assert response.status_code in (404, 405), (method, url, response.status_code)
    assert _history(client, case_at_step_1) == before


def _routes() -> list[tuple[str, set[str]]]:
    """Every route of the app, those of included routers too (hidden ones as well)."""
    return [(c.path or "", set(c.methods or ())) for c in iter_route_contexts(create_app().routes)]


# The only routes that change something in place, and why the record is safe from them.
IN_PLACE = {
    # A licensing services catalogue entry: not part of any case's record.
    ("/api/v1/services/{code}", "PATCH"),
    # The Kasi's correction of a case's service: the record gains an event, none changes.
    ("/api/v1/cases/{case_id}/service", "PUT"),
}


def test_no_route_updates_or_deletes_anything() -> None:
    routes = _routes()
    assert ("/api/v1/cases/{case_id}/history", {"GET"}) in routes
    for path, methods in routes:
        rewriting = {m for m in methods & {"PUT", "PATCH", "DELETE"} if (path, m) not in IN_PLACE}
        assert not rewriting, (path, methods)
        if "POST" in methods:
            assert not re.search(r"histor|event", path), path


def test_every_write_route_only_appends_to_the_history(
    client: TestClient, staff: dict, case_at_step_1: Case
) -> None:
    """Whatever a write route does to a case, what was on the record before stays as it was."""
    before = _history(client, case_at_step_1)
    posts = [path for path, methods in _routes() if "POST" in methods]
    assert "/api/v1/cases/{case_id}/claim" in posts
    for role in Role:
        headers = login(client, role)
        for path in posts:
            url = re.sub(r"\{case_id\}", case_at_step_1.id, path)
            url = re.sub(r"\{[^}]+\}", "1", url)
            client.post(url, json={"note": "x", "actor": "orang lain"}, headers=headers)
    after = _history(client, case_at_step_1)
    assert len(after) > len(before)  # the routes did act on the case (claims, step 1)
    assert after[: len(before)] == before


def test_the_record_names_the_system_in_words_and_people_by_name_and_role(
    client: TestClient, staff: dict, case_at_step_1: Case
) -> None:
    """Issue 21: no "notifier" or "sistem (Admin Pengaduan)" where staff read who acted."""
    with get_db().transaction() as session:
        session.execute(
            update(StaffUser)
            .where(StaffUser.username == "petugas_admin")
            .values(full_name="Sri Wahyuni")
        )
        case = session.get_one(Case, case_at_step_1.id)
        record(session, case, "notified", actor=NOTIFIER_ACTOR, occurred_at=clock.now())
    admin = login(client, Role.ADMIN)
    client.post(f"/api/v1/cases/{case_at_step_1.id}/claim", headers=admin)

    events = _history(client, case_at_step_1, Role.KASI)
    assert [(e["actor"], e["actor_label"]) for e in events] == [
        ("pengadu", "Pengadu"),
        ("sistem", "Sistem Pengaduan"),
        ("notifier", "Layanan notifikasi"),
        ("petugas_admin", "Sri Wahyuni, Admin Pengaduan"),
    ]
    with open_console() as console:
        log_in(console, Role.KASI)
        page = console.get(f"/console/kasus/{case_at_step_1.id}").text
    who = re.findall(r'<p class="who">([^<]*)</p>', page)
    assert who == [
        "Pengadu",
        "Sistem Pengaduan",
        "Layanan notifikasi",
        "Sri Wahyuni, Admin Pengaduan",
    ]
