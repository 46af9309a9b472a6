"""An operator follows one complaint through every service's logs by its request id and tracking
code: the JSON lines of the intake API, the workers and the notifier all carry them."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from shared.sop import Role
from tools.harness.desk import CITIZEN_EMAIL, STEP_INPUTS, Desk
from tools.harness.processes import wait_for

CITIZEN_PHONE = "081234567890"
DESCRIPTION = "Permohonan izin usaha kami sudah tiga minggu belum ada kabar dari dinas."


def log_lines(logs: Path) -> dict[str, list[dict[str, Any]]]:
    """Every process's JSON log lines, by process; Celery's start-up banner is not a log line."""
    lines: dict[str, list[dict[str, Any]]] = {}
    for path in logs.glob("*.log"):
        lines[path.stem] = [
            json.loads(line) for line in path.read_text().splitlines() if line.startswith("{")
        ]
    return lines


def lines_about(
    logs: Path, process: str, request_id: str, tracking_code: str
) -> list[dict[str, Any]]:
    return [
        line
        for line in log_lines(logs).get(process, [])
        if line.get("request_id") == request_id and line.get("tracking_code") == tracking_code
    ]


def test_a_filing_is_followed_by_its_request_id_across_services(system: Desk) -> None:
    request_id = uuid.uuid4().hex
    response = system.intake.post(
        "/api/v1/complaints",
        json={
            "reporter": {"name": "Budi Santoso", "email": CITIZEN_EMAIL, "phone": CITIZEN_PHONE},
            "subject": "Izin usaha belum terbit",
            "description": DESCRIPTION,
            "channels": ["email"],
        },
        headers={"X-Request-ID": request_id},
    )
    assert response.status_code == 202, response.text
    assert response.headers["X-Request-ID"] == request_id
    code = response.json()["tracking_code"]

    # The filing in the API, the case opened by the workflow worker, the acknowledgement sent
    # by the notifier: three processes, one request id, one tracking code.
    for process, service in [
        ("api-intake", "intake-api"),
        ("worker-workflow", "workflow-worker"),
        ("worker-notifier", "notifier-worker"),
    ]:
        found = wait_for(
            lambda p=process: lines_about(system.logs, p, request_id, code),
            60,
            f"{process} to log {code} under request {request_id}",
        )
        assert all(line["service"] == service for line in found)  # type: ignore[attr-defined]
    worker_line = lines_about(system.logs, "worker-workflow", request_id, code)[0]
    assert worker_line["task_name"].startswith("workflow.")
    assert worker_line["task_id"]

    # A staff action is a new request: the hand-off it causes is logged under its id, and
    # under the tracking code, although the hand-off message carries only the case id.
    item = system.wait_for_work(Role.ADMIN, code, 1)
    staff_request = uuid.uuid4().hex
    acted = system.workflow.post(
        f"/api/v1/cases/{item['case_id']}/steps/1",
        json=STEP_INPUTS[1],
        headers={**system.headers(Role.ADMIN), "X-Request-ID": staff_request},
    )
    assert acted.status_code == 202, acted.text
    arrived = wait_for(
        lambda: [
            line
            for line in lines_about(system.logs, "worker-workflow", staff_request, code)
            if "arrived at step 2" in line["message"]
        ],
        60,
        "step 2's arrival under the staff request's id",
    )
    assert arrived[0]["case_id"] == item["case_id"]

    # What the citizen wrote and gave as contacts is in no process's log.
    everything = "\n".join(path.read_text() for path in system.logs.glob("*.log"))
    assert CITIZEN_EMAIL not in everything
    assert CITIZEN_PHONE[1:] not in everything  # as given, or as stored (+62...)
    assert "Budi Santoso" not in everything
    assert DESCRIPTION not in everything
