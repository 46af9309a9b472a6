"""Open311 GeoReport v2: the jurisdiction the office answers for, and how many requests one
partner system's key may make."""

from __future__ import annotations

from pydantic import field_validator

from shared.runtime.settings.groups import Group, setting


class Open311Settings(Group):
    """Open311 GeoReport v2 at `/open311/v2/` on the intake API, for partner systems with an
    API key (`pengaduan-partner`; docs/OPEN311.md)."""

    jurisdiction: str = setting(
        "PENGADUAN_OPEN311_JURISDICTION",
        "dpmptsp.madiun.go.id",
        "The office's `jurisdiction_id` (its website's domain, as the spec suggests): a request "
        "naming another is answered 404; one naming none is served as this one.",
        min_length=1,
        max_length=100,
    )
    limit: str = setting(
        "PENGADUAN_OPEN311_LIMIT",
        "60/minute",
        "Requests one partner's API key may make (filings and reads alike), in the `limits` "
        "library's syntax; one more answers `429` in the spec's error format.",
    )

    @field_validator("limit")
    @classmethod
    def _rate_limit(cls, value: str) -> str:
        from limits import parse  # noqa: PLC0415 - only the validator needs it

        parse(value)  # raises ValueError on a malformed limit: refused at start
        return value
