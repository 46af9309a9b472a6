"""Errors as types, mapped to HTTP in one place: stable English ``code`` for programs, an
Indonesian ``message`` for people. Validation errors are translated field by field."""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as SqlTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.database.availability import database_unavailable
from shared.web.domain_errors import DomainError

log = logging.getLogger(__name__)


class ErrorBody(BaseModel):
    """The body of every 4xx answer, documented in OpenAPI."""

    code: str
    message: str
    errors: list[dict[str, Any]] | None = None


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": ErrorBody} for status in statuses}


_ERROR_BODY = {"$ref": "#/components/schemas/ErrorBody"}
_RETRY_AFTER = {
    "Retry-After": {
        "description": "Detik yang perlu ditunggu sebelum mencoba lagi",
        "schema": {"type": "integer"},
    }
}
# What a client is told while the database cannot be reached (restarting, stopped, out of
# connections), and when to try again: a restart takes seconds.
DATABASE_AWAY_MESSAGE = (
    "Layanan sedang tidak dapat menyimpan atau membaca data sesaat; tidak ada yang tersimpan. "
    "Coba lagi dalam beberapa detik."
)
DATABASE_AWAY_RETRY_SECONDS = 5
# Answers every operation can give whatever its route lists: the handlers below make them.
_ALWAYS = {
    "503": "Layanan sedang sibuk (basis data tidak tersedia sesaat); coba lagi",
}
# Starlette's (English) words for a multipart body it would not read, and what is said instead.
_MULTIPART_REFUSALS = ("Too many files", "Too many fields", "Field exceeded", "Part exceeded")
UNREADABLE_MULTIPART = (
    "Isi permintaan multipart tidak dapat dibaca: kirim satu berkas pada field `file`, tanpa "
    "field lain"
)
# What a client that sent a body no JSON parser should read (not UTF-8, not JSON) is told.
UNREADABLE_BODY = "Isi permintaan tidak dapat dibaca; kirim JSON dalam UTF-8"
_WITH_JSON_BODY = {"400": "Isi permintaan tidak dapat dibaca (bukan JSON dalam UTF-8)"}


def _error_response(description: str, status: str) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": _ERROR_BODY}},
    }
    if status in ("429", "503"):
        response["headers"] = _RETRY_AFTER
    return response


def _complete_operation(operation: dict[str, Any]) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    extra = dict(_ALWAYS)
    if "application/json" in operation.get("requestBody", {}).get("content", {}):
        extra.update(_WITH_JSON_BODY)
    for status, description in extra.items():
        responses.setdefault(status, _error_response(description, status))
    if "422" in responses:
        # FastAPI documents its own validation body; ours (the handler below) is ErrorBody.
        responses["422"]["content"] = {"application/json": {"schema": _ERROR_BODY}}
    for status in ("429", "503"):
        if status in responses:
            responses[status].setdefault("headers", _RETRY_AFTER)


def complete_openapi(app: FastAPI) -> None:
    """Make the OpenAPI document say every error an operation can answer, in the shape the
    handlers send it: a client generated from it, or a contract test, sees no surprise."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                _complete_operation(operation)
        components = schema.get("components", {}).get("schemas", {})
        for name in ("HTTPValidationError", "ValidationError"):  # FastAPI's, now unreferenced
            if f'"#/components/schemas/{name}"' not in json.dumps(schema):
                components.pop(name, None)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


# Pydantic's error types, as a citizen or staff member should read them.
_MESSAGES: dict[str, str] = {
    "missing": "wajib diisi",
    "string_too_short": "terlalu pendek (minimal {min_length} karakter)",
    "string_too_long": "terlalu panjang (maksimal {max_length} karakter)",
    "string_type": "harus berupa teks",
    "list_type": "harus berupa daftar",
    "too_short": "minimal {min_length} pilihan",
    "too_long": "maksimal {max_length} pilihan",
    "literal_error": "pilihan tidak dikenal (pilihan: {expected})",
    "enum": "pilihan tidak dikenal (pilihan: {expected})",
    "extra_forbidden": "tidak dikenal",
    "json_invalid": "JSON tidak valid",
    "model_attributes_type": "harus berupa objek JSON",
    "dict_type": "harus berupa objek JSON",
    "model_type": "harus berupa objek JSON",
    "int_parsing": "harus berupa bilangan bulat",
    "int_type": "harus berupa bilangan bulat",
}


def translate_error(error: dict[str, Any]) -> dict[str, Any]:
    """One pydantic error as people read it: the field (dotted), an Indonesian message, the type."""
    location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path")]
    kind = error.get("type", "")
    if kind == "json_invalid":
        location = []  # FastAPI puts the character offset where a field name would be
    field = ".".join(location) or "body"
    if kind == "value_error":
        # Our own validators raise ValueError with an Indonesian sentence already.
        text = str(error.get("ctx", {}).get("error", error.get("msg", "")))
    else:
        template = _MESSAGES.get(kind, "tidak valid")
        try:
            text = template.format(**error.get("ctx", {}))
        except (KeyError, IndexError):
            text = "tidak valid"
    return {"field": field, "message": text, "type": kind}


def install_error_handlers(app: FastAPI) -> None:
    complete_openapi(app)

    @app.exception_handler(DomainError)
    async def _domain(_: Request, exc: DomainError) -> JSONResponse:
        return JSONResponse(
            {"code": exc.code, "message": exc.message},
            status_code=exc.status_code,
            headers=exc.headers,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [translate_error(e) for e in exc.errors()]
        summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        return JSONResponse(
            {"code": "invalid_input", "message": f"Data tidak valid. {summary}", "errors": errors},
            status_code=422,
        )

    async def _database_away(_: Request, exc: Exception) -> JSONResponse:
        # A database restarting, stopped, out of connections or locked is a while's
        # unavailability, not a server bug: nothing was committed, and the client may simply
        # try again. Another error of the same types (a broken driver, say) is a 500.
        if not isinstance(exc, OperationalError) and not database_unavailable(exc):
            raise exc
        log.warning("database unavailable: %s", exc)
        return JSONResponse(
            {"code": "temporarily_unavailable", "message": DATABASE_AWAY_MESSAGE},
            status_code=503,
            headers={"Retry-After": str(DATABASE_AWAY_RETRY_SECONDS)},
        )

    for error in (OperationalError, InterfaceError, SqlTimeoutError, DisconnectionError):
        app.add_exception_handler(error, _database_away)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        messages = {
            400: UNREADABLE_BODY,
            404: "Alamat tidak ditemukan",
            405: "Metode tidak diizinkan",
            401: "Perlu masuk terlebih dahulu",
        }
        message = exc.detail if isinstance(exc.detail, str) else messages.get(exc.status_code, "")
        if exc.status_code == 400 and message.startswith(_MULTIPART_REFUSALS):
            message = UNREADABLE_MULTIPART
        if exc.status_code in messages and message in (
            "Not Found",
            "Method Not Allowed",
            "Not authenticated",  # OAuth2PasswordBearer's, when no bearer token is sent
            "There was an error parsing the body",  # FastAPI's, for a body that is not UTF-8
        ):
            message = messages[exc.status_code]
        return JSONResponse(
            {"code": f"http_{exc.status_code}", "message": message},
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )
