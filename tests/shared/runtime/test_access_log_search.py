"""An access log line never carries what a person searched for (``q``): a search may be a
complainant's name, email or phone (a confidential complainant's too)."""

from __future__ import annotations

import logging

from shared.runtime.log_setup import AccessFieldsFilter, without_secrets


def test_the_search_text_is_left_out_of_the_access_line() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        (
            "127.0.0.1:5000",
            "GET",
            "/api/v1/cases?status=verifying&q=ratna%40example.id",
            "1.1",
            200,
        ),
        None,
    )

    assert AccessFieldsFilter().filter(record)

    assert "ratna" not in record.getMessage()
    assert record.http_path == "/api/v1/cases?status=verifying&q=[redacted]"  # type: ignore[attr-defined]
    assert record.http_status == 200  # type: ignore[attr-defined]


def test_a_path_without_a_search_is_kept_as_it_is() -> None:
    assert without_secrets("/console") == "/console"
    assert without_secrets("/console/cari?status=answered") == "/console/cari?status=answered"
    assert without_secrets("/console/cari?q=Budi+Santoso&offset=20") == (
        "/console/cari?q=[redacted]&offset=20"
    )


def test_an_open311_partner_key_never_reaches_the_access_log() -> None:
    path = "/open311/v2/requests.json?api_key=pgd311_rahasia&status=open"
    assert without_secrets(path) == "/open311/v2/requests.json?api_key=[redacted]&status=open"
