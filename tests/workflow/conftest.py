from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from services.workflow.api.app import create_app
from services.workflow.cases.steps import arrive, complete_step, receive_complaint
from services.workflow.database import get_db
from services.workflow.models import Case, StaffUser
from services.workflow.sla import clock
from services.workflow.staff.accounts import create_user
from shared.messaging.contracts import ComplaintFiledV1, Reporter, StepHandoffV1
from shared.sop import Role
from tests.support.clock import TestClock

PASSWORD = "rahasia-kantor-123"


def filed_message(code: str = "PGD-TEST-0001") -> ComplaintFiledV1:
    """A filing as intake sends it, stamped by the workflow tests' one clock (``office_clock``),
    so the filing sorts before the arrival and the steps whatever day the tests run."""
    return ComplaintFiledV1(
        occurred_at=clock.now(),
        tracking_code=code,
        subject="Izin usaha belum terbit",
        description="Sudah tiga minggu izin usaha kami belum terbit tanpa kabar.",
        reporter=Reporter(name="Siti Aminah", email="siti@example.id", phone="+6281234567890"),
        channels=("email", "app"),
    )


@pytest.fixture
def staff(configured: dict[str, str]) -> dict[Role, StaffUser]:
    with get_db().transaction() as session:
        return {
            role: create_user(
                session, username=f"petugas_{role.value}", password=PASSWORD, role=role
            )
            for role in Role
        }


@pytest.fixture
def session(configured: dict[str, str]) -> Iterator[Session]:
    with get_db().transaction() as session:
        yield session


@pytest.fixture
def case_at_step_1(configured: dict[str, str]) -> Case:
    with get_db().transaction() as session:
        return receive_complaint(session, filed_message())


@pytest.fixture
def client(configured: dict[str, str]) -> Iterator[TestClient]:
    with TestClient(create_app()) as client:
        yield client


def login(client: TestClient, role: Role) -> dict[str, str]:
    response = client.post(
        "/api/v1/auth/token", data={"username": f"petugas_{role.value}", "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture(autouse=True)
def office_clock() -> Iterator[TestClock]:
    """The SOP's clock at an office-hours Monday morning: step deadlines do not depend on the
    day the tests run (a weekend would put every due time on Monday)."""
    test_clock = TestClock()
    with clock.driven_by(test_clock):
        yield test_clock


BEFORE_3: dict[int, dict[str, str]] = {1: {}, 2: {"verification": "Terverifikasi"}}


@pytest.fixture
def members(staff: dict[Role, StaffUser]) -> dict[str, StaffUser]:
    """Tim Koordinasi members of the licensing unit, one inactive, and a Kasi."""
    with get_db().transaction() as session:
        made = {
            "rina": create_user(
                session,
                username="rina",
                password=PASSWORD,
                role=Role.TIM_KOORDINASI,
                full_name="Rina Kartika",
                email="rina@dpmptsp.example.id",
                unit="Bidang Perizinan",
            ),
            "joko": create_user(
                session,
                username="joko",
                password=PASSWORD,
                role=Role.TIM_KOORDINASI,
                full_name="Joko Susilo",
                unit="Seksi Pengaduan",
            ),
            "lama": create_user(
                session, username="lama", password=PASSWORD, role=Role.TIM_KOORDINASI
            ),
            "sari": create_user(session, username="sari", password=PASSWORD, role=Role.KASI),
        }
        made["lama"].active = False
        return made


def at_step_3(staff: dict[Role, StaffUser], code: str = "PGD-DISP-0001") -> str:
    with get_db().transaction() as session:
        case_id = receive_complaint(session, filed_message(code)).id
    for number, role in ((1, Role.ADMIN), (2, Role.KASI)):
        with get_db().transaction() as session:
            complete_step(
                session,
                case_id=case_id,
                step_number=number,
                user=session.get(StaffUser, staff[role].id),
                payload=BEFORE_3[number],
            )
        with get_db().transaction() as session:
            arrive(session, StepHandoffV1(case_id=case_id, step=number + 1))
    return case_id
