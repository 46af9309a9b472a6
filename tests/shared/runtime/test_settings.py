"""Settings as deployments pass them."""

from __future__ import annotations

import pytest

from shared.runtime.settings import Settings


def test_an_empty_variable_is_the_default_not_an_empty_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # docker-compose passes `${PENGADUAN_SMS_GATEWAY_URL:-}` as "" when the office has no gateway.
    monkeypatch.setenv("PENGADUAN_SMS_GATEWAY_URL", "")
    monkeypatch.setenv("PENGADUAN_SMTP_PORT", "")
    monkeypatch.setenv("PENGADUAN_SMTP_PASSWORD", "")
    settings = Settings()
    assert settings.sms_gateway_url is None
    assert settings.smtp_port == 25
    assert settings.smtp_password is None


def test_the_tracking_link_carries_the_code_escaped() -> None:
    settings = Settings(public_intake_url="https://pengaduan.madiunkota.go.id/")
    assert settings.tracking_url("PGD-AB12-CD34") == (
        "https://pengaduan.madiunkota.go.id/lacak?kode=PGD-AB12-CD34"
    )
    assert settings.tracking_url("a b&c").endswith("kode=a%20b%26c")


def test_national_holidays_are_switched_off_with_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PENGADUAN_OFFICE_HOLIDAYS_COUNTRY", "none")
    assert Settings().office_holidays_country is None
    monkeypatch.setenv("PENGADUAN_OFFICE_HOLIDAYS_COUNTRY", "")
    assert Settings().office_holidays_country == "ID"
