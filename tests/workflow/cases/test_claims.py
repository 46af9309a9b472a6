"""Who holds a case: claiming and releasing over HTTP, and the checks the step logic calls."""

from __future__ import annotations

import threading

import pytest
from fastapi.testclient import TestClient

from services.workflow.cases.claims import claim, clear_claim, ensure_may_act
from services.workflow.cases.history import events_of
from services.workflow.database import get_db
from services.workflow.errors import ConcurrentChange, HeldByOther
from services.workflow.models import Case, StaffUser
from services.workflow.staff.accounts import create_user
from shared.sop import Role
from tests.workflow.conftest import PASSWORD, login


@pytest.fixture
def second_admin(staff: dict[Role, StaffUser]) -> StaffUser:
    with get_db().transaction() as session:
        return create_user(session, username="petugas_admin_2", password=PASSWORD, role=Role.ADMIN)


def _login_as(client: TestClient, username: str) -> dict[str, str]:
    response = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _claim_url(case: Case) -> str:
    return f"/api/v1/cases/{case.id}/claim"


def _release_url(case: Case) -> str:
    return f"/api/v1/cases/{case.id}/release"


def _kinds(case_id: str) -> list[tuple[str, str]]:
    with get_db().sessions() as session:
        return [(e.kind, e.actor) for e in events_of(session, case_id)]


def test_the_role_sees_who_holds_a_claimed_case(
    client: TestClient, second_admin: StaffUser, case_at_step_1: Case
) -> None:
    claimed = client.post(_claim_url(case_at_step_1), headers=login(client, Role.ADMIN))
    assert claimed.status_code == 200, claimed.text
    assert claimed.json()["held_by"] == "petugas_admin" and claimed.json()["step"] == 1
    colleague = _login_as(client, "petugas_admin_2")
    [item] = client.get("/api/v1/worklist", headers=colleague).json()
    assert item["held_by"] == "petugas_admin" and item["held_at"]
    view = client.get(f"/api/v1/cases/{case_at_step_1.id}", headers=colleague).json()
    assert view["held_by"] == "petugas_admin" and view["held_at"] == item["held_at"]


def test_claiming_a_case_someone_else_holds_is_409_naming_the_holder(
    client: TestClient, second_admin: StaffUser, case_at_step_1: Case
) -> None:
    client.post(_claim_url(case_at_step_1), headers=login(client, Role.ADMIN))
    before = _kinds(case_at_step_1.id)
    refused = client.post(_claim_url(case_at_step_1), headers=_login_as(client, "petugas_admin_2"))
    assert refused.status_code == 409
    assert refused.json()["code"] == "held_by_other"
    assert "sedang ditangani oleh petugas_admin" in refused.json()["message"]
    assert _kinds(case_at_step_1.id) == before


def test_only_the_holder_may_release(
    client: TestClient, second_admin: StaffUser, case_at_step_1: Case
) -> None:
    holder = login(client, Role.ADMIN)
    client.post(_claim_url(case_at_step_1), headers=holder)
    refused = client.post(
        _release_url(case_at_step_1), headers=_login_as(client, "petugas_admin_2")
    )
    assert refused.status_code == 409 and refused.json()["code"] == "held_by_other"
    released = client.post(_release_url(case_at_step_1), headers=holder)
    assert released.status_code == 200
    assert released.json()["held_by"] is None and released.json()["held_at"] is None
    [item] = client.get("/api/v1/worklist", headers=holder).json()
    assert item["held_by"] is None


def test_claim_and_release_are_on_the_record(
    client: TestClient, staff: dict, case_at_step_1: Case
) -> None:
    admin = login(client, Role.ADMIN)
    client.post(_claim_url(case_at_step_1), headers=admin)
    client.post(_claim_url(case_at_step_1), headers=admin)  # again: already held, nothing new
    client.post(_release_url(case_at_step_1), headers=admin)
    client.post(_release_url(case_at_step_1), headers=admin)  # again: nobody holds it
    assert _kinds(case_at_step_1.id) == [
        ("filed", "pengadu"),
        ("arrived", "sistem"),
        ("claimed", "petugas_admin"),
        ("released", "petugas_admin"),
    ]


def test_another_roles_claim_is_403(client: TestClient, staff: dict, case_at_step_1: Case) -> None:
    refused = client.post(_claim_url(case_at_step_1), headers=login(client, Role.KASI))
    assert refused.status_code == 403
    assert refused.json()["code"] == "wrong_role"
    assert "Admin Pengaduan" in refused.json()["message"]
    assert [kind for kind, _ in _kinds(case_at_step_1.id)] == ["filed", "arrived"]


def test_a_case_that_has_not_arrived_at_its_step_cannot_be_claimed(
    client: TestClient, staff: dict, case_at_step_1: Case
) -> None:
    done = client.post(
        f"/api/v1/cases/{case_at_step_1.id}/steps/1", json={}, headers=login(client, Role.ADMIN)
    )
    assert done.status_code == 202  # on its way to the Kasi; the hand-off is not delivered here
    refused = client.post(_claim_url(case_at_step_1), headers=login(client, Role.KASI))
    assert refused.status_code == 409
    assert refused.json()["code"] == "case_not_waiting"
    assert "belum tiba di langkah 2" in refused.json()["message"]


def test_claiming_an_unknown_case_is_404(client: TestClient, staff: dict) -> None:
    admin = login(client, Role.ADMIN)
    for case_id in ("nope", "00000000-0000-4000-8000-000000000000", "%00"):
        assert client.post(f"/api/v1/cases/{case_id}/claim", headers=admin).status_code == 404
        assert client.post(f"/api/v1/cases/{case_id}/release", headers=admin).status_code == 404


def test_claiming_needs_a_token(client: TestClient, case_at_step_1: Case) -> None:
    assert client.post(_claim_url(case_at_step_1)).status_code == 401
    assert client.post(_release_url(case_at_step_1)).status_code == 401


def test_a_deactivated_holders_claim_can_be_taken_over(
    client: TestClient, second_admin: StaffUser, staff: dict, case_at_step_1: Case
) -> None:
    client.post(_claim_url(case_at_step_1), headers=login(client, Role.ADMIN))
    with get_db().transaction() as session:
        session.get(StaffUser, staff[Role.ADMIN].id).active = False  # type: ignore[union-attr]
    taken = client.post(_claim_url(case_at_step_1), headers=_login_as(client, "petugas_admin_2"))
    assert taken.status_code == 200
    assert taken.json()["held_by"] == "petugas_admin_2"
    with get_db().sessions() as session:
        last = events_of(session, case_at_step_1.id)[-1]
    assert last.kind == "claimed" and last.output == {
        "held_by": "petugas_admin_2",
        "taken_over_from": "petugas_admin",
    }


def test_two_people_claiming_at_once_one_holds_it(
    second_admin: StaffUser, staff: dict, case_at_step_1: Case
) -> None:
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(user: StaffUser) -> None:
        barrier.wait()
        try:
            with get_db().transaction() as session:
                claim(session, case_at_step_1.id, user)
            outcomes.append("held")
        except (HeldByOther, ConcurrentChange):
            outcomes.append("refused")

    threads = [
        threading.Thread(target=attempt, args=(user,)) for user in (staff[Role.ADMIN], second_admin)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["held", "refused"]
    assert [kind for kind, _ in _kinds(case_at_step_1.id)].count("claimed") == 1


def test_ensure_may_act_refuses_only_when_someone_else_holds_the_case(
    second_admin: StaffUser, staff: dict, case_at_step_1: Case
) -> None:
    admin = staff[Role.ADMIN]
    ensure_may_act(case_at_step_1, admin)  # nobody holds it: the role is enough
    with get_db().transaction() as session:
        held = claim(session, case_at_step_1.id, admin)
    ensure_may_act(held, admin)
    with pytest.raises(HeldByOther, match=r"sedang ditangani oleh petugas_admin sejak .* WIB"):
        ensure_may_act(held, second_admin)


def test_clear_claim_lets_anyone_of_the_role_act_again(
    second_admin: StaffUser, staff: dict, case_at_step_1: Case
) -> None:
    with get_db().transaction() as session:
        held = claim(session, case_at_step_1.id, staff[Role.ADMIN])
        clear_claim(held)
    ensure_may_act(held, second_admin)
    with get_db().sessions() as session:
        stored = session.get(Case, case_at_step_1.id)
        assert stored is not None and stored.held_by is None and stored.held_at is None
