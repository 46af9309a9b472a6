"""The cases tests/browser/test_every_page.py puts in place before it looks at each page: one
waiting at each role's step, one answered, one waiting for the citizen, one filed with a photo
and a PDF, a notification that failed for good, and after the answer one rated, one rated and
surveyed (SKM), one reopened and one closed, one closed whose complainant asks for erasure on
its page and one whose personal data was erased; and a one-time access link asked for by email."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

from sqlalchemy import select

from services.intake.models import Complaint
from services.workflow.cases.notifications import record_delivery
from shared.database.engine import ServiceDatabase
from shared.messaging.celery_app import make_celery
from shared.messaging.contracts import (
    INTAKE_ERASE_TASK,
    INTAKE_STATUS_TASK,
    CaseStatusChangedV1,
    Channel,
    ComplaintErasedV1,
    ErasureReason,
    NotificationDeliveredV1,
    NotificationKind,
)
from shared.runtime.settings import Settings
from shared.sop import STEPS, Role
from tests.browser.conftest import LiveSystem
from tests.support.attachment_files import pdf, photo_with_gps
from tools.harness.desk import Desk
from tools.harness.processes import wait_for

QUESTION = "Mohon lampirkan nomor permohonan OSS Anda."
REOPEN_REASON = "Izin reklame belum dapat diunduh; tautan pada jawaban tidak berfungsi."


def put_cases_in_place(system: LiveSystem) -> dict[str, str]:
    """The module docstring's cases; their codes, case ids and tokens by name for ``PAGES``."""
    desk = system.desk
    after_answer = ("rated", "surveyed", "reopened", "closed", "erasing", "erased")
    names = (*(role.value for role in Role), "answered", "asked", *after_answer)
    filed = {name: desk.file_complaint() for name in names}
    filed["attached"] = desk.file_complaint()
    attach_at_filing(system, filed["attached"])
    last_step = {"kasi": 1, "koordinator": 2, "tim_koordinasi": 3, "answered": 5, "asked": 1}
    last_step.update(dict.fromkeys(after_answer, 5))
    ids = {name: f["tracking_code"] for name, f in filed.items()}
    case_ids: dict[str, str] = {}
    for step in STEPS:  # every case a step at a time, so the hand-offs travel together
        for name, last in last_step.items():
            if step.number <= last:
                item = desk.wait_for_work(step.role, ids[name], step.number)
                case_ids[name] = item["case_id"]
                assert desk.complete(step.role, item["case_id"], step.number).status_code == 202
    asked = desk.wait_for_work(Role.KASI, ids["asked"], 2)["case_id"]
    reply = desk.take_path(Role.KASI, asked, 2, "request_information", {"reason": QUESTION})
    assert reply.status_code == 202, reply.text
    places = {"admin": 1, "kasi": 2, "koordinator": 3, "tim_koordinasi": 4}
    for name, number in places.items():
        case_ids[name] = desk.wait_for_work(STEPS[number - 1].role, ids[name], number)["case_id"]
    case_ids["attached"] = desk.wait_for_work(Role.ADMIN, ids["attached"], 1)["case_id"]
    desk.wait_for_attachments(Role.ADMIN, case_ids["attached"], count=2)  # each its own task
    failed = NotificationDeliveredV1(
        tracking_code=ids["admin"],
        kind=NotificationKind.REGISTERED,
        channel=Channel.SMS,
        status="failed",
        detail="Nomor tujuan tidak aktif",
        notification_id=uuid.uuid4(),
        attempts=5,
    )
    after_the_answer(system, {name: filed[name] for name in after_answer})
    db = ServiceDatabase("workflow", system.desk.env["PENGADUAN_WORKFLOW_DATABASE_URL"])
    with db.transaction() as session:
        record_delivery(session, failed)
    db.engine.dispose()
    ids.update({f"{name}_case": case_id for name, case_id in case_ids.items()})
    ids.update({name: case_ids[name] for name in places})  # the console opens cases by id
    filed_tokens = {name: f["access_token"] for name, f in filed.items()}
    ids.update({f"{name}_token": token for name, token in filed_tokens.items()})
    ids["recovered"], ids["link_token"] = emailed_link(desk)
    return ids


# The surveyed case's SKM answers, U1..U9.
SURVEY_SCORES = {"U1": 4, "U2": 3, "U3": 3, "U4": 4, "U5": 3, "U6": 4, "U7": 4, "U8": 3, "U9": 2}


def after_the_answer(system: LiveSystem, filed: dict[str, dict[str, str]]) -> None:
    """Two answers rated through the API, one of them surveyed too; one case reopened and one
    closed, as the workflow's status changes tell intake (sent on the running system's queues,
    the intake worker applying them)."""
    desk = system.desk
    intake = ServiceDatabase("intake", desk.env["PENGADUAN_INTAKE_DATABASE_URL"])

    def reaches(one: dict[str, str], status: str) -> None:
        """Read in intake's database: the API's lookups count against the tracking limit."""
        code = one["tracking_code"]
        query = select(Complaint.status).where(Complaint.tracking_code == code)

        def there() -> bool:
            with intake.sessions() as session:
                return session.scalar(query) == status

        wait_for(there, 60, f"{code} {status}")

    for one in filed.values():
        reaches(one, "answered")
    for name in ("rated", "surveyed"):
        rated = desk.intake.post(
            f"/api/v1/complaints/{filed[name]['tracking_code']}/rating",
            json={"score": 4, "comment": "Jawaban jelas, izin sudah dapat diunduh."},
            headers={"X-Access-Token": filed[name]["access_token"]},
        )
        assert rated.status_code == 201, rated.text
    surveyed = desk.intake.post(
        f"/api/v1/complaints/{filed['surveyed']['tracking_code']}/survey",
        json={"scores": SURVEY_SCORES},
        headers={"X-Access-Token": filed["surveyed"]["access_token"]},
    )
    assert surveyed.status_code == 201, surveyed.text
    app = make_celery(Settings(broker={"redis_url": desk.env["PENGADUAN_REDIS_URL"]}))
    changes = (("reopened", "verifying"), ("closed", "closed"), ("erasing", "closed"))
    changes += (("erased", "closed"),)
    for name, status in changes:
        change = CaseStatusChangedV1(
            tracking_code=filed[name]["tracking_code"],
            status=status,
            sequence=1000,  # after every step's
            note=REOPEN_REASON if status == "verifying" else None,
        )
        app.send_task(INTAKE_STATUS_TASK, kwargs={"message": change.model_dump(mode="json")})
    for name, status in changes:
        reaches(filed[name], status)
    # One complaint's personal data erased, as the workflow tells intake.
    erased = ComplaintErasedV1(
        tracking_code=filed["erased"]["tracking_code"],
        reason=ErasureReason.REQUEST,
        erased_at=datetime.now(UTC),
    )
    app.send_task(INTAKE_ERASE_TASK, kwargs={"message": erased.model_dump(mode="json")})
    query = select(Complaint.erased_at).where(Complaint.tracking_code == erased.tracking_code)

    def erased_there() -> bool:
        with intake.sessions() as session:
            return session.scalar(query) is not None

    wait_for(erased_there, 60, f"{erased.tracking_code} erased")
    intake.engine.dispose()


def emailed_link(desk: Desk) -> tuple[str, str]:
    """A complaint whose complainant asked for a one-time access link; its code and the link's
    token, read from the email (the link's page only looks at it: it stays usable)."""
    code = desk.file_complaint()["tracking_code"]
    assert desk.intake.post(f"/api/v1/complaints/{code}/access-link").status_code == 202

    def token() -> str | None:
        mails = [m for m in desk.emails_to() if code in str(m["Subject"])]
        found = [
            re.search(r"/lacak/pulihkan\?token=([A-Za-z0-9_-]+)", m.get_content()) for m in mails
        ]
        return next((f.group(1) for f in found if f is not None), None)

    return code, wait_for(token, 60, "the access link by email")  # type: ignore[no-any-return]


def attach_at_filing(system: LiveSystem, filed: dict[str, str]) -> None:
    """A photo and a PDF sent with a new complaint: its tracking page lists them."""
    for name, data in (("foto kwitansi.jpg", photo_with_gps()), ("surat OSS.pdf", pdf())):
        sent = system.desk.intake.post(
            f"/api/v1/complaints/{filed['tracking_code']}/attachments",
            files={"file": (name, data)},
            headers={"X-Access-Token": filed["access_token"]},
        )
        assert sent.status_code == 201, sent.text
