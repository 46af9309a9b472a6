"""The citizens' portal, in-process: filing through the form (the same rules, the same outbox as
the JSON API), refusing bad input in Indonesian without a trace, the one-time token page, and
tracking behind the access cookie: the page, its live events and the reply form."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from services.intake.api.app import create_app
from services.intake.database import get_db
from services.intake.filing.complaints import NOT_FOUND_MESSAGE, apply_answer, apply_status_change
from services.intake.portal.forms import UNREADABLE_MESSAGE
from services.intake.tracking.access import COOKIE_PREFIX
from shared.database.engine import utcnow
from shared.messaging.consumer import consume_once
from shared.messaging.contracts import (
    INTAKE_ANSWERED_TASK,
    INTAKE_STATUS_TASK,
    CaseStatusChangedV1,
    ComplainantReplyV1,
    ComplaintAnsweredV1,
    ComplaintFiledV1,
)
from shared.sop import FIRST_STEP, STATUS_LABELS
from shared.web.pages import CONTENT_SECURITY_POLICY, CSRF_COOKIE, MAX_FORM_BYTES
from tests.intake.conftest import deliver, inbox_message, outbox_rows, row_counts, track
from tests.support.sse import Event, events

LABELS = {
    "name": "Nama lengkap",
    "email": "Email",
    "phone": "Nomor HP",
    "channels": "Email",
    "channels-sms": "SMS",
    "channels-app": "Aplikasi (kotak masuk di halaman ini)",
    "subject": "Pokok pengaduan",
    "description": "Uraian pengaduan",
    "licence_reference": "Nomor izin atau permohonan (NIB / nomor permohonan)",
}
REQUEST_NOTE = "Mohon kirim nomor permohonan izin Anda."


@pytest.fixture
def portal(configured: dict[str, str]) -> Iterator[TestClient]:
    # HTTPS, as in production: the CSRF and access cookies are Secure.
    with TestClient(create_app(), base_url="https://testserver") as client:
        client.get("/")  # the browser now holds the CSRF cookie
        yield client


def form(portal: TestClient, **fields: Any) -> dict[str, Any]:
    return {"csrftoken": portal.cookies[CSRF_COOKIE], **fields}


def complaint_form(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "Budi Santoso",
        "email": "budi@example.id",
        "phone": "0812-3456-7890",
        "channels": ["email", "app"],
        "subject": "Izin usaha belum terbit",
        "description": "Permohonan izin usaha kami sudah tiga minggu belum ada kabar.",
        "licence_reference": "503/0123/IUMK/2026",
        **overrides,
    }


def file_through_form(portal: TestClient, **overrides: Any) -> tuple[str, str]:
    response = portal.post("/", data=form(portal, **complaint_form(**overrides)))
    assert response.status_code == 200, response.text
    return _by_id(response.text, "kode-pelacakan"), _by_id(response.text, "token-akses")


def _by_id(page: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>([^<]*)<', page)
    assert found, f"no #{element_id} in the page"
    return found.group(1).strip()


def open_tracking(portal: TestClient, code: str, token: str) -> Response:
    return portal.post("/lacak", data=form(portal, kode=code, token=token), follow_redirects=False)


@pytest.fixture
def tracked(portal: TestClient) -> tuple[str, str]:
    """A complaint filed through the form, and this browser holding its access cookie."""
    code, token = file_through_form(portal)
    assert open_tracking(portal, code, token).status_code == 303
    return code, token


def set_status(code: str, status: str, note: str | None = None, sequence: int = 5) -> None:
    msg = CaseStatusChangedV1(tracking_code=code, status=status, sequence=sequence, note=note)
    consume_once(get_db(), INTAKE_STATUS_TASK, msg, apply_status_change)


def assert_clean_page(response: Response) -> None:
    """The policy header, and nothing inline that the policy would block."""
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "<script>" not in response.text
    assert "style=" not in response.text
    assert response.text.count("<h1") == 1
    assert '<html lang="id">' in response.text


# Filing


def test_the_form_labels_every_field_and_ties_hints_to_them(portal: TestClient) -> None:
    page = portal.get("/")
    assert page.status_code == 200
    assert_clean_page(page)
    assert "<h1>Ajukan laporan pengaduan</h1>" in page.text
    for field_id, label in LABELS.items():
        assert re.search(rf'<label for="{field_id}">{re.escape(label)}[ <]', page.text), field_id
        assert f'id="{field_id}"' in page.text
    assert 'aria-describedby="phone-petunjuk"' in page.text
    assert 'name="csrftoken"' in page.text
    assert ">Kirim laporan pengaduan</button>" in page.text
    assert "/static/portal.css?v=" in page.text


def test_filing_through_the_form_files_once_and_hands_over_code_and_token(
    portal: TestClient,
) -> None:
    before = row_counts()
    response = portal.post("/", data=form(portal, **complaint_form()))

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert_clean_page(response)
    assert "Laporan pengaduan diterima" in response.text
    assert _by_id(response.text, "status") == STATUS_LABELS["submitted"]
    assert "hanya ditampilkan sekali" in response.text
    code, token = _by_id(response.text, "kode-pelacakan"), _by_id(response.text, "token-akses")
    after = row_counts()
    assert after["complaints"] == before["complaints"] + 1
    assert after["outbox"] == before["outbox"] + 2  # the workflow's step 1 and the notifier
    arrive = next(r for r in outbox_rows() if r.task_name == FIRST_STEP.arrive_task)
    handed = ComplaintFiledV1.model_validate(arrive.payload)
    assert handed.tracking_code == code
    assert handed.reporter.phone == "+6281234567890"
    assert handed.licence_reference == "503/0123/IUMK/2026"
    # The token opens the JSON API, like one the API handed out.
    assert track(portal, code, token)["licence_reference"] == "503/0123/IUMK/2026"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": "  "}, "name", "Nama lengkap wajib diisi"),
        ({"email": "budi@"}, "email", "Email: alamat email &#39;budi@&#39; tidak valid"),
        ({"phone": "12345"}, "phone", "Nomor HP: nomor telepon &#39;12345&#39; tidak valid"),
        ({"channels": []}, "channels", "Pilih minimal satu saluran jawaban"),
        ({"channels": ["sms"], "phone": ""}, "channels", "nomor telepon pelapor tidak diisi"),
        ({"subject": "x" * 201}, "subject", "terlalu panjang (maksimal 200 karakter)"),
        ({"licence_reference": "NIB: 123"}, "licence_reference", "hanya boleh berisi huruf"),
    ],
)
def test_bad_input_is_shown_on_its_field_and_changes_nothing(
    portal: TestClient, overrides: dict[str, Any], field: str, message: str
) -> None:
    before, outbox = row_counts(), outbox_rows()
    response = portal.post("/", data=form(portal, **complaint_form(**overrides)))

    assert response.status_code == 422
    assert_clean_page(response)
    assert 'id="ringkasan-galat"' in response.text
    assert re.search(rf'<a href="#{field}">[^<]*{re.escape(message)}', response.text)
    assert f'id="{field}-galat"' in response.text
    assert 'value="Budi Santoso"' in response.text or field == "name"
    assert "Permohonan izin usaha kami sudah tiga minggu" in response.text
    assert row_counts() == before
    assert [r.id for r in outbox_rows()] == [r.id for r in outbox]


@pytest.mark.parametrize("name", [b"Budi\xff", b"Budi%FF"])
def test_a_form_that_is_not_utf8_is_refused_and_changes_nothing(
    portal: TestClient, name: bytes
) -> None:
    before = row_counts()
    body = b"csrftoken=" + portal.cookies[CSRF_COOKIE].encode() + b"&name=" + name
    response = portal.post(
        "/", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 422
    assert UNREADABLE_MESSAGE in response.text
    assert row_counts() == before


def test_an_oversized_form_is_refused_unread_and_changes_nothing(portal: TestClient) -> None:
    before = row_counts()
    fields = complaint_form(description="a" * MAX_FORM_BYTES)
    response = portal.post("/", data=form(portal, **fields))
    assert response.status_code == 413
    assert "terlalu besar" in response.text
    assert row_counts() == before


def test_a_post_without_its_csrf_token_is_refused_and_changes_nothing(portal: TestClient) -> None:
    before = row_counts()
    response = portal.post("/", data=complaint_form())
    assert response.status_code == 403
    assert "kedaluwarsa" in response.text
    assert row_counts() == before


# Tracking


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
    assert _by_id(page.text, "status") == STATUS_LABELS["submitted"]
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
    assert _by_id(page, "status") == STATUS_LABELS["answered"]


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
    assert _by_id(shown, "status") == STATUS_LABELS["information_supplied"]
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
    assert _by_id(response.text, "status") == STATUS_LABELS["submitted"]


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


def test_the_portal_scripts_and_stylesheet_are_served_here(portal: TestClient) -> None:
    for name, kind in (
        ("portal.css", "text/css"),
        ("portal.js", "javascript"),
        ("lacak.js", "javascript"),
    ):
        response = portal.get(f"/static/{name}")
        assert response.status_code == 200, name
        assert kind in response.headers["content-type"]


def test_the_same_form_sent_twice_files_once_and_shows_the_same_receipt(
    portal: TestClient,
) -> None:
    page = portal.get("/").text
    key = re.search(r'name="filing_key" value="([0-9a-f]{32})"', page)
    assert key, "the form carries no one-time key"
    before = row_counts()
    sent = form(portal, **complaint_form(), filing_key=key.group(1))
    first, again = portal.post("/", data=sent), portal.post("/", data=sent)  # a reload
    assert first.status_code == again.status_code == 200
    receipt = (_by_id(first.text, "kode-pelacakan"), _by_id(first.text, "token-akses"))
    assert (_by_id(again.text, "kode-pelacakan"), _by_id(again.text, "token-akses")) == receipt
    assert row_counts()["complaints"] == before["complaints"] + 1


def test_the_receipt_says_received_until_the_workflow_has_registered_the_laporan(
    portal: TestClient,
) -> None:
    sent = form(portal, **complaint_form(), filing_key=uuid.uuid4().hex)
    first = portal.post("/", data=sent)
    code, token = _by_id(first.text, "kode-pelacakan"), _by_id(first.text, "token-akses")
    assert _by_id(first.text, "status") == STATUS_LABELS["submitted"]
    assert "diterima" in STATUS_LABELS["submitted"]
    for claim in ("teregister", "terdaftar", "diteruskan"):
        assert claim not in first.text, claim  # nothing the workflow has not done yet

    set_status(code, FIRST_STEP.status, sequence=2)  # the step-1 arrival's update, applied
    again = portal.post("/", data=sent)  # the receipt reloaded
    assert (_by_id(again.text, "kode-pelacakan"), _by_id(again.text, "token-akses")) == (
        code,
        token,
    )
    registered = _by_id(again.text, "status")
    assert registered == STATUS_LABELS[FIRST_STEP.status]
    assert "teregister pada Sistem Pengaduan" in registered
    assert "diteruskan kepada Admin Pengaduan" in registered
    # The tracking page says the same.
    assert open_tracking(portal, code, token).status_code == 303
    assert _by_id(portal.get(f"/lacak/{code}").text, "status") == registered


def test_a_changed_form_sent_with_the_old_key_is_a_new_complaint(portal: TestClient) -> None:
    key = uuid.uuid4().hex
    first = portal.post("/", data=form(portal, **complaint_form(), filing_key=key))
    changed = complaint_form(subject="Izin reklame belum terbit")
    second = portal.post("/", data=form(portal, **changed, filing_key=key))
    assert first.status_code == second.status_code == 200
    assert _by_id(first.text, "kode-pelacakan") != _by_id(second.text, "kode-pelacakan")


def test_a_form_that_fails_validation_keeps_its_key(portal: TestClient) -> None:
    key = uuid.uuid4().hex
    refused = portal.post("/", data=form(portal, **complaint_form(name=""), filing_key=key))
    assert refused.status_code == 422
    assert f'name="filing_key" value="{key}"' in refused.text
