"""The contract of complaints taken by the Admin Pengaduan: ComplaintFiledV1's new fields are
optional (a message queued before them still validates), and ComplaintTakenV1 carries the
reporter sealed and the access token only as its hash."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from shared.messaging.contracts import (
    Channel,
    ComplaintFiledV1,
    ComplaintTakenV1,
    ReceivedVia,
    Reporter,
)
from shared.messaging.sealing import unseal

REPORTER = Reporter(name="Pak Slamet", phone="+6281234567890")


def test_a_filing_queued_before_received_via_still_validates() -> None:
    current = ComplaintFiledV1(
        tracking_code="PGD-7KQ2-M9XD",
        subject="Izin usaha belum terbit",
        description="Sudah tiga minggu belum ada kabar.",
        reporter=REPORTER,
        channels=(Channel.SMS,),
    ).model_dump(mode="json")
    old = {
        k: v for k, v in current.items() if k not in ("received_via", "taken_by", "receipt_code")
    }

    read = ComplaintFiledV1.model_validate(old)

    assert (read.received_via, read.taken_by, read.receipt_code) == (None, None, None)


def taken(**overrides: Any) -> dict[str, Any]:
    return {
        "tracking_code": "PGD-7KQ2-M9XD",
        "access_token_hash": "0" * 64,
        "subject": "Izin usaha belum terbit",
        "description": "Sudah tiga minggu belum ada kabar.",
        "reporter": REPORTER,
        "channels": (Channel.SMS,),
        "received_via": ReceivedVia.TELEPON,
        "taken_by": "sri",
        **overrides,
    }


def test_a_taken_complaint_travels_with_its_reporter_sealed() -> None:
    wire = ComplaintTakenV1(**taken()).model_dump(mode="json")

    assert isinstance(wire["reporter"], str)
    assert "Slamet" not in str(wire)
    assert unseal(wire["reporter"])["phone"] == "+6281234567890"
    assert ComplaintTakenV1.model_validate(wire).reporter == REPORTER


@pytest.mark.parametrize("missing", ["received_via", "taken_by", "access_token_hash"])
def test_a_taken_complaint_says_how_who_and_the_tokens_hash(missing: str) -> None:
    fields = taken()
    del fields[missing]
    with pytest.raises(ValidationError):
        ComplaintTakenV1(**fields)


def test_no_access_token_field_exists_on_the_wire() -> None:
    with pytest.raises(ValidationError):
        ComplaintTakenV1(**taken(access_token="geheim"))
