"""Delivery reports in a batch: each recorded once, as alone; a report whose case is not
registered yet retries the whole batch, with nothing of it committed (its items apply on the
retry, once)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from services.workflow.cases.history import events_of
from services.workflow.cases.notifications import CaseNotYetRegistered, record_deliveries
from services.workflow.database import get_db
from services.workflow.models import Case
from shared.messaging.batch_consumer import consume_items
from shared.messaging.consumer import TRANSIENT_ERRORS
from shared.messaging.contracts import (
    BATCH_TASKS,
    WORKFLOW_NOTIFIED_V2_TASK,
    Channel,
    ChannelOutcomeV2,
    NotificationDeliveredV2,
    NotificationKind,
)

RETRIED = (*TRANSIENT_ERRORS, CaseNotYetRegistered)


def report(tracking_code: str, kind: NotificationKind) -> dict[str, Any]:
    return NotificationDeliveredV2(
        tracking_code=tracking_code,
        kind=kind,
        notification_id=uuid.uuid4(),
        outcomes=(ChannelOutcomeV2(channel=Channel.EMAIL, status="sent", attempts=1),),
    ).model_dump(mode="json")


def apply(payloads: list[dict[str, Any]]) -> Any:
    return consume_items(
        get_db(),
        BATCH_TASKS[WORKFLOW_NOTIFIED_V2_TASK],
        [(WORKFLOW_NOTIFIED_V2_TASK, payload) for payload in payloads],
        {WORKFLOW_NOTIFIED_V2_TASK: (NotificationDeliveredV2, record_deliveries)},
        RETRIED,
    )[1]


def notified(case: Case) -> int:
    with get_db().sessions() as session:
        return sum(e.kind == "notified" for e in events_of(session, case.id))


def test_reports_in_a_batch_are_recorded_once_each(case_at_step_1: Case) -> None:
    code = case_at_step_1.tracking_code
    payloads = [
        report(code, NotificationKind.FILED),
        report(code, NotificationKind.ANSWER),
    ]
    assert apply(payloads) == {"applied": 2}
    assert apply(payloads) == {"duplicate": 2}
    assert notified(case_at_step_1) == 2


def test_a_report_before_its_case_retries_the_whole_batch(case_at_step_1: Case) -> None:
    known = report(case_at_step_1.tracking_code, NotificationKind.FILED)
    early = report("PGD-NOTY-ETIN", NotificationKind.FILED)
    with pytest.raises(CaseNotYetRegistered):
        apply([known, early])
    assert notified(case_at_step_1) == 0  # nothing of the batch committed
    assert apply([known]) == {"applied": 1}  # the retry, once the case is there
