"""What the workflow tells people besides the answer (the Kasi's verification to the
complainant, a new case to the role's staff by email), and the operators' list of failed
deliveries with its re-send."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.workflow.cases.history import events_of
from services.workflow.cases.notifications import record_deliveries, record_delivery
from services.workflow.cases.steps import arrive, complete_step, receive_complaint
from services.workflow.database import get_db
from services.workflow.models import Case, StaffUser
from services.workflow.staff.accounts import create_user
from shared.messaging.consumer import consume_once
from shared.messaging.contracts import (
    INTAKE_STATUS_TASK,
    NOTIFY_TASK,
    RESEND_TASK,
    WORKFLOW_NOTIFIED_TASK,
    WORKFLOW_NOTIFIED_V2_TASK,
    Channel,
    ChannelOutcomeV2,
    NotificationDeliveredV1,
    NotificationDeliveredV2,
    NotificationKind,
    ResendRequestedV1,
    StepHandoffV1,
)
from shared.runtime.settings import Settings, get_settings
from shared.sop import Role, step
from tests.support.outbox import queued_payloads
from tests.workflow.conftest import PASSWORD, filed_message, login


def outbox(task: str) -> list[dict[str, Any]]:
    return queued_payloads(get_db(), task)


@pytest.fixture
def arrival_emails(monkeypatch: pytest.MonkeyPatch, configured: dict[str, str]) -> Any:
    monkeypatch.setenv("PENGADUAN_NOTIFY_STAFF_ON_ARRIVAL", "true")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_staff_of_the_role_with_an_address_are_emailed_when_a_case_arrives(
    arrival_emails: None,
) -> None:
    with get_db().transaction() as session:
        for username, role, email, active in [
            ("ani", Role.ADMIN, "ani@dpmptsp.example.id", True),
            ("budi", Role.ADMIN, None, True),  # no address: not emailed
            ("cici", Role.ADMIN, "cici@dpmptsp.example.id", False),  # inactive
            ("dedi", Role.KASI, "dedi@dpmptsp.example.id", True),  # another role
        ]:
            user = create_user(
                session, username=username, password=PASSWORD, role=role, email=email
            )
            user.full_name = username.title()
            user.active = active
    with get_db().transaction() as session:
        receive_complaint(session, filed_message())

    [sent] = [n for n in outbox(NOTIFY_TASK) if n["kind"] == NotificationKind.WORKLIST_ARRIVAL]
    assert sent["recipient"] == {"name": "Ani", "email": "ani@dpmptsp.example.id", "phone": None}
    assert sent["channels"] == ["email"]
    assert sent["tracking_code"] == "PGD-TEST-0001"
    assert sent["note"].startswith("Langkah 1: Menerima pengaduan")


def test_no_arrival_emails_when_switched_off(
    configured: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PENGADUAN_NOTIFY_STAFF_ON_ARRIVAL", "false")
    get_settings.cache_clear()
    with get_db().transaction() as session:
        create_user(session, username="ani", password=PASSWORD, role=Role.ADMIN, email="a@b.id")
        receive_complaint(session, filed_message())
    get_settings.cache_clear()
    assert [n["kind"] for n in outbox(NOTIFY_TASK)] == ["registered"]  # to the complainant only


def test_the_embedded_mode_sends_no_arrival_emails_unless_asked(configured: dict[str, str]) -> None:
    settings = get_settings()

    def with_broker(redis_url: str | None) -> Settings:
        broker = settings.broker.model_copy(update={"redis_url": redis_url})
        return settings.model_copy(update={"broker": broker})

    assert with_broker(None).staff_arrival_emails is False
    assert with_broker("redis://redis:6379/0").staff_arrival_emails is True


def test_the_complainant_is_told_once_the_step_1_arrival_registered_the_case(
    configured: dict[str, str],
) -> None:
    message = filed_message("PGD-REGI-0001")
    assert consume_once(get_db(), step(1).arrive_task, message, receive_complaint) == "applied"

    [told] = outbox(NOTIFY_TASK)
    assert (told["kind"], told["tracking_code"]) == ("registered", "PGD-REGI-0001")
    assert told["recipient"] == {
        "name": "Siti Aminah",
        "email": "siti@example.id",
        "phone": "+6281234567890",
    }
    assert told["channels"] == ["email", "app"]  # the channels chosen at filing
    assert told["subject"] == "Izin usaha belum terbit"
    # The same notice rides with the status update that moves the tracking page to "received".
    assert [u["status"] for u in outbox(INTAKE_STATUS_TASK)] == ["received"]


def test_a_redelivered_arrival_tells_the_complainant_nothing_more(
    configured: dict[str, str],
) -> None:
    message = filed_message("PGD-REGI-0002")
    consume_once(get_db(), step(1).arrive_task, message, receive_complaint)
    # The broker's redelivery (same message id), then a replayed copy under another id.
    assert consume_once(get_db(), step(1).arrive_task, message, receive_complaint) == "duplicate"
    replayed = message.model_copy(update={"message_id": uuid.uuid4()})
    assert consume_once(get_db(), step(1).arrive_task, replayed, receive_complaint) == "applied"

    assert [n["kind"] for n in outbox(NOTIFY_TASK)] == ["registered"]


def test_an_arrival_that_does_not_commit_tells_nobody(configured: dict[str, str]) -> None:
    with pytest.raises(RuntimeError), get_db().transaction() as session:
        receive_complaint(session, filed_message("PGD-REGI-0003"))
        raise RuntimeError("the worker dies before its commit")
    assert outbox(NOTIFY_TASK) == []

    consume_once(get_db(), step(1).arrive_task, filed_message("PGD-REGI-0003"), receive_complaint)
    assert [n["kind"] for n in outbox(NOTIFY_TASK)] == ["registered"]


def test_the_complainant_is_told_when_the_kasi_has_verified(
    case_at_step_1: Case, staff: dict[Role, StaffUser]
) -> None:
    with get_db().transaction() as session:
        complete_step(
            session, case_id=case_at_step_1.id, step_number=1, user=staff[Role.ADMIN], payload={}
        )
    # Completing step 1 is not news to the complainant: registration (the arrival) was.
    assert [n["kind"] for n in outbox(NOTIFY_TASK)] == ["registered"]
    with get_db().transaction() as session:
        arrive(session, StepHandoffV1(case_id=case_at_step_1.id, step=2))
        complete_step(
            session,
            case_id=case_at_step_1.id,
            step_number=2,
            user=staff[Role.KASI],
            payload={"verification": "Terverifikasi"},
        )
    [told] = [n for n in outbox(NOTIFY_TASK) if n["kind"] != "registered"]
    assert (told["kind"], told["tracking_code"]) == ("verified", "PGD-TEST-0001")
    assert told["recipient"]["email"] == "siti@example.id"
    assert told["channels"] == ["email", "app"]


def report(status: str, notification_id: uuid.UUID, **extra: Any) -> NotificationDeliveredV1:
    return NotificationDeliveredV1(
        tracking_code="PGD-TEST-0001",
        kind=NotificationKind.ANSWER,
        channel=extra.pop("channel", Channel.SMS),
        status=status,
        notification_id=notification_id,
        attempts=extra.pop("attempts", 3),
        **extra,
    )


def apply(msg: NotificationDeliveredV1) -> None:
    consume_once(get_db(), WORKFLOW_NOTIFIED_TASK, msg, record_delivery)


def test_failed_deliveries_are_listed_and_an_admin_resends_once(
    case_at_step_1: Case, staff: dict[Role, StaffUser], client: TestClient
) -> None:
    notification_id = uuid.uuid4()
    apply(report("failed", notification_id, detail="gateway SMS: 400 nomor tidak valid"))
    kasi, admin = login(client, Role.KASI), login(client, Role.ADMIN)

    listed = client.get("/api/v1/notifications/failed", headers=kasi)
    assert listed.status_code == 200
    [item] = listed.json()
    assert item["notification_id"] == str(notification_id)
    assert (item["channel"], item["kind"], item["attempts"]) == ("sms", "answer", 3)
    assert (item["tracking_code"], item["case_id"]) == ("PGD-TEST-0001", case_at_step_1.id)
    assert item["detail"] == "gateway SMS: 400 nomor tidak valid"

    path = f"/api/v1/notifications/{notification_id}/channels/sms/resend"
    refused = client.post(path, headers=kasi)
    assert refused.status_code == 403
    assert "Admin Pengaduan" in refused.json()["message"]
    assert outbox(RESEND_TASK) == []

    accepted = client.post(path, headers=admin)
    assert accepted.status_code == 202, accepted.text
    assert accepted.json()["status"] == "resend_requested"
    [asked] = outbox(RESEND_TASK)
    request = ResendRequestedV1.model_validate(asked)
    assert (request.notification_id, request.channel, request.requested_by) == (
        notification_id,
        Channel.SMS,
        "petugas_admin",
    )
    assert client.get("/api/v1/notifications/failed", headers=kasi).json() == []

    again = client.post(path, headers=admin)  # a second click, or a second admin
    assert again.status_code == 409
    assert len(outbox(RESEND_TASK)) == 1

    # The re-send went out: recorded, and still not on the list.
    apply(report("sent", notification_id, attempts=4))
    assert client.get("/api/v1/notifications/failed", headers=kasi).json() == []
    with get_db().sessions() as session:
        kinds = [e.kind for e in events_of(session, case_at_step_1.id)]
    assert kinds.count("notified") == 2
    assert kinds.count("resend_requested") == 1


def test_resend_of_unknown_or_malformed_deliveries_is_refused(
    case_at_step_1: Case, staff: dict[Role, StaffUser], client: TestClient
) -> None:
    admin = login(client, Role.ADMIN)
    unknown = client.post(
        f"/api/v1/notifications/{uuid.uuid4()}/channels/email/resend", headers=admin
    )
    assert unknown.status_code == 404
    assert "Tidak ada pengiriman" in unknown.json()["message"]
    for bad in [
        f"/api/v1/notifications/{uuid.uuid4()}/channels/fax/resend",
        "/api/v1/notifications/bukan-uuid/channels/email/resend",
    ]:
        assert client.post(bad, headers=admin).status_code == 422
    assert (
        client.post(f"/api/v1/notifications/{uuid.uuid4()}/channels/sms/resend").status_code == 401
    )
    assert client.get("/api/v1/notifications/failed").status_code == 401
    assert outbox(RESEND_TASK) == []


def test_the_failed_list_shows_every_channel_tried_with_the_fallbacks_marked(
    case_at_step_1: Case, staff: dict[Role, StaffUser], client: TestClient
) -> None:
    notification_id = uuid.uuid4()
    apply(report("failed", notification_id, channel=Channel.EMAIL, detail="550 5.1.1"))
    apply(report("failed", notification_id, fallback=True, detail="gateway SMS: 400"))
    apply(report("sent", notification_id, channel=Channel.WHATSAPP, fallback=True))

    listed = client.get("/api/v1/notifications/failed", headers=login(client, Role.ADMIN))
    assert listed.status_code == 200
    items = listed.json()
    assert [(i["channel"], i["fallback"]) for i in items] == [("email", False), ("sms", True)]
    tried = [("email", "failed", False), ("sms", "failed", True), ("whatsapp", "sent", True)]
    for item in items:
        assert [(t["channel"], t["status"], t["fallback"]) for t in item["tried"]] == tried
    with get_db().sessions() as session:
        record = [e.output for e in events_of(session, case_at_step_1.id) if e.kind == "notified"]
    assert [(o["channel"], o["fallback"]) for o in record] == [
        ("email", False),
        ("sms", True),
        ("whatsapp", True),
    ]


def test_a_notifications_report_records_each_channel_outcome_once(case_at_step_1: Case) -> None:
    notification_id = uuid.uuid4()

    def batch(*outcomes: tuple[Channel, str, int]) -> NotificationDeliveredV2:
        return NotificationDeliveredV2(
            tracking_code="PGD-TEST-0001",
            kind=NotificationKind.ANSWER,
            notification_id=notification_id,
            outcomes=tuple(
                ChannelOutcomeV2(channel=c, status=s, attempts=a) for c, s, a in outcomes
            ),
        )

    def notified() -> list[tuple[str, str, int]]:
        with get_db().sessions() as session:
            outputs = [
                e.output for e in events_of(session, case_at_step_1.id) if e.kind == "notified"
            ]
        return [(o["channel"], o["status"], o["attempts"]) for o in outputs if o is not None]

    def apply_batch(msg: NotificationDeliveredV2) -> None:
        consume_once(get_db(), WORKFLOW_NOTIFIED_V2_TASK, msg, record_deliveries)

    # Sent at once by the failure; the last channel's report repeats it.
    apply_batch(batch((Channel.EMAIL, "failed", 1)))
    apply_batch(batch((Channel.EMAIL, "failed", 1), (Channel.APP, "sent", 1)))
    # An operator's re-send got through: its outcome is new, the app's is not.
    apply_batch(batch((Channel.EMAIL, "sent", 2), (Channel.APP, "sent", 1)))
    assert notified() == [("email", "failed", 1), ("app", "sent", 1), ("email", "sent", 2)]
    # A report overtaken by a newer one (another channel's, with fewer tries) changes nothing.
    apply_batch(batch((Channel.EMAIL, "failed", 1), (Channel.SMS, "sent", 1)))
    assert notified()[3:] == [("sms", "sent", 1)]
