"""The citizens' limits: how many requests a client address (or, for access links, a tracking
code) may make, and how long a one-time access link lives."""

from __future__ import annotations

from pydantic import field_validator

from shared.runtime.settings.groups import Group, setting


class LimitSettings(Group):
    """Citizens' limits: requests per client address (and access links per tracking code),
    counted in Redis (a moving window, in the `limits` library's syntax such as `10/hour` or `5
    per minute`); one more answers `429` with `Retry-After`, and while Redis is down nothing is
    counted. Also how long a one-time access link lives."""

    filing: str = setting(
        "PENGADUAN_FILING_LIMIT", "10/hour", "Complaints filed (the API and the portal's form)."
    )
    tracking: str = setting(
        "PENGADUAN_TRACKING_LIMIT",
        "60/minute",
        "Tracking lookups (the API's reads and the portal's tracking form).",
    )
    access_link: str = setting(
        "PENGADUAN_ACCESS_LINK_LIMIT",
        "10/hour",
        'Requests for a one-time access link ("lupa token?") from one client address.',
    )
    access_link_per_code: str = setting(
        "PENGADUAN_ACCESS_LINK_PER_CODE_LIMIT",
        "3/hour",
        "Requests for a one-time access link for one tracking code, from any address (every "
        "code is counted alike, known or not, so the limit tells nothing of the code).",
    )
    access_link_minutes: int = setting(
        "PENGADUAN_ACCESS_LINK_MINUTES",
        30,
        "How long a one-time access link stays usable, in minutes.",
        ge=1,
        le=24 * 60,
    )

    @field_validator("filing", "tracking", "access_link", "access_link_per_code")
    @classmethod
    def _rate_limit(cls, value: str) -> str:
        from limits import parse  # noqa: PLC0415 - only the validator needs it

        parse(value)  # raises ValueError on a malformed limit: refused at start
        return value
