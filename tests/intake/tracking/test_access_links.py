"""One-time access links, by their functions: drawn for a complaint with a contact only, sent
sealed, superseded by a newer request, used once (even by two at the same moment), refused
after their time (the test's own clock), and the old access token refused from then on."""

from __future__ import annotations

import json
import threading
import uuid
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from services.intake.database import get_db
from services.intake.filing import complaints
from services.intake.models import AccessLink
from services.intake.tasks import send_access_link
from services.intake.tracking import access_links
from services.intake.tracking.access_links import LinkState, LinkUnusable
from shared.database.shared_tables import OutboxMessage
from shared.messaging.consumer import consume_once
from shared.messaging.contracts import (
    INTAKE_ACCESS_LINK_TASK,
    NOTIFY_TASK,
    AccessLinkRequestedV1,
    Channel,
    NotificationKind,
    NotificationRequestedV1,
    OneTimeLink,
)
from shared.web.domain_errors import NotFound
from tests.intake.conftest import CITIZEN_EMAIL, complaint_without_contact, file
from tests.support.clock import TestClock


@pytest.fixture
def clock() -> TestClock:
    return TestClock(running=False)


def issue(code: str, clock: TestClock) -> OneTimeLink | None:
    with get_db().transaction() as session:
        request = AccessLinkRequestedV1(tracking_code=code)
        return access_links.issue(session, request, now=clock())


def redeem(token: str, clock: TestClock) -> tuple[str, str]:
    with get_db().transaction() as session:
        complaint, new_token = access_links.redeem(session, token, now=clock())
        return complaint.tracking_code, new_token


def state(token: str, clock: TestClock) -> LinkState:
    with get_db().transaction() as session:
        return access_links.inspect(session, token, now=clock()).state


def opens(code: str, token: str) -> bool:
    with get_db().transaction() as session:
        try:
            complaints.find_for_citizen(session, code, token)
        except NotFound:
            return False
        return True


def notifications() -> list[NotificationRequestedV1]:
    with get_db().transaction() as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.task_name == NOTIFY_TASK))
        return [
            NotificationRequestedV1.model_validate(r.payload)
            for r in rows
            if r.payload["kind"] == NotificationKind.ACCESS_LINK.value
        ]


def test_a_link_goes_sealed_to_the_email_and_only_its_hash_is_kept(
    client: TestClient, clock: TestClock
) -> None:
    filed = file(client)
    link = issue(filed["tracking_code"], clock)
    assert link is not None
    assert link.expires_at == clock() + timedelta(minutes=30)

    [sent] = notifications()
    assert sent.channels == (Channel.EMAIL,)
    assert sent.recipient.email == CITIZEN_EMAIL
    assert sent.recipient.phone is None  # one contact: the email, when given
    assert sent.access_link == link
    with get_db().transaction() as session:
        rows = session.scalars(select(OutboxMessage)).all()
        assert all(link.token not in json.dumps(r.payload) for r in rows)
        [kept] = session.scalars(select(AccessLink))
        assert kept.token_hash != link.token
        assert link.token not in kept.token_hash


def test_without_an_email_the_link_goes_by_sms(client: TestClient, clock: TestClock) -> None:
    filed = file(client, reporter={"email": None}, channels=["sms"])
    assert issue(filed["tracking_code"], clock) is not None
    [sent] = notifications()
    assert sent.channels == (Channel.SMS,)
    assert sent.recipient.phone == "+6281234567890"


def test_an_unknown_code_or_a_complaint_without_contact_gets_nothing(
    client: TestClient, clock: TestClock
) -> None:
    assert issue("PGD-0000-0000", clock) is None
    assert issue(complaint_without_contact(), clock) is None
    assert notifications() == []
    with get_db().transaction() as session:
        assert session.scalars(select(AccessLink)).all() == []


def test_the_link_sets_a_new_token_once_and_the_old_token_stops_working(
    client: TestClient, clock: TestClock
) -> None:
    filed = file(client)
    code, old = filed["tracking_code"], filed["access_token"]
    link = issue(code, clock)
    assert link is not None
    assert state(link.token, clock) is LinkState.USABLE

    opened, new = redeem(link.token, clock)

    assert opened == code
    assert new != old
    assert not opens(code, old)
    assert opens(code, new)
    assert state(link.token, clock) is LinkState.USED
    with pytest.raises(LinkUnusable) as again:
        redeem(link.token, clock)
    assert again.value.state is LinkState.USED
    assert opens(code, new)  # the refused second use changed nothing


def test_a_link_works_until_its_time_and_not_after(client: TestClient, clock: TestClock) -> None:
    filed = file(client)
    first = issue(filed["tracking_code"], clock)
    assert first is not None
    clock.advance(minutes=30)
    assert state(first.token, clock) is LinkState.EXPIRED
    with pytest.raises(LinkUnusable) as late:
        redeem(first.token, clock)
    assert late.value.state is LinkState.EXPIRED
    assert opens(filed["tracking_code"], filed["access_token"])

    second = issue(filed["tracking_code"], clock)
    assert second is not None
    clock.advance(minutes=29, seconds=59)
    assert redeem(second.token, clock)[0] == filed["tracking_code"]


def test_a_new_request_supersedes_the_older_unused_link(
    client: TestClient, clock: TestClock
) -> None:
    filed = file(client)
    older, newer = issue(filed["tracking_code"], clock), issue(filed["tracking_code"], clock)
    assert older is not None and newer is not None

    with pytest.raises(LinkUnusable) as replaced:
        redeem(older.token, clock)
    assert replaced.value.state is LinkState.SUPERSEDED
    assert redeem(newer.token, clock)[0] == filed["tracking_code"]


def test_an_unknown_link_is_unknown(client: TestClient, clock: TestClock) -> None:
    for token in ("", "bukan-tautan", "x" * 5000):
        assert state(token, clock) is LinkState.UNKNOWN
        with pytest.raises(LinkUnusable):
            redeem(token, clock)


def test_two_uses_at_the_same_moment_set_one_token(client: TestClient, clock: TestClock) -> None:
    filed = file(client)
    link = issue(filed["tracking_code"], clock)
    assert link is not None
    start = threading.Barrier(2)
    won: list[str] = []
    refused: list[LinkState] = []

    def use() -> None:
        start.wait()
        try:
            won.append(redeem(link.token, clock)[1])
        except LinkUnusable as exc:
            refused.append(exc.state)

    threads = [threading.Thread(target=use) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(won) == 1
    assert refused == [LinkState.USED]
    assert opens(filed["tracking_code"], won[0])


def test_a_redelivered_request_sends_one_link(client: TestClient, clock: TestClock) -> None:
    filed = file(client)
    request = AccessLinkRequestedV1(message_id=uuid.uuid4(), tracking_code=filed["tracking_code"])

    for _ in range(2):
        consume_once(get_db(), INTAKE_ACCESS_LINK_TASK, request, send_access_link)
    assert len(notifications()) == 1
