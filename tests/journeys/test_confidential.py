"""A confidential (*rahasia*) complaint carried through the SOP by the real queues and workers:
at each step, every staff API answer and console page of its case (every GET route of the
workflow's route table, and the searches by each particular) is read as each role; no role but
the Admin Pengaduan ever receives the complainant's name, email or phone, neither there, nor in
the staff emails the test's SMTP server receives, nor in any process's log."""

from __future__ import annotations

from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest

from shared.sop import STEPS, Role
from tests.support.attachment_files import photo_with_gps
from tests.workflow.identity_sweep import Answer, leaked_to, leaks, particulars, sweep, urls
from tools.harness.desk import STAFF_PASSWORD, STEP_INPUTS, Desk
from tools.harness.processes import wait_for

pytestmark = pytest.mark.both_databases

NAME = "Ratna Widyastuti"
EMAIL = "ratna.widyastuti@example.id"
PHONE = "+6281398765432"
SECRETS = particulars(NAME, EMAIL, PHONE)
STAFF_DOMAIN = "dpmptsp.example.id"


def _console(desk: Desk, username: str) -> Callable[[str], httpx.Response]:
    """A browser logged in to the console as ``username`` (cookies carried by hand: the test
    speaks plain http to processes whose cookies are Secure)."""
    jar: dict[str, str] = {}

    def send(method: str, url: str, data: dict[str, Any] | None = None) -> httpx.Response:
        cookie = "; ".join(f"{name}={value}" for name, value in jar.items())
        answer = desk.workflow.request(method, url, data=data, headers={"Cookie": cookie})
        for header in answer.headers.get_list("set-cookie"):
            name, _, rest = header.partition("=")
            jar[name] = rest.split(";", 1)[0]
        return answer

    send("GET", "/console/masuk")
    login = {"username": username, "password": STAFF_PASSWORD, "csrftoken": jar["pgd_csrf"]}
    assert send("POST", "/console/masuk", login).status_code == 303
    return lambda url: send("GET", url)


def _reader(desk: Desk) -> Callable[[Role, str], Answer]:
    consoles = {role: _console(desk, f"uji_{role.value}") for role in Role}

    def get(role: Role, url: str) -> Answer:
        if url.startswith("/console"):
            response = consoles[role](url)
        else:
            response = desk.workflow.get(url, headers=desk.headers(role))
        kind = response.headers.get("content-type", "")
        body = "" if kind.startswith(("image/", "application/pdf")) else response.text
        return Answer(response.status_code, f"{response.headers}\n{body}")

    return get


def _texts(message: EmailMessage) -> str:
    parts = [str(value) for value in message.values()]
    parts += [
        part.get_content()
        for part in message.walk()
        if part.get_content_maintype() == "text" and not part.is_multipart()
    ]
    return "\n".join(parts)


def _read_everything(desk: Desk, get: Callable[[Role, str], Answer], ids: dict[str, str]) -> None:
    answers = sweep(get, Role, urls(ids, SECRETS))
    assert leaked_to(answers, SECRETS, but=Role.ADMIN) == {}
    case_page = f"/console/kasus/{ids['case_id']}"
    for role in Role:
        expected = [NAME] if role is Role.ADMIN else []
        assert leaks(answers[role, case_page].text, [NAME]) == expected, role
    admin_case = answers[Role.ADMIN, f"/api/v1/cases/{ids['case_id']}"].text
    assert EMAIL in admin_case and PHONE in admin_case


def test_a_confidential_complainant_is_known_to_the_admin_alone(
    system: Desk, tmp_path: Path
) -> None:
    for role in Role:  # staff with mailboxes: the worklist arrival and disposition emails
        system.add_staff(f"surel_{role.value}", role, email=f"{role.value}@{STAFF_DOMAIN}")
    filed = system.file_complaint(
        identity="confidential",
        reporter={"name": NAME, "email": EMAIL, "phone": "0813-9876-5432"},
        subject=f"Izin usaha {NAME} belum terbit",
        description=f"Saya {NAME} ({EMAIL}), izin usaha saya belum terbit sejak sebulan lalu.",
        channels=["email", "app"],
    )
    code = filed["tracking_code"]
    uploaded = system.upload(filed, f"KTP {NAME}.jpg", photo_with_gps(), "image/jpeg")
    assert uploaded.status_code == 201, uploaded.text
    get = _reader(system)
    inputs = {**STEP_INPUTS, 3: {**STEP_INPUTS[3], "assignees": ["surel_tim_koordinasi"]}}
    case_id = ""
    for step in STEPS:
        item = system.wait_for_work(step.role, code, step.number)
        case_id = item["case_id"]
        [attachment] = system.wait_for_attachments(Role.ADMIN, case_id, 1)
        ids = {"case_id": case_id, "attachment_id": attachment["attachment_id"], "taking_id": "-"}
        _read_everything(system, get, ids)
        done = system.complete(step.role, case_id, step.number, inputs[step.number])
        assert done.status_code == 202, done.text
    system.wait_for_status(filed, "answered")
    _read_everything(system, get, ids)

    # Staff mail: an arrival for each step's role and the disposition, none naming who complained.
    def staff_mail() -> list[EmailMessage]:
        return system.smtp.inbox.to(f"@{STAFF_DOMAIN}")

    wait_for(lambda: len(staff_mail()) >= len(STEPS) + 1, 60, "the staff emails")
    for message in staff_mail():
        assert leaks(_texts(message), SECRETS) == [], message["To"]
    answer = STEP_INPUTS[4]["answer"]
    wait_for(
        lambda: any(answer in _texts(m) for m in system.emails_to(EMAIL)),
        60,
        "the answer by email: the complainant still hears it",
    )

    # No process logged who complained.
    for log in (tmp_path / "logs").iterdir():
        lines = [line for line in log.read_text().splitlines() if leaks(line, SECRETS)]
        assert lines == [], (log.name, lines[:3])
