"""Open311 GeoReport v2 at ``/open311/v2/``: the catalogue as the spec's services, and service
requests filed, listed and read by partner systems with an API key (docs/OPEN311.md).

Every answer is in the format the address ends with (``.json`` or ``.xml``); every error too,
in the spec's ``errors`` shape. Unlike the spec's public reads, reading requests needs the
partner's key and shows only that partner's own: a tracking code alone reveals nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from services.intake.api.client_limits import RateLimited, count_partner
from services.intake.api.dependencies import NO_STORE, SessionDep
from services.intake.models import Partner
from services.intake.open311 import formats, service_requests
from services.intake.open311.errors import (
    KEY_INVALID,
    KEY_MISSING,
    Open311Error,
    forbidden,
    not_found,
)
from services.intake.open311.formats import Format
from services.intake.open311.partners import partner_for_key
from services.intake.open311.requests_in import complaint_from_form
from shared.database.engine import utcnow
from shared.messaging.contracts.filing import ComplaintIn
from shared.runtime.settings import get_settings

PREFIX = "/open311/v2"
router = APIRouter(prefix=PREFIX, tags=["Open311 GeoReport v2"], default_response_class=Response)

_XML = {"text/xml": {"schema": {"type": "string", "description": "XML sesuai spesifikasi"}}}
ERRORS = {  # the spec's errors, as /docs shows them
    "type": "array",
    "items": {
        "type": "object",
        "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
        "required": ["code", "description"],
    },
}
_ERROR_WORDS = {
    400: "Permintaan tidak valid",
    403: "api_key tidak ada, tidak valid atau sudah dicabut",
    404: "Layanan, laporan, jurisdiction_id atau format tidak ditemukan",
    429: "Terlalu banyak permintaan dengan api_key ini (Retry-After)",
}


def documented(ok: dict[str, Any], *errors: int) -> dict[int | str, dict[str, Any]]:
    """The answers of a route as /docs shows them: ``ok`` in JSON or XML, and the spec's
    errors, in either format too."""
    answers: dict[int | str, dict[str, Any]] = {
        200: {"description": "OK", "content": {"application/json": {"schema": ok}, **_XML}}
    }
    for status in errors:
        content = {"application/json": {"schema": ERRORS}, **_XML}
        answers[status] = {"description": _ERROR_WORDS[status], "content": content}
    return answers


_RECORDS = {"type": "array", "items": {"type": "object"}}
_DEFINITION = {"type": "object", "properties": {"service_code": {"type": "string"}}}

FILED_NOTICE = (
    "Laporan pengaduan diterima DPMPTSP Kota Madiun dan ditangani dalam lima langkah SOP. "
    "Pelapor menerima kabar dan jawaban melalui {contacts} yang diisi, dan dapat mengikutinya di "
    '{tracking_url}: token akses dibuat sendiri oleh pelapor melalui "Lupa token akses?", yang '
    "mengirim tautan sekali pakai ke {contacts} itu."
)
FILED_NOTICE_NO_CONTACT = (
    "Laporan pengaduan diterima DPMPTSP Kota Madiun dan ditangani dalam lima langkah SOP. "
    "Pelapor tidak meninggalkan email maupun nomor HP: perkembangan dan jawabannya hanya dapat "
    "diikuti melalui sistem Anda (GET requests)."
)
# The form's fields as /docs shows them (read by ``form_fields``, checked by ``requests_in``).
_FORM = {
    "type": "object",
    "required": ["api_key", "service_code", "description"],
    "properties": {
        name: {"type": "string", "description": words}
        for name, words in {
            "api_key": "Kunci API mitra (pengaduan-partner create)",
            "jurisdiction_id": "Opsional: domain kantor",
            "service_code": "Kode layanan dari GET services",
            "description": "Uraian pengaduan, paling panjang 4.000 karakter",
            "first_name": "Nama depan pelapor",
            "last_name": "Nama belakang pelapor",
            "email": "Email pelapor: kabar dan jawaban dikirim ke sini",
            "phone": "Nomor HP pelapor: kabar dan jawaban dikirim lewat SMS",
            "address_string": "Opsional: alamat atau lokasi",
            "lat": "Opsional: lintang WGS84, bersama long",
            "long": "Opsional: bujur WGS84, bersama lat",
            "address_id": "Opsional: ID alamat",
            "media_url": "Opsional: tautan http(s) ke foto atau berkas",
        }.items()
    },
}


def filed_notice(body: ComplaintIn, code: str) -> str:
    reporter = body.reporter
    contacts = [
        said
        for said, given in (
            ("email", reporter and reporter.email),
            ("nomor HP", reporter and reporter.phone),
        )
        if given
    ]
    if not contacts:
        return FILED_NOTICE_NO_CONTACT
    tracking_url = get_settings().web.tracking_url(code)
    return FILED_NOTICE.format(contacts=" dan ".join(contacts), tracking_url=tracking_url)


async def form_fields(request: Request) -> dict[str, str]:
    """The query's fields, then the form's (which win): the spec sends ``api_key`` in the form,
    some clients in the query. Files and repeated fields are not part of the spec's form."""
    fields = dict(request.query_params)
    if request.method == "POST":
        async with request.form() as form:  # closes any file sent, which is not read
            fields.update({k: v for k, v in form.items() if isinstance(v, str)})
    return fields


Fields = Annotated[dict[str, str], Depends(form_fields)]


def answered(fmt_text: str, fields: dict[str, str], work: Callable[[Format], Response]) -> Response:
    """``work``'s answer, or the spec's error in the format asked for (JSON for an unknown one)."""
    fmt = formats.format_of(fmt_text)
    try:
        if fmt is None:
            raise not_found("format tidak dikenal: gunakan .json atau .xml")
        jurisdiction = fields.get("jurisdiction_id", "").strip()
        if jurisdiction and jurisdiction != get_settings().open311.jurisdiction:
            raise not_found(f"jurisdiction_id {jurisdiction!r} tidak dilayani di sini")
        response = work(fmt)
    except Open311Error as exc:
        response = formats.errors(fmt or "json", exc.status, exc.problems)
        if exc.retry_after is not None:
            response.headers["Retry-After"] = str(exc.retry_after)
    return response


def partner_of(session: SessionDep, fields: dict[str, str]) -> Partner:
    """The partner whose ``api_key`` this is (403 otherwise), counted against its limit."""
    key = fields.get("api_key", "").strip()
    if not key:
        raise forbidden(KEY_MISSING)
    partner = partner_for_key(session, key)
    if partner is None:
        raise forbidden(KEY_INVALID)
    try:
        count_partner(partner.name)
    except RateLimited as exc:
        raise Open311Error(429, exc.message, retry_after=exc.retry_after) from None
    return partner


@router.get(
    "/services.{fmt}",
    summary="Daftar layanan (GET Service List)",
    responses=documented(_RECORDS, 404),
)
def service_list(fmt: str, session: SessionDep, fields: Fields) -> Response:
    """Layanan perizinan dari katalog yang dapat diadukan, tanpa api_key."""

    def work(fmt: Format) -> Response:
        rows = [formats.service_record(e) for e in service_requests.active_services(session)]
        return formats.records(fmt, "services", "service", rows)

    return answered(fmt, fields, work)


@router.get(
    "/services/{service_code}.{fmt}",
    summary="Definisi layanan (GET Service Definition)",
    responses=documented(_DEFINITION, 400, 404),
)
def service_definition(
    service_code: str, fmt: str, session: SessionDep, fields: Fields
) -> Response:
    """Layanan katalog tidak meminta atribut tambahan: daftar atributnya kosong."""

    def work(fmt: Format) -> Response:
        entry = service_requests.active_service(session, service_code)
        return formats.definition(fmt, entry.code)

    return answered(fmt, fields, work)


@router.post(
    "/requests.{fmt}",
    summary="Ajukan laporan (POST Service Request)",
    responses=documented(_RECORDS, 400, 403, 404, 429),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/x-www-form-urlencoded": {"schema": _FORM}},
        }
    },
)
def create_request(fmt: str, session: SessionDep, fields: Fields) -> Response:
    """Formulir `application/x-www-form-urlencoded` sesuai spesifikasi, dengan `api_key` mitra.
    `service_request_id` adalah kode pelacakan laporan pengaduan."""

    def work(fmt: Format) -> Response:
        partner = partner_of(session, fields)
        service = service_requests.active_service(session, fields.get("service_code", "").strip())
        body = complaint_from_form(fields, service)
        code = service_requests.file_request(session, partner, body)
        notice = filed_notice(body, code)
        row = {"service_request_id": code, "service_notice": notice, "account_id": None}
        response = formats.records(fmt, "service_requests", "request", [row])
        response.headers.update(NO_STORE)
        return response

    return answered(fmt, fields, work)


@router.get(
    "/requests.{fmt}",
    summary="Daftar laporan mitra (GET Service Requests)",
    responses=documented(_RECORDS, 400, 403, 404, 429),
)
def list_requests(fmt: str, session: SessionDep, fields: Fields) -> Response:
    """Hanya laporan yang diajukan mitra pemilik `api_key`, dengan filter spesifikasi."""

    def work(fmt: Format) -> Response:
        partner = partner_of(session, fields)
        filters = service_requests.read_filters(
            fields.get("service_request_id"),
            fields.get("service_code"),
            fields.get("start_date"),
            fields.get("end_date"),
            fields.get("status"),
            now=utcnow(),
        )
        found = service_requests.find_requests(session, partner, filters)
        return _requests(fmt, found)

    return answered(fmt, fields, work)


@router.get(
    "/requests/{service_request_id}.{fmt}",
    summary="Satu laporan (GET Service Request)",
    responses=documented(_RECORDS, 400, 403, 404, 429),
)
def get_request(service_request_id: str, fmt: str, session: SessionDep, fields: Fields) -> Response:
    """Satu laporan yang diajukan mitra pemilik `api_key`; laporan lain dijawab 404."""

    def work(fmt: Format) -> Response:
        partner = partner_of(session, fields)
        found = service_requests.find_request(session, partner, service_request_id)
        return _requests(fmt, [found])

    return answered(fmt, fields, work)


def _requests(fmt: Format, found: list[service_requests.ServiceRequest]) -> Response:
    rows = [formats.request_record(f) for f in found]
    response = formats.records(fmt, "service_requests", "request", rows)
    response.headers.update(NO_STORE)
    return response
