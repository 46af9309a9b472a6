"""Settings as deployments pass them."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from shared.runtime.settings import Settings
from shared.runtime.settings.sources import variables


def test_an_empty_variable_is_the_default_not_an_empty_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # docker-compose passes `${PENGADUAN_SMS_GATEWAY_URL:-}` as "" when the office has no gateway.
    monkeypatch.setenv("PENGADUAN_SMS_GATEWAY_URL", "")
    monkeypatch.setenv("PENGADUAN_SMTP_PORT", "")
    monkeypatch.setenv("PENGADUAN_SMTP_PASSWORD", "")
    settings = Settings()
    assert settings.sms.gateway_url is None
    assert settings.mail.port == 25
    assert settings.mail.password is None


def test_the_tracking_link_carries_the_code_escaped() -> None:
    settings = Settings(web={"public_intake_url": "https://pengaduan.madiunkota.go.id/"})
    assert settings.web.tracking_url("PGD-AB12-CD34") == (
        "https://pengaduan.madiunkota.go.id/lacak?kode=PGD-AB12-CD34"
    )
    assert settings.web.tracking_url("a b&c").endswith("kode=a%20b%26c")


def test_national_holidays_are_switched_off_with_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PENGADUAN_OFFICE_HOLIDAYS_COUNTRY", "none")
    assert Settings().office.holidays_country is None
    monkeypatch.setenv("PENGADUAN_OFFICE_HOLIDAYS_COUNTRY", "")
    assert Settings().office.holidays_country == "ID"


@pytest.mark.parametrize(
    ("variable", "value", "group", "field", "expected"),
    [
        ("PENGADUAN_SMTP_HOST", "mail.example.id", "mail", "host", "mail.example.id"),
        ("PENGADUAN_REDIS_URL", "redis://redis:6379/0", "broker", "redis_url", None),
        ("PENGADUAN_INTAKE_DATABASE_URL", "postgresql://db/intake", "database", "intake_url", None),
        ("PENGADUAN_FILING_LIMIT", "3/hour", "limits", "filing", None),
        ("PENGADUAN_OFFICE_CLOSED_DATES", '["2026-12-24"]', "office", "closed_dates", None),
        ("PENGADUAN_NOTIFIER_MAX_RETRIES", "7", "delivery", "max_retries", 7),
        ("pengaduan_log_level", "DEBUG", "logs", "level", "DEBUG"),  # any case, as before
    ],
)
def test_each_group_reads_the_flat_variable_operators_set(
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
    value: str,
    group: str,
    field: str,
    expected: object,
) -> None:
    monkeypatch.setenv(variable, value)
    found = getattr(getattr(Settings(), group), field)
    if expected is None:
        expected = [date(2026, 12, 24)] if field == "closed_dates" else value
    assert found == expected


def test_a_value_given_in_code_wins_over_the_variable_and_keeps_the_rest_of_its_group(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PENGADUAN_SMTP_HOST", "from-the-environment")
    monkeypatch.setenv("PENGADUAN_SMTP_PORT", "2525")
    settings = Settings(mail={"host": "given"})
    assert (settings.mail.host, settings.mail.port) == ("given", 2525)


def test_a_flat_name_or_a_misspelt_field_in_code_is_refused() -> None:
    with pytest.raises(ValidationError):
        Settings(redis_url="redis://redis:6379/0")
    with pytest.raises(ValidationError):
        Settings(mail={"hots": "mail.example.id"})


def test_every_setting_has_its_own_variable_and_a_description() -> None:
    names = [setting.name for setting in variables(Settings)]
    assert len(names) == len(set(names))
    assert all(name.startswith("PENGADUAN_") for name in names)
    assert [s.name for s in variables(Settings) if not s.field.description] == []
