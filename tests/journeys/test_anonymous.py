"""An anonymous complaint (*anonim*) through the real queues: filed over the API with no
reporter, carried through the five SOP steps by staff over the workflow API, answered, and the
answer read on the tracking page and in the app's inbox, the only way it can reach the
complainant; no email leaves, and staff read no name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.journeys.conftest import portal_environment
from tools.harness.desk import STEP_INPUTS, Desk
from tools.harness.processes import wait_for
from tools.harness.smtp import SmtpServer

pytestmark = pytest.mark.both_databases


@pytest.fixture
def service_env(
    tmp_path: Path, broker_url: str, database_urls: dict[str, str], smtp_server: SmtpServer
) -> dict[str, str]:
    """The journeys' environment, with cookies the test's plain http carries (the tracking page
    is opened as a browser would)."""
    return portal_environment(tmp_path, broker_url, database_urls, smtp_server)


def file_anonymously(system: Desk) -> dict[str, Any]:
    response = system.intake.post(
        "/api/v1/complaints",
        json={
            "identity": "anonymous",
            "subject": "Pungutan di loket perizinan",
            "description": "Petugas loket meminta uang tambahan agar izin usaha cepat terbit.",
            "channels": ["app"],
        },
    )
    assert response.status_code == 202, response.text
    filed: dict[str, Any] = response.json()
    return filed


def test_an_anonymous_complaint_is_answered_on_the_tracking_page_and_in_the_inbox(
    system: Desk, smtp_server: SmtpServer
) -> None:
    filed = file_anonymously(system)
    assert filed["identity"] == "anonymous"
    assert "SATU-SATUNYA" in filed["access_warning"]
    system.wait_for_status(filed, "received")

    case_id = system.walk(filed["tracking_code"])

    tracked = system.wait_for_status(filed, "answered")
    assert tracked["answer"] == STEP_INPUTS[4]["answer"]
    page = system.tracking_page(filed)
    assert STEP_INPUTS[4]["answer"] in page

    def inbox() -> list[dict[str, Any]]:
        return [m for m in system.inbox(filed) if m["kind"] == "answer"]

    [answer] = wait_for(inbox, 60, "the answer in the app's inbox")
    assert STEP_INPUTS[4]["answer"] in answer["body"]
    assert answer["body"].startswith("Yth. Bapak/Ibu,")

    case = system.case(case_id)
    assert case["status"] == "answered"
    # The office reads "Anonim" where a name would be (services/workflow/cases/identity.py).
    assert (case["identity"], case["reporter_name"], case["reporter_email"]) == (
        "anonymous",
        "Anonim",
        None,
    )
    assert case["channels"] == ["app"]

    def notified() -> list[tuple[str, str, str]]:
        return [
            (e["output"]["kind"], e["output"]["channel"], e["output"]["status"])
            for e in system.case(case_id)["history"]
            if e["kind"] == "notified"
        ]

    # Every notice went to the app channel, once, and nowhere else: there is no other.
    wait_for(lambda: len(notified()) == 4, 60, "every delivery on the case record")
    assert sorted(notified()) == [
        (kind, "app", "sent") for kind in ("answer", "filed", "registered", "verified")
    ]
    assert len(system.inbox(filed)) == 4
    assert smtp_server.inbox.messages == []
