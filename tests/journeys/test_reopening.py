"""After the answer, over the real queues and workers, on SQLite and PostgreSQL: a *tidak puas*
rating reopens the case to the Kasi, the case flows through the steps again and the second
answer reaches the citizen (tracking API and page, email); and a case no one reopened is
closed by the calendar.

For the close, time is moved, not waited for (as in ``test_reply_deadline``): the window is
ten office days long, and the workers' clocks cannot be moved from here, so the sweep's own
task body runs in this process under the workflow's injected clock, against the system's
workflow database; what it queues travels through the outbox and the real workers to intake.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from services.workflow.database import get_db
from services.workflow.models import Case
from services.workflow.sla import clock
from services.workflow.tasks import sla_sweep
from shared.sop import REOPENING, STATUS_LABELS, Role
from tests.journeys.test_reply_deadline import tracking_page
from tests.support.clock import TestClock
from tools.harness.desk import STEP_INPUTS, Desk
from tools.harness.processes import wait_for

pytestmark = pytest.mark.both_databases

COMPLAINT = "Izin usaha kami tetap belum terbit walaupun jawaban bilang sudah."
REOPENING_STATUS = "verifying"  # the status of step 2, where the first reopening goes
SECOND_ANSWER = "Mohon maaf: izin usaha Anda kini benar-benar terbit dan dapat diunduh di OSS."


def rate(system: Desk, filed: dict[str, Any], body: dict[str, Any]) -> httpx.Response:
    return system.intake.post(
        f"/api/v1/complaints/{filed['tracking_code']}/rating",
        json=body,
        headers={"X-Access-Token": filed["access_token"]},
    )


def sweep_at(moment: datetime) -> str:
    """One run of the beat's sweep task, with the workflow's clock standing at ``moment``."""
    with clock.driven_by(TestClock(moment, running=False)):
        result: str = sla_sweep()
    return result


def flat(text: str) -> str:
    return " ".join(text.split())


def test_a_tidak_puas_rating_reopens_the_case_and_the_second_answer_reaches_the_citizen(
    system: Desk,
) -> None:
    filed = system.file_complaint()
    code = filed["tracking_code"]
    case_id = system.walk(code)
    answered = system.wait_for_status(filed, "answered")
    assert answered["reopen_until"] is not None

    rated = rate(system, filed, {"score": 2, "comment": COMPLAINT})
    assert rated.status_code == 201, rated.text

    # Back with the Kasi at step 2, the reason on the complainant's timeline and page.
    reopened = system.wait_for_status(filed, REOPENING_STATUS)
    assert any(entry.get("note") == COMPLAINT for entry in reopened["timeline"])
    # The tracking page as a browser opens it (its cookies sent by hand, as the reply-deadline
    # journey does).
    assert "dibuka kembali" in tracking_page(system, filed).lower()
    item = system.wait_for_work(Role.KASI, code, REOPENING.first_to)
    assert item["case_id"] == case_id

    # The case flows through the steps again, with a new answer.
    system.walk(code, range(2, 4))
    system.wait_for_work(Role.TIM_KOORDINASI, code, 4)
    done = system.complete(Role.TIM_KOORDINASI, case_id, 4, {"answer": SECOND_ANSWER})
    assert done.status_code == 202, done.text
    system.walk(code, range(5, 6))

    tracked = wait_for(
        lambda: (body := system.track(filed))["answer"] == SECOND_ANSWER and body,
        60,
        "the second answer on the tracking API",
    )
    assert tracked["status"] == "answered"
    assert [e["status"] for e in tracked["timeline"]].count("answered") == 2
    assert SECOND_ANSWER in tracking_page(system, filed)
    wait_for(
        lambda: [m for m in system.emails_to() if SECOND_ANSWER in flat(m.get_content())],
        60,
        "the second answer by email",
    )
    first = [m for m in system.emails_to() if STEP_INPUTS[4]["answer"] in m.get_content()]
    assert len(first) == 1  # the first answer was not sent again

    # The office's record: the rating, the reopening, both rounds of the steps.
    kinds = [e["kind"] for e in system.case(case_id)["history"]]
    assert kinds.count("rated") == kinds.count("reopened") == 1
    assert kinds.count("completed") == 5 + 4
    # The second answer may be rated again.
    again = rate(system, filed, {"score": 4})
    assert again.status_code == 201, again.text


def test_a_case_no_one_reopened_is_closed_by_the_calendar(
    system: Desk, configured: dict[str, str]
) -> None:
    filed = system.file_complaint()
    case_id = system.walk(filed["tracking_code"])
    system.wait_for_status(filed, "answered")
    with get_db().sessions() as session:
        until = session.get_one(Case, case_id).reopen_until
    assert until is not None

    assert sweep_at(until).endswith("windows ended 0")
    after = until + timedelta(seconds=1)
    assert sweep_at(after).endswith("windows ended 1")
    assert sweep_at(after).endswith("windows ended 0")

    closed = system.wait_for_status(filed, REOPENING.closed)
    assert closed["status_label"] == STATUS_LABELS[REOPENING.closed]
    page = tracking_page(system, filed)
    status = re.search(r'id="status"[^>]*>([^<]*)<', page)
    assert status is not None and status.group(1).strip() == STATUS_LABELS[REOPENING.closed]
    late = rate(system, filed, {"score": 1, "comment": "Terlambat"})
    assert late.status_code == 409

    record = system.case(case_id)
    assert record["status"] == REOPENING.closed
    assert [e["kind"] for e in record["history"]].count("closed") == 1
