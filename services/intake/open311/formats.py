"""The spec's two formats: XML (required by the spec) and JSON (its Spark-convention mirror),
each a list of records under a root element: ``<services><service>``,
``<service_requests><request>``, ``<errors><error>``; a service definition is one object.

XML is written with ElementTree (which escapes every text), behind the declaration the spec
asks for; nothing here parses XML. Times are W3C (ISO 8601) in UTC with ``Z``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any, Literal
from xml.etree import ElementTree  # builds XML only; nothing here parses any

from starlette.responses import Response

from services.intake.models import CatalogueEntry
from services.intake.open311.errors import Problem
from services.intake.open311.service_requests import ServiceRequest
from shared.licensing_services import GROUP_LABELS, ServiceGroup
from shared.web.pages import OFFICE

Format = Literal["json", "xml"]
FORMATS: tuple[Format, ...] = ("json", "xml")
MEDIA_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'
Record = Mapping[str, Any]


def format_of(text: str) -> Format | None:
    return next((f for f in FORMATS if f == text), None)


def records(
    fmt: Format, root: str, item: str, rows: Iterable[Record], status: int = 200
) -> Response:
    """A list of records: a JSON array, or ``<root><item>…</item></root>``."""
    rows = list(rows)
    if fmt == "json":
        return _json([{k: _json_value(v) for k, v in row.items()} for row in rows], status)
    element = ElementTree.Element(root)
    for row in rows:
        _fill(ElementTree.SubElement(element, item), row)
    return _xml(element, status)


def service_record(entry: CatalogueEntry) -> Record:
    group = GROUP_LABELS[ServiceGroup(entry.group)]
    return {
        "service_code": entry.code,
        "service_name": entry.name,
        "description": f"Pengaduan tentang layanan {entry.name} ({group.lower()}) pada {OFFICE}",
        "metadata": False,  # no attributes: GET services/{code} is never needed, but answers
        "type": "realtime",  # the service_request_id (tracking code) is answered at once
        "keywords": ", ".join((entry.code, group.lower(), "pengaduan", "perizinan")),
        "group": group,
    }


def definition(fmt: Format, service_code: str) -> Response:
    """A service definition with no attributes: the catalogue's services ask for none."""
    if fmt == "json":
        return _json({"service_code": service_code, "attributes": []})
    element = ElementTree.Element("service_definition")
    ElementTree.SubElement(element, "service_code").text = service_code
    ElementTree.SubElement(element, "attributes")
    return _xml(element)


def request_record(found: ServiceRequest) -> Record:
    """Every field of the spec's example, in its order; what the office does not keep (the
    place's parts, an expected time, media) is empty, and the complainant is never named."""
    fields = asdict(found)
    return {
        "service_request_id": fields["service_request_id"],
        "status": fields["status"],
        "status_notes": fields["status_notes"],
        "service_name": fields["service_name"],
        "service_code": fields["service_code"],
        "description": fields["description"],
        "agency_responsible": OFFICE,
        "service_notice": None,
        "requested_datetime": fields["requested_datetime"],
        "updated_datetime": fields["updated_datetime"],
        "expected_datetime": None,
        "address": None,
        "address_id": None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }


def errors(fmt: Format, status: int, problems: Iterable[Problem]) -> Response:
    rows = [{"code": p.code, "description": p.description} for p in problems]
    return records(fmt, "errors", "error", rows, status)


def w3(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _json_value(value: Any) -> Any:
    return w3(value) if isinstance(value, datetime) else value


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return w3(value)
    return str(value)


def _fill(element: ElementTree.Element, row: Record) -> None:
    for name, value in row.items():
        ElementTree.SubElement(element, name).text = _text(value)


def _json(body: Any, status: int = 200) -> Response:
    text = json.dumps(body, ensure_ascii=False)
    return Response(text.encode(), status_code=status, media_type=MEDIA_TYPES["json"])


def _xml(element: ElementTree.Element, status: int = 200) -> Response:
    text = DECLARATION + ElementTree.tostring(element, encoding="unicode")
    return Response(text.encode(), status_code=status, media_type=MEDIA_TYPES["xml"])
