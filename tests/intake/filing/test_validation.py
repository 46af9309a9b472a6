"""Bad input gets a clear 422 in Bahasa Indonesia and writes nothing; no input yields a 500."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.intake.conftest import NOTHING, complaint_body, row_counts, set_settings

BAD_BODIES: dict[str, tuple[dict[str, Any], str, str]] = {
    # case: (body, field, words the citizen reads)
    "missing_subject": (
        {k: v for k, v in complaint_body().items() if k != "subject"},
        "subject",
        "wajib diisi",
    ),
    "missing_reporter_name": (
        complaint_body() | {"reporter": {"email": "budi@example.id"}},
        "reporter.name",
        "wajib diisi",
    ),
    "bad_email": (
        complaint_body(reporter={"email": "budi@@example"}),
        "reporter.email",
        "alamat email 'budi@@example' tidak valid",
    ),
    "bad_phone": (
        complaint_body(reporter={"phone": "12345"}),
        "reporter.phone",
        "nomor telepon '12345' tidak valid",
    ),
    "email_channel_without_email": (
        complaint_body(reporter={"email": ""}, channels=["email"]),
        "channels",
        "saluran email dipilih, tetapi alamat email pelapor tidak diisi",
    ),
    "sms_channel_without_phone": (
        complaint_body(reporter={"phone": None}, channels=["sms", "app"]),
        "channels",
        "saluran sms dipilih, tetapi nomor telepon pelapor tidak diisi",
    ),
    "whatsapp_channel_without_phone": (
        complaint_body(reporter={"phone": ""}, channels=["whatsapp"]),
        "channels",
        "saluran whatsapp dipilih, tetapi nomor telepon (WhatsApp) pelapor tidak diisi",
    ),
    "unknown_channel": (
        complaint_body(channels=["email", "telegram"]),
        "channels",
        "saluran 'telegram' tidak dikenal (pilihan: email, sms, app, whatsapp)",
    ),
    "no_channel": (complaint_body(channels=[]), "channels", "minimal 1 pilihan"),
    "repeated_channel": (
        complaint_body(channels=["email", "email"]),
        "channels",
        "saluran email dipilih lebih dari sekali",
    ),
    "extra_field": (complaint_body(status="answered"), "status", "tidak dikenal"),
    "extra_reporter_field": (
        complaint_body(reporter={"nik": "3577010101010001"}),
        "reporter.nik",
        "tidak dikenal",
    ),
    "number_for_text": (complaint_body(subject=12345), "subject", "harus berupa teks"),
    "text_for_list": (complaint_body(channels="email"), "channels", "harus berupa daftar"),
    "text_for_reporter": (complaint_body() | {"reporter": "Budi"}, "reporter", "objek JSON"),
    "subject_too_short": (complaint_body(subject="Izin"), "subject", "terlalu pendek"),
    "huge_description": (
        complaint_body(description="a" * 5_001),
        "description",
        "terlalu panjang (maksimal 5000 karakter)",
    ),
    "blank_name": (complaint_body(reporter={"name": "   "}), "reporter.name", "terlalu pendek"),
    "header_injection_in_name": (
        complaint_body(reporter={"name": "Budi\r\nBcc: semua@example.id"}),
        "reporter.name",
        "tidak boleh berisi karakter kontrol",
    ),
    "nul_in_description": (
        complaint_body(description="Izin usaha\x00 belum terbit"),
        "description",
        "tidak boleh berisi karakter kontrol",
    ),
}


@pytest.mark.parametrize("case", BAD_BODIES, ids=list(BAD_BODIES))
def test_bad_input_is_422_in_indonesian_and_writes_nothing(client: TestClient, case: str) -> None:
    body, field, words = BAD_BODIES[case]

    response = client.post("/api/v1/complaints", json=body)

    assert response.status_code == 422, response.text
    error = response.json()
    assert error["code"] == "invalid_input"
    assert error["message"].startswith("Data tidak valid.")
    assert any(e["field"] == field and words in e["message"] for e in error["errors"]), error
    assert row_counts() == NOTHING


@pytest.mark.parametrize(
    "raw",
    [b'{"reporter": {"name": "Budi"', b"bukan json", b"{'subject': 'x'}"],
    ids=["truncated", "not_json", "single_quotes"],
)
def test_malformed_json_is_422_and_writes_nothing(client: TestClient, raw: bytes) -> None:
    response = client.post(
        "/api/v1/complaints", content=raw, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422, response.text
    assert "JSON tidak valid" in response.json()["message"]
    assert row_counts() == NOTHING


def test_a_body_that_is_not_utf8_is_400_in_indonesian(client: TestClient) -> None:
    response = client.post(
        "/api/v1/complaints", content=b"\xff\xfe\x00", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400, response.text
    assert response.json()["message"] == "Isi permintaan tidak dapat dibaca; kirim JSON dalam UTF-8"
    assert row_counts() == NOTHING


@pytest.mark.parametrize(
    ("raw", "content_type"),
    [
        (b"", "application/json"),
        (b"[]", "application/json"),
        (b"null", "application/json"),
        (json.dumps(complaint_body()).encode(), "text/plain"),
        (b"subject=Izin+usaha", "application/x-www-form-urlencoded"),
        (b'{"subject": "\\ud800 tidak lengkap"}', "application/json"),
    ],
    ids=["empty", "array", "null", "text_plain", "form", "lone_surrogate"],
)
def test_a_body_that_is_not_a_complaint_object_is_422(
    client: TestClient, raw: bytes, content_type: str
) -> None:
    response = client.post(
        "/api/v1/complaints", content=raw, headers={"Content-Type": content_type}
    )
    assert response.status_code == 422, response.text
    assert response.json()["message"].startswith("Data tidak valid.")
    assert row_counts() == NOTHING


@pytest.mark.parametrize(
    "odd",
    [
        {"name": "Ṣìtì Ámínàh 🙂", "phone": "٠٨١٢٣٤٥٦٧٨٩٠"},  # Arabic-Indic digits are digits
        {"name": "李小龙", "email": "pelapor@bücher.example"},
        {"name": "O'Connor-Ñúñez", "phone": "+62 (812) 3456-7890"},
    ],
)
def test_unusual_but_valid_input_is_accepted(client: TestClient, odd: dict[str, str]) -> None:
    response = client.post("/api/v1/complaints", json=complaint_body(reporter=odd))
    assert response.status_code == 202, response.text


def _with(value: Any) -> list[dict[str, Any]]:
    """A valid body with ``value`` put in each field in turn."""
    bodies = [complaint_body() | {key: value} for key in ("reporter", "subject", "description")]
    bodies += [complaint_body(reporter={key: value}) for key in ("name", "email", "phone")]
    return [*bodies, complaint_body(channels=value), complaint_body(channels=[value])]


def test_any_json_value_in_any_field_is_answered_never_a_500(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_settings(monkeypatch, filing_limit="1000/hour")  # 80 filings from one client
    shapes: list[Any] = [0, 1.5, True, "x", "", [], {}, [None], {"": None}, {"a": {"b": []}}]
    statuses = set()
    for value in shapes:
        for body in _with(value):
            response = client.post("/api/v1/complaints", json=body)
            statuses.add(response.status_code)
            assert response.status_code == 202 or response.json()["errors"], response.text
    # A name "x" is fine, and an empty phone means "no phone"; everything else is refused.
    assert statuses == {202, 422}
