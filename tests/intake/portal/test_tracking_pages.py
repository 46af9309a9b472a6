"""The citizens' portal, in-process: tracking behind the access cookie, the page, its live
events and the reply form."""

from __future__ import annotations

import re
from collections.abc import Iterator

from fastapi.testclient import TestClient

from services.intake.database import get_db
from services.intake.filing.complaints import NOT_FOUND_MESSAGE, apply_answer
from services.intake.tracking.access import COOKIE_PREFIX
from shared.database.engine import utcnow
from shared.messaging.consumer import consume_once
from shared.messaging.contracts import INTAKE_ANSWERED_TASK, ComplainantReplyV1, ComplaintAnsweredV1
from shared.messaging.contracts.codes import new_access_token
from shared.sop import STATUS_LABELS
from tests.intake.conftest import deliver, inbox_message, outbox_rows, row_counts
from tests.intake.portal.conftest import (
    REQUEST_NOTE,
    assert_clean_page,
    by_id,
    file_through_form,
    form,
    open_tracking,
    set_status,
)
from tests.support.sse import Event, events


def test_a_wrong_token_or_code_shows_nothing_and_sets_no_cookie(portal: TestClient) -> None:
    code, _ = file_through_form(portal)
    for kode, token in ((code, "salah"), ("PGD-0000-0000", "salah")):
        response = open_tracking(portal, kode, token)
        assert response.status_code == 404
        assert NOT_FOUND_MESSAGE in response.text  # the same words for both
        assert "Izin usaha belum terbit" not in response.text
        assert "set-cookie" not in response.headers or COOKIE_PREFIX not in str(
            response.headers.get_list("set-cookie")
        )
    assert not any(name.startswith(COOKIE_PREFIX) for name in portal.cookies)


def test_the_fields_hold_a_whole_token_and_a_code_typed_loosely(portal: TestClient) -> None:
    # A phone keyboard stops at maxlength: a token pasted with its spaces must still fit whole.
    page = portal.get("/lacak").text
    lengths = dict(re.findall(r'<input id="(kode|token)"[^>]*maxlength="(\d+)"', page))
    assert len(" pgd - 7kq2 - m9xd ") <= int(lengths["kode"]) < 100
    assert len(f" {new_access_token()} ") <= int(lengths["token"]) < 100


def test_blank_tracking_fields_are_named(portal: TestClient) -> None:
    response = open_tracking(portal, "", "")
    assert response.status_code == 422
    assert "Kode pelacakan wajib diisi" in response.text
    assert "Token akses wajib diisi" in response.text


def test_the_right_token_sets_a_strict_cookie_and_opens_the_page(portal: TestClient) -> None:
    code, token = file_through_form(portal)
    response = open_tracking(portal, code.lower(), token)

    assert response.status_code == 303
    assert response.headers["location"] == f"/lacak/{code}"
    assert token not in response.headers["location"]
    cookie = next(c for c in response.headers.get_list("set-cookie") if COOKIE_PREFIX in c)
    assert token not in cookie
    for attribute in ("HttpOnly", "Secure", "SameSite=strict", "Path=/lacak"):
        assert attribute.lower() in cookie.lower(), attribute

    page = portal.get(f"/lacak/{code}")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert_clean_page(page)
    assert by_id(page.text, "status") == STATUS_LABELS["submitted"]
    assert '<ol class="timeline">' in page.text
    assert "503/0123/IUMK/2026" in page.text
    assert "/static/lacak.js?v=" in page.text
    assert 'id="jawaban"' not in page.text
    assert 'name="message"' not in page.text  # nobody asked for anything


def test_the_page_without_the_cookie_sends_to_the_tracking_form(portal: TestClient) -> None:
    code, _ = file_through_form(portal)
    response = portal.get(f"/lacak/{code}", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/lacak?kode={code}"
    form_page = portal.get(response.headers["location"])
    assert f'value="{code}"' in form_page.text
    assert ">Lihat perkembangan</button>" in form_page.text


def test_a_forged_cookie_opens_nothing(portal: TestClient, tracked: tuple[str, str]) -> None:
    code, _ = tracked
    name = f"{COOKIE_PREFIX}{code}"
    genuine = portal.cookies[name]
    expires, _, _mac = genuine.partition(".")

    def send_cookie(value: str) -> None:
        portal.cookies.delete(name)
        portal.cookies.set(name, value, domain="testserver.local", path="/lacak")

    send_cookie(genuine)  # the way the forgery is sent opens the page with the genuine value
    assert portal.get(f"/lacak/{code}", follow_redirects=False).status_code == 200
    send_cookie(f"{int(expires) + 3600}.{'0' * 64}")
    assert portal.get(f"/lacak/{code}", follow_redirects=False).status_code == 303
    assert portal.get(f"/lacak/{code}/events").status_code == 401


def test_the_page_shows_the_office_messages_and_the_answer(
    portal: TestClient, tracked: tuple[str, str]
) -> None:
    code, _ = tracked
    deliver(inbox_message(code, title="Laporan Anda sedang ditelaah"))
    answered = ComplaintAnsweredV1(
        tracking_code=code, answer="Izin usaha Anda telah terbit.", answered_at=utcnow()
    )
    consume_once(get_db(), INTAKE_ANSWERED_TASK, answered, apply_answer)

    page = portal.get(f"/lacak/{code}").text
    assert "Laporan Anda sedang ditelaah" in page
    assert re.search(r'id="jawaban".*Izin usaha Anda telah terbit\.', page, re.S)
    assert by_id(page, "status") == STATUS_LABELS["answered"]


# Live events


def read_until_status(stream: Iterator[Event]) -> list[Event]:
    seen = []
    for event in stream:
        seen.append(event)
        if event.event == "status":
            return seen
    raise AssertionError(f"the stream ended before a status event: {seen}")


def test_the_events_need_the_cookie(portal: TestClient) -> None:
    code, token = file_through_form(portal)
    refused = portal.get(f"/lacak/{code}/events")
    assert refused.status_code == 401
    # The token as a header opens the API's stream, not this one.
    assert portal.get(f"/lacak/{code}/events", headers={"X-Access-Token": token}).status_code == 401


def test_the_events_stream_with_the_cookie(portal: TestClient, tracked: tuple[str, str]) -> None:
    code, _ = tracked
    deliver(inbox_message(code, title="Pesan pertama"))
    with portal.stream("GET", f"/lacak/{code}/events") as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        stream = events(response.iter_lines())
        backlog = read_until_status(stream)
        assert [e.json()["title"] for e in backlog if e.event == "message"] == ["Pesan pertama"]
        assert backlog[-1].json()["status"] == "submitted"
        set_status(code, "verifying")  # committed, then announced on Redis
        live = read_until_status(stream)
    assert live[-1].json()["status_label"] == STATUS_LABELS["verifying"]


# Replying to a request for information


def test_the_reply_form_appears_when_asked_and_sends_the_reply(
    portal: TestClient, tracked: tuple[str, str]
) -> None:
    code, _ = tracked
    set_status(code, "information_requested", note=REQUEST_NOTE)
    page = portal.get(f"/lacak/{code}").text
    assert REQUEST_NOTE in page
    assert f'action="/lacak/{code}/balasan"' in page
    assert '<label for="message">Balasan Anda' in page
    assert ">Kirim balasan</button>" in page

    response = portal.post(
        f"/lacak/{code}/balasan",
        data=form(portal, message="Nomor permohonan: 503/0123/IUMK/2026"),
        follow_redirects=False,
    )
    assert response.status_code == 303
    shown = portal.get(response.headers["location"]).text
    assert "Balasan Anda telah dikirim" in shown
    assert by_id(shown, "status") == STATUS_LABELS["information_supplied"]
    assert 'name="message"' not in shown
    [reply] = [r for r in outbox_rows() if r.task_name.endswith("complainant_reply")]
    assert ComplainantReplyV1.model_validate(reply.payload).message.startswith("Nomor permohonan")


def test_an_empty_reply_is_refused_on_its_field(
    portal: TestClient, tracked: tuple[str, str]
) -> None:
    code, _ = tracked
    set_status(code, "information_requested", note=REQUEST_NOTE)
    before = row_counts()
    response = portal.post(f"/lacak/{code}/balasan", data=form(portal, message="  "))
    assert response.status_code == 422
    assert '<a href="#message">Balasan Anda wajib diisi</a>' in response.text
    assert row_counts() == before


def test_a_reply_nobody_asked_for_changes_nothing(
    portal: TestClient, tracked: tuple[str, str]
) -> None:
    code, _ = tracked
    before = row_counts()
    response = portal.post(f"/lacak/{code}/balasan", data=form(portal, message="Halo"))
    assert response.status_code == 409
    assert "tidak sedang menunggu kelengkapan data" in response.text
    assert row_counts() == before
    assert by_id(response.text, "status") == STATUS_LABELS["submitted"]


def test_a_reply_without_the_cookie_changes_nothing(portal: TestClient) -> None:
    code, _ = file_through_form(portal)
    set_status(code, "information_requested", note=REQUEST_NOTE)
    before = row_counts()
    response = portal.post(
        f"/lacak/{code}/balasan", data=form(portal, message="Halo"), follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/lacak?kode={code}"
    assert row_counts() == before
