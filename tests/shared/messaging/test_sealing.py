"""The complainant's contacts sealed in the messages the services exchange: never in clear on the
wire, opened by a service holding the key, still opened while the key is rotated."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from pydantic import ValidationError

from shared.messaging.contracts import (
    Channel,
    ComplaintFiledV1,
    NotificationKind,
    NotificationRequestedV1,
)
from shared.messaging.contracts.messages import Reporter
from shared.messaging.sealing import SealBroken, seal, unseal
from shared.runtime.settings import get_settings

OLD = "rahasia-lama-" + "x1y2z3" * 6
NEW = "rahasia-baru-" + "a9b8c7" * 6
Secret = Callable[..., None]
REPORTER = Reporter(name="Siti Aminah", email="siti.aminah@example.id", phone="+6281234567890")


@pytest.fixture
def secret(monkeypatch: pytest.MonkeyPatch) -> Iterator[Secret]:
    """Set the services' secret (and the one before, while rotating) for the rest of a test."""

    def use(current: str, previous: str | None = None) -> None:
        monkeypatch.setenv("PENGADUAN_JWT_SECRET", current)
        if previous is None:
            monkeypatch.delenv("PENGADUAN_JWT_PREVIOUS_SECRET", raising=False)
        else:
            monkeypatch.setenv("PENGADUAN_JWT_PREVIOUS_SECRET", previous)
        get_settings.cache_clear()

    yield use
    get_settings.cache_clear()


def filed() -> ComplaintFiledV1:
    return ComplaintFiledV1(
        tracking_code="PGD-AB12-CD34",
        subject="Izin usaha belum terbit",
        description="Sudah tiga minggu.",
        reporter=REPORTER,
        channels=(Channel.EMAIL, Channel.SMS),
    )


def test_on_the_wire_the_reporter_is_one_token_the_consumer_opens(
    secret: Secret,
) -> None:
    secret(NEW)
    wire = filed().model_dump(mode="json")
    assert isinstance(wire["reporter"], str)
    for private in ("Siti", "siti.aminah", "example.id", "81234567890"):
        assert private not in str(wire)
    assert wire["tracking_code"] == "PGD-AB12-CD34"  # ids and codes stay readable
    assert ComplaintFiledV1.model_validate(wire).reporter == REPORTER
    assert filed().model_dump()["reporter"]["email"] == REPORTER.email  # in process: plain


def test_a_notification_seals_its_recipient_too(secret: Secret) -> None:
    secret(NEW)
    msg = NotificationRequestedV1(
        kind=NotificationKind.FILED,
        tracking_code="PGD-AB12-CD34",
        recipient=REPORTER,
        channels=(Channel.SMS,),
        subject="Izin usaha belum terbit",
    )
    wire = msg.model_dump_json()
    assert "81234567890" not in wire and "Siti" not in wire
    assert NotificationRequestedV1.model_validate_json(wire).recipient == REPORTER


def test_sealed_under_the_secret_before_opens_while_it_is_rotated(secret: Secret) -> None:
    secret(OLD)
    wire = filed().model_dump(mode="json")  # queued before the rotation
    secret(NEW, previous=OLD)
    assert ComplaintFiledV1.model_validate(wire).reporter == REPORTER
    resealed = filed().model_dump(mode="json")["reporter"]  # sealed now: under the new secret
    secret(NEW)
    assert unseal(resealed)["email"] == REPORTER.email
    with pytest.raises(ValidationError, match="does not open"):
        ComplaintFiledV1.model_validate(wire)  # the old secret retired: the old token is dead


@pytest.mark.parametrize(
    "token",
    ["", "not-a-token", "gAAAAA" + "A" * 100],
)
def test_garbage_in_place_of_a_seal_is_refused(secret: Secret, token: str) -> None:
    secret(NEW)
    with pytest.raises(SealBroken):
        unseal(token)
    wire = {**filed().model_dump(mode="json"), "reporter": token}
    with pytest.raises(ValidationError):
        ComplaintFiledV1.model_validate(wire)


def test_a_seal_of_something_other_than_an_object_is_refused(secret: Secret) -> None:
    secret(NEW)
    from shared.messaging.sealing import _keys  # noqa: PLC0415 - sealing a list on purpose, past seal()

    with pytest.raises(SealBroken, match="not an object"):
        unseal(_keys().encrypt(b"[1, 2]").decode())
    assert unseal(seal({"a": 1})) == {"a": 1}
