"""An information request that closes itself at its deadline, over the real queues and workers,
on SQLite and PostgreSQL: the complainant is told the deadline, reminded halfway by email, and
at the deadline the case closes (the tracking page says so, a closing email comes, a late reply
is refused).

Time is moved, not waited for. The workers are other processes whose clock this test cannot
move (``tests/support/shifted_clock.py`` moves this process only), and the deadline is ten
office days away. So the sweep's own task body (``services.workflow.tasks.sla_sweep``) runs
here, in the test process, under ``services.workflow.sla.clock.driven_by`` at the reminder's and
the deadline's moments, against the system's workflow database (``configured`` gives this
process the system's settings): what it queues goes through the outbox and the real relay, and
the real intake and notifier workers carry it to the tracking page and the SMTP server. The
workflow worker's own beat keeps sweeping on the real clock meanwhile and finds nothing due,
which the once-only marks would make harmless anyway.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import httpx
import pytest

from services.workflow.database import get_db
from services.workflow.models import Case
from services.workflow.sla import clock
from services.workflow.tasks import sla_sweep
from shared.sop import STATUS_LABELS, Role
from shared.web.pages import CSRF_COOKIE
from tests.support.clock import TestClock
from tools.harness.desk import Desk
from tools.harness.processes import wait_for

REASON = "Mohon lampirkan nomor permohonan izin dan tanggal pengajuannya."
CLOSED = "closed_no_response"


pytestmark = pytest.mark.both_databases


def sweep_at(moment: datetime) -> str:
    """One run of the beat's sweep task, with the workflow's clock standing at ``moment``."""
    with clock.driven_by(TestClock(moment, running=False)):
        result: str = sla_sweep()
    return result


def mails_with(system: Desk, subject: str) -> list[Any]:
    return [m for m in system.emails_to() if subject in m["Subject"]]


def tracking_page(system: Desk, filed: dict[str, Any]) -> str:
    """The tracking page as a browser opens it: the form with its CSRF cookie, then the page
    with the access cookie. The cookies are Secure and the test server is plain HTTP, so they
    are sent by hand."""
    portal = system.intake
    csrf = portal.get("/lacak").cookies[CSRF_COOKIE]
    opened = portal.post(
        "/lacak",
        data={"csrftoken": csrf, "kode": filed["tracking_code"], "token": filed["access_token"]},
        headers={"Cookie": f"{CSRF_COOKIE}={csrf}"},
    )
    assert opened.status_code == 303, opened.text
    access = httpx.Cookies()
    access.extract_cookies(opened)
    cookie = "; ".join(f"{name}={value}" for name, value in access.items())
    page = portal.get(opened.headers["location"], headers={"Cookie": cookie})
    assert page.status_code == 200
    return " ".join(page.text.split())


def test_an_information_request_closes_itself_at_its_deadline(
    system: Desk, configured: dict[str, str]
) -> None:
    filed = system.file_complaint()
    case_id = system.walk(filed["tracking_code"], range(1, 2))
    system.wait_for_work(Role.KASI, filed["tracking_code"], 2)
    asked = system.take_path(Role.KASI, case_id, 2, "request_information", {"reason": REASON})
    assert asked.status_code == 202, asked.text

    # The complainant is told the deadline: tracking API, page and the request's email.
    tracked = system.wait_for_status(filed, "information_requested")
    with get_db().sessions() as session:
        case = session.get_one(Case, case_id)
        due, remind = case.reply_due_at, case.reply_remind_at
    assert due is not None and remind is not None and remind < due
    assert datetime.fromisoformat(tracked["reply_due_at"]) == due
    [request] = wait_for(
        lambda: mails_with(system, "memerlukan kelengkapan data"), 60, "the request by email"
    )
    assert "Batas waktu tanggapan:" in " ".join(request.get_content().split())
    assert "Batas waktu tanggapan:" in tracking_page(system, filed)

    # Halfway: the reminder, once.
    assert sweep_at(remind).endswith("reminded 1, closed 0, windows ended 0")
    assert sweep_at(remind).endswith("reminded 0, closed 0, windows ended 0")
    [reminder] = wait_for(lambda: mails_with(system, "Pengingat"), 60, "the reminder by email")
    assert filed["tracking_code"] in reminder["Subject"]
    assert "Batas waktu tanggapan:" in " ".join(reminder.get_content().split())

    # The deadline: closed once, on the tracking page and by email; a late reply is refused.
    assert sweep_at(due).endswith("reminded 0, closed 1, windows ended 0")
    assert sweep_at(due).endswith("reminded 0, closed 0, windows ended 0")
    closed = system.wait_for_status(filed, CLOSED)
    assert closed["status_label"] == STATUS_LABELS[CLOSED]
    page = tracking_page(system, filed)
    status = re.search(r'id="status"[^>]*>([^<]*)<', page)
    assert status is not None and status.group(1).strip() == STATUS_LABELS[CLOSED]
    assert 'name="message"' not in page
    [closing] = wait_for(lambda: mails_with(system, "tidak ada tanggapan"), 60, "the close mail")
    assert "ditutup karena" in " ".join(closing.get_content().split())
    late = system.reply(filed, "Ini datanya, maaf terlambat.")
    assert late.status_code == 409
    assert late.json()["code"] == "reply_deadline_passed"

    record = system.case(case_id)
    assert record["status"] == CLOSED
    kinds = [e["kind"] for e in record["history"]]
    assert kinds.count("reply_reminded") == kinds.count("closed_no_response") == 1
    assert len(mails_with(system, "Pengingat")) == 1
    assert len(mails_with(system, "tidak ada tanggapan")) == 1
