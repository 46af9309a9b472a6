"""Forms as the browser sends them, read strictly (UTF-8, a bounded number of fields), then
judged by the very models the JSON APIs use, with each error put on its field in the words the
APIs already use. The citizens' portal and the staff console both read their forms so; a form
with a file input (multipart: the portal's filing and reply forms) gives its files too."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from urllib.parse import parse_qsl

from fastapi import Request
from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException

from shared.runtime.settings import get_settings
from shared.web.api_errors import translate_error
from shared.web.pages import FORM_BODY

# More fields than any form here has, with room for a repeated checkbox: a flood is not a form.
MAX_FIELDS = 30
# Any text field of a multipart form (the longest, a description, is 5,000 characters).
MAX_TEXT_PART_BYTES = 64 * 1024
UNREADABLE_MESSAGE = (
    "Isian formulir tidak dapat dibaca karena berisi karakter yang tidak valid. "
    "Periksa kembali isian Anda, lalu kirim lagi."
)
_BLANK_KINDS = frozenset({"missing", "string_too_short"})


@dataclass
class FormFields:
    """What a form sent: each name with its values in order; ``readable`` False when the body
    was not UTF-8 text (or not a form at all)."""

    values: dict[str, list[str]] = field(default_factory=dict)
    readable: bool = True
    # The files chosen in the form's file inputs (a form that carries files is multipart).
    files: list[UploadFile] = field(default_factory=list)

    def get(self, name: str) -> str:
        return self.values.get(name, [""])[0]

    def getlist(self, name: str) -> list[str]:
        return self.values.get(name, [])


async def form_fields(request: Request) -> AsyncIterator[FormFields]:
    """The posted form (the CSRF layer kept its body as sent; read it directly otherwise); a
    multipart form's spooled files are closed once the request is answered."""
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        try:
            form = await request.form(
                max_files=2 * get_settings().attachments.max_files,
                max_fields=MAX_FIELDS,
                max_part_size=MAX_TEXT_PART_BYTES,
            )
        except HTTPException as exc:
            # Starlette's 400 for a text field past its size is a form too large, as the
            # urlencoded form's is (413); too many fields or files stays a 400.
            too_large = "exceeded maximum size" in str(exc.detail)
            raise HTTPException(413 if too_large else 400) from exc
        try:
            yield _multipart_fields(form)
        finally:
            await form.close()
        return
    yield await _urlencoded_fields(request)


def _multipart_fields(form: FormData) -> FormFields:
    """A form with a file input: its files spool to disk as they stream in (the CSRF layer caps
    the body); up to twice the allowed number are taken, so one too many is said on the form.
    A text field that is not UTF-8 is read as Latin-1 (Starlette's way), never refused as a
    whole: the browser sends the page's UTF-8."""
    fields = FormFields()
    for name, value in form.multi_items():
        if isinstance(value, UploadFile):
            # An input left empty still sends a part: no name, no bytes.
            if value.filename or value.size:
                fields.files.append(value)
        else:
            fields.values.setdefault(name, []).append(value)
    return fields


async def _urlencoded_fields(request: Request) -> FormFields:
    raw = request.scope.get(FORM_BODY)
    body: bytes = raw if isinstance(raw, bytes) else await request.body()
    try:
        pairs = parse_qsl(
            body.decode("utf-8"),
            keep_blank_values=True,
            errors="strict",  # a percent-encoded byte that is not UTF-8 too
            max_num_fields=MAX_FIELDS,
        )
    except ValueError:  # UnicodeDecodeError included; also too many fields
        return FormFields(readable=False)
    fields = FormFields()
    for name, value in pairs:
        fields.values.setdefault(name, []).append(value)
    return fields


ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass
class Judged(Generic[ModelT]):
    model: ModelT | None
    errors: dict[str, str]


def judge(
    model: type[ModelT],
    data: dict[str, Any],
    labels: dict[str, str],
    field_of: Callable[[tuple[Any, ...]], str],
    form: FormFields,
) -> Judged[ModelT]:
    """``data`` validated by ``model``, or one message per field of ``labels`` (the first field
    for a form that could not be read)."""
    if not form.readable:
        return Judged(None, {next(iter(labels)): UNREADABLE_MESSAGE})
    try:
        return Judged(model.model_validate(data), {})
    except ValidationError as exc:
        return Judged(None, _errors(exc, labels, field_of, form))


def first_part(loc: tuple[Any, ...]) -> str:
    return str(loc[0])


def _errors(
    exc: ValidationError,
    labels: dict[str, str],
    field_of: Callable[[tuple[Any, ...]], str],
    form: FormFields,
) -> dict[str, str]:
    """One message per field (its first error), in the form's order."""
    found: dict[str, str] = {}
    for error in exc.errors():
        name = field_of(error["loc"]) if error["loc"] else ""
        if name not in labels:
            name = next(iter(labels))
        if name not in found:
            found[name] = _message(labels[name], name, error, form)
    return {name: found[name] for name in labels if name in found}


def _message(label: str, name: str, error: Any, form: FormFields) -> str:
    if name == "channels" and error["type"] == "too_short":
        return "Pilih minimal satu saluran jawaban"
    if error["type"] in _BLANK_KINDS and not form.get(name).strip():
        return f"{label} wajib diisi"
    return f"{label}: {translate_error(error)['message']}"
