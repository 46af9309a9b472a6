"""A confidential complainant's name, email and phone, read for in every staff-facing answer
(each GET route of the staff API and the console, from the app's route table, and the searches
by each particular) as each role: only the Admin Pengaduan ever reads them. An anonymous case is
"Anonim" to everyone. The case carries the particulars everywhere a person could write them:
subject, description, an internal note, a step's input, a file's name, a delivery's failure."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from services.workflow.api.app import create_app
from services.workflow.cases import notes
from services.workflow.cases.attachments import attach
from services.workflow.cases.notifications import record_delivery
from services.workflow.cases.steps import arrive, complete_step, receive_complaint
from services.workflow.cases.taking import take_complaint
from services.workflow.database import get_db
from services.workflow.models import StaffUser
from services.workflow.sla import clock
from shared.messaging.consumer import consume_once
from shared.messaging.contracts import (
    WORKFLOW_ATTACHMENT_TASK,
    Channel,
    ComplaintFiledV1,
    Identity,
    NotificationDeliveredV1,
    NotificationKind,
    ReceivedVia,
    Reporter,
    StepHandoffV1,
)
from shared.messaging.contracts.filing import ComplaintIn
from shared.sop import Role
from tests.workflow.cases.test_attachments import stored
from tests.workflow.conftest import login
from tests.workflow.console_client import log_in, open_console
from tests.workflow.identity_sweep import (
    Answer,
    Get,
    leaked_to,
    leaks,
    particulars,
    sweep,
    urls,
)

NAME = "Ratna Widyastuti"
EMAIL = "ratna.widyastuti@example.id"
PHONE = "+6281398765432"
SECRETS = particulars(NAME, EMAIL, PHONE)
CODE = "PGD-TEST-0001"  # the code tests.workflow.cases.test_attachments.stored announces under
ANON_CODE = "PGD-ANON-0001"


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (20, 90, 160)).save(out, "JPEG")
    return out.getvalue()


def _filing(code: str, mode: Identity) -> ComplaintFiledV1:
    anonymous = mode is Identity.ANONYMOUS
    return ComplaintFiledV1(
        occurred_at=clock.now(),
        tracking_code=code,
        subject=f"Izin usaha {NAME} belum terbit" if not anonymous else "Izin usaha belum terbit",
        description=(
            f"Saya {NAME}, hubungi 0813-9876-5432 atau {EMAIL}. Izin usaha belum terbit."
            if not anonymous
            else "Izin usaha kami belum terbit sejak sebulan lalu."
        ),
        reporter=None if anonymous else Reporter(name=NAME, email=EMAIL, phone=PHONE),
        channels=("app",) if anonymous else ("email", "app"),
        identity=mode,
    )


@pytest.fixture
def ids(configured: dict[str, str], staff: dict[Role, StaffUser]) -> dict[str, str]:
    """A confidential case at the Kasi's step carrying its complainant's particulars in every
    text, with a file, a failed delivery, a note and a taking; an anonymous case beside it."""
    photo = stored(f"KTP {NAME}.jpg", "image/jpeg", _jpeg(), _jpeg())
    with get_db().transaction() as session:
        case = receive_complaint(session, _filing(CODE, Identity.CONFIDENTIAL))
        anonymous = receive_complaint(session, _filing(ANON_CODE, Identity.ANONYMOUS))
        case_id, anonymous_id = case.id, anonymous.id
    consume_once(get_db(), WORKFLOW_ATTACHMENT_TASK, photo.message, attach)
    with get_db().transaction() as session:
        admin = session.get(StaffUser, staff[Role.ADMIN].id)
        assert admin is not None
        record_delivery(
            session,
            NotificationDeliveredV1(
                tracking_code=CODE,
                kind=NotificationKind.REGISTERED,
                channel=Channel.EMAIL,
                status="failed",
                detail=f"550 5.1.1 <{EMAIL}>: mailbox unknown",
                notification_id=uuid.uuid4(),
                attempts=3,
            ),
        )
        notes.add_note(
            session,
            case_id=case_id,
            user=admin,
            payload={"text": f"Bu {NAME} menelepon dari 0813 9876 5432"},
        )
        complete_step(
            session,
            case_id=case_id,
            step_number=1,
            user=admin,
            payload={"note": f"Bukan duplikat: {NAME} baru sekali melapor"},
        )
        taking = take_complaint(
            session,
            taking_id=uuid.uuid4(),
            data=ComplaintIn.model_validate(
                {
                    "identity": "confidential",
                    "reporter": {"name": NAME, "phone": PHONE},
                    "subject": "Izin reklame belum terbit",
                    "description": "Disampaikan lewat telepon ke loket pengaduan.",
                    "channels": ["sms"],
                }
            ),
            received_via=ReceivedVia.TELEPON,
            user=admin,
        )
        taking_id = taking.record.id
    with get_db().transaction() as session:
        arrive(session, StepHandoffV1(case_id=case_id, step=2))
    return {
        "case_id": case_id,
        "anonymous_id": anonymous_id,
        "attachment_id": str(photo.message.attachment.attachment_id),
        "taking_id": taking_id,
    }


@pytest.fixture
def reader(ids: dict[str, str]) -> Iterator[Get]:
    """GET a URL as a role: the API with the role's token, the console logged in as it."""
    with TestClient(create_app()) as api, open_console() as console:
        tokens = {role: login(api, role) for role in Role}
        logged_in: list[Role] = []

        def get(role: Role, url: str) -> Answer:
            if url.startswith("/console"):
                if logged_in[-1:] != [role]:
                    log_in(console, role)
                    logged_in.append(role)
                response = console.get(url)
            else:
                response = api.get(url, headers=tokens[role])
            kind = response.headers.get("content-type", "")
            body = "" if kind.startswith(("image/", "application/pdf")) else response.text
            return Answer(response.status_code, f"{response.headers}\n{body}")

        yield get


def test_only_the_admin_reads_a_confidential_complainant_anywhere(
    ids: dict[str, str], reader: Get
) -> None:
    everything = urls({**ids, "case_id": ids["case_id"]}, SECRETS)
    answers = sweep(reader, Role, everything)

    assert leaked_to(answers, SECRETS, but=Role.ADMIN) == {}
    case_api, case_page = f"/api/v1/cases/{ids['case_id']}", f"/console/kasus/{ids['case_id']}"
    for role in Role:
        assert answers[role, case_api].status == 200
        if role is not Role.ADMIN:
            assert "Identitas dirahasiakan" in answers[role, case_api].text
            assert "Identitas dirahasiakan" in answers[role, case_page].text
            assert "[identitas dirahasiakan]" in answers[role, case_page].text  # the note
    # The sweep can see: the Admin reads it all, where it is written.
    admin = answers[Role.ADMIN, case_api].text
    assert all(text in admin for text in (NAME, EMAIL, PHONE))
    assert leaks(answers[Role.ADMIN, case_page].text, [NAME, EMAIL, PHONE]) == [NAME, EMAIL, PHONE]
    assert NAME in answers[Role.ADMIN, f"/console/catat/{ids['taking_id']}/tanda-terima"].text


def test_no_role_but_the_admin_finds_a_confidential_case_by_its_complainant(
    ids: dict[str, str], reader: Get
) -> None:
    for secret in SECRETS:
        query = f"/api/v1/cases?q={secret.replace('+', '%2B')}"
        for role in Role:
            found = reader(role, query)
            assert (CODE in found.text) is (role is Role.ADMIN), (role, secret)
    # What the case says of itself (not of who sent it) finds it for everyone.
    for role in Role:
        for query in ("belum%20terbit", CODE):
            assert f'"tracking_code":"{CODE}"' in reader(role, f"/api/v1/cases?q={query}").text


def test_an_anonymous_case_reads_anonim_for_every_role(ids: dict[str, str], reader: Get) -> None:
    every = urls({**ids, "case_id": ids["anonymous_id"]}, ())
    answers = sweep(reader, Role, [u for u in every if ids["anonymous_id"] in u])
    for role in Role:
        case = answers[role, f"/api/v1/cases/{ids['anonymous_id']}"].text
        assert '"identity":"anonymous"' in case.replace(" ", "")
        assert '"reporter_name":"Anonim"' in case.replace(" ", "")
        assert '"reporter_email":null' in case.replace(" ", "")
        page = answers[role, f"/console/kasus/{ids['anonymous_id']}"].text
        assert 'id="pengadu">Anonim<' in page
