"""A lost access token recovered by the emailed link, over the real queues and workers: the
citizen asks for a link, reads it in the email the notifier sent through the test SMTP server,
opens it on the portal, sets a new token, and from then on the old token is refused and the new
one opens the tracking page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from shared.web.pages import CSRF_COOKIE
from tests.journeys.conftest import portal_environment
from tools.harness.desk import Desk
from tools.harness.processes import wait_for
from tools.harness.smtp import SmtpServer

LINK = re.compile(r"https?://\S+/lacak/pulihkan\?token=[A-Za-z0-9_%-]+")


@pytest.fixture
def service_env(
    tmp_path: Path, broker_url: str, database_urls: dict[str, str], smtp_server: SmtpServer
) -> dict[str, str]:
    """The journeys' environment, with cookies the test's plain http carries (the portal's
    pages are used as a browser would)."""
    return portal_environment(tmp_path, broker_url, database_urls, smtp_server)


def access_link_email(system: Desk, code: str) -> Any:
    def arrived() -> list[Any]:
        return [
            m
            for m in system.emails_to()
            if f"Tautan token akses baru: laporan pengaduan {code}" == m["Subject"]
        ]

    [mail] = wait_for(arrived, 60, "the access link by email")
    return mail


def test_a_lost_token_is_recovered_by_the_emailed_link(system: Desk) -> None:
    filed = system.file_complaint()
    code, old = filed["tracking_code"], filed["access_token"]

    asked = system.intake.post(f"/api/v1/complaints/{code}/access-link")
    assert asked.status_code == 202, asked.text
    unknown = system.intake.post("/api/v1/complaints/PGD-0000-0000/access-link")
    assert unknown.content == asked.content  # the same words for a code that does not exist

    mail = access_link_email(system, code)
    said = " ".join(mail.get_content().split())
    assert code in said and "hanya dapat dipakai sekali" in said
    found = LINK.search(mail.get_content())
    assert found, mail.get_content()
    link = urlsplit(found.group(0))
    token = link.query.removeprefix("token=")

    with httpx.Client(base_url=str(system.intake.base_url), timeout=30) as browser:
        opened = browser.get(f"{link.path}?{link.query}")  # the email's address, on this server
        assert opened.status_code == 200, opened.text
        assert code in opened.text
        done = browser.post(
            "/lacak/pulihkan", data={"token": token, "csrftoken": browser.cookies[CSRF_COOKIE]}
        )
        assert done.status_code == 200, done.text
        shown = re.search(r'id="token-akses">([^<]+)<', done.text)
        assert shown, done.text
        new = shown.group(1).strip()
        tracking = browser.get(f"/lacak/{code}", follow_redirects=False)
        assert tracking.status_code == 200  # this browser is let in at once
        assert code in tracking.text
        used = browser.get(f"{link.path}?{link.query}")
        assert used.status_code == 410 and "Tautan sudah dipakai" in used.text

    refused = system.intake.get(f"/api/v1/complaints/{code}", headers={"X-Access-Token": old})
    assert refused.status_code == 404
    assert system.track({**filed, "access_token": new})["tracking_code"] == code
    assert code in system.tracking_page({**filed, "access_token": new})
    # One mail only (none for the unknown code), and the link's token in no process's log.
    assert not [m for m in system.smtp.inbox.messages if "PGD-0000-0000" in str(m["Subject"])]
    for log in system.logs.glob("*.log"):
        assert token not in log.read_text(errors="replace"), log.name
