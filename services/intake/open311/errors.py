"""The spec's errors: an HTTP status (404 for what does not exist, 403 for a missing or wrong
``api_key``, 400 for anything else) and a list of ``code`` and ``description`` the client
shows its user; descriptions in Bahasa Indonesia, as every message of the office."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    code: int
    description: str


class Open311Error(Exception):
    """One or more problems, answered with ``status`` in the format the request asked for."""

    def __init__(self, status: int, *descriptions: str, retry_after: int | None = None) -> None:
        self.status = status
        self.problems = [Problem(status, d) for d in descriptions]
        self.retry_after = retry_after
        super().__init__("; ".join(descriptions))


def bad_request(*descriptions: str) -> Open311Error:
    return Open311Error(400, *descriptions)


def not_found(description: str) -> Open311Error:
    return Open311Error(404, description)


KEY_MISSING = "api_key wajib disertakan: minta kunci API kepada DPMPTSP Kota Madiun"
KEY_INVALID = "api_key tidak valid atau sudah dicabut"


def forbidden(description: str) -> Open311Error:
    return Open311Error(403, description)
