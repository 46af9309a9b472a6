"""A GeoReport v2 service request (``POST requests``, form-encoded) read into a laporan
pengaduan (``ComplaintIn``), so it is checked exactly as a complaint filed on the form or the
API is.

- the complainant: ``first_name`` and ``last_name`` make the name, ``email`` and ``phone`` the
  contacts and, from them, the channels the answer travels on (email; SMS to the phone). With no
  name and no contact at all the complaint is *anonim*: the partner is then its only way back.
- the subject: the first words of ``description``, or the service's name if they are too few.
- the location (``address_string``, ``lat``/``long``, ``address_id``) and ``media_url``: added
  below the description, where staff read them. A complaint about a licence seldom has a place,
  so none of them is required (the spec asks for one).
- ``device_id``, ``account_id`` and ``attribute[...]`` are not kept: the catalogue's services
  define no attributes, and the partner's own ids are the partner's.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError

from services.intake.models import CatalogueEntry
from services.intake.open311.errors import Open311Error, bad_request
from shared.messaging.contracts import Channel, Identity
from shared.messaging.contracts.filing import ComplaintIn
from shared.web.api_errors import translate_error

DESCRIPTION_MAX = 4000  # the spec's limit
SUBJECT_WORDS_MAX = 80  # characters of the description's start that make the subject
FIELD_MAX = 300  # any other single field

# ComplaintIn's fields as the partner named them.
_FIELD_NAMES = {
    "reporter.name": "first_name",
    "reporter.email": "email",
    "reporter.phone": "phone",
    "reporter": "first_name",
    "subject": "description",
    "description": "description",
    "service_code": "service_code",
}
NAME_NEEDED = (
    "first_name atau last_name wajib diisi bila email atau phone diisi: petugas perlu tahu "
    "siapa yang dihubungi"
)


def complaint_from_form(fields: Mapping[str, str], service: CatalogueEntry) -> ComplaintIn:
    """The complaint the request describes; ``Open311Error`` (400) with every problem found."""
    for name, value in fields.items():
        limit = DESCRIPTION_MAX if name == "description" else FIELD_MAX
        if len(value) > limit:
            raise bad_request(f"{name} paling panjang {limit} karakter")
    text = fields.get("description", "").strip()
    if not text:
        raise bad_request("description wajib diisi: uraikan pengaduan Anda")
    try:
        return ComplaintIn.model_validate(_complaint_data(fields, text, service))
    except ValidationError as exc:
        raise _invalid(exc) from None


def _complaint_data(
    fields: Mapping[str, str], text: str, service: CatalogueEntry
) -> dict[str, Any]:
    name = " ".join(p for p in (_get(fields, "first_name"), _get(fields, "last_name")) if p)
    email, phone = _get(fields, "email"), _get(fields, "phone")
    channels = [Channel.EMAIL.value] * bool(email) + [Channel.SMS.value] * bool(phone)
    data: dict[str, Any] = {
        "subject": subject_of(text, service.name),
        "description": "\n\n".join(p for p in (text, _where(fields)) if p),
        "service_code": service.code,
    }
    if not (name or email or phone):
        return {**data, "identity": Identity.ANONYMOUS.value, "channels": [Channel.APP.value]}
    if not name:
        raise bad_request(NAME_NEEDED)
    reporter = {"name": name, "email": email, "phone": phone}
    return {**data, "reporter": reporter, "channels": channels or [Channel.APP.value]}


def subject_of(description: str, service_name: str) -> str:
    """The description's first words, cut at a word; the service's name if they are too few."""
    words = " ".join(description.split())
    if len(words) > SUBJECT_WORDS_MAX:
        words = words[:SUBJECT_WORDS_MAX].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"
    return words if len(words) >= 5 else service_name[:200]


def _where(fields: Mapping[str, str]) -> str:
    """The location and the media link, as lines below the description."""
    lines = []
    address = _get(fields, "address_string")
    if address:
        lines.append(f"Lokasi: {address}")
    point = _point(fields)
    if point:
        lines.append(f"Koordinat (WGS84): {point}")
    address_id = _get(fields, "address_id")
    if address_id:
        lines.append(f"ID alamat: {address_id}")
    media = _get(fields, "media_url")
    if media:
        lines.append(f"Media: {_media_url(media)}")
    return "\n".join(lines)


def _point(fields: Mapping[str, str]) -> str | None:
    lat, long = _get(fields, "lat"), _get(fields, "long")
    if lat is None and long is None:
        return None
    if lat is None or long is None:
        raise bad_request("lat dan long harus dikirim bersama")
    try:
        y, x = float(lat), float(long)
    except ValueError:
        raise bad_request("lat dan long harus berupa angka desimal (WGS84)") from None
    if not (math.isfinite(y) and math.isfinite(x) and -90 <= y <= 90 and -180 <= x <= 180):
        raise bad_request("lat harus antara -90 dan 90, long antara -180 dan 180")
    return f"{y}, {x}"


def _media_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
        raise bad_request("media_url harus berupa alamat http atau https")
    return url


def _get(fields: Mapping[str, str], name: str) -> str | None:
    value = fields.get(name, "").strip()
    return value or None  # the spec: an empty parameter is one not sent


def _invalid(exc: ValidationError) -> Open311Error:
    problems = []
    for error in exc.errors():
        said = translate_error(dict(error))
        field = _FIELD_NAMES.get(said["field"], said["field"])
        problems.append(f"{field}: {said['message']}")
    return Open311Error(400, *dict.fromkeys(problems))
