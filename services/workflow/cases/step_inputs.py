"""What a person must submit to complete a step or take a path, built from the SOP's
``InputField`` data: its ``kind`` says whether a field is text, a list of staff or a date, so
a step that names people or a deadline is declared in ``shared.sop``, not written here."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, create_model
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.workflow.errors import MissingInput
from services.workflow.models import StaffUser
from services.workflow.sla import clock
from services.workflow.sla.office_calendar import office_calendar
from shared.sop import ROLE_LABELS, InputField, InputKind
from shared.wording.time_words import day_words

# No control characters: PostgreSQL refuses a NUL in a query parameter (a 500, not a 422).
USERNAME = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=64, pattern=r"^[^\x00-\x1f\x7f]+$"
    ),
]
MAX_ASSIGNEES = 20
EMPTY = {"missing", "too_short"}  # pydantic's error types for a field left out or left empty


def _annotation(field: InputField) -> Any:
    if field.kind is InputKind.STAFF:
        return Annotated[list[USERNAME], Field(min_length=1, max_length=MAX_ASSIGNEES)]
    if field.kind is InputKind.DATE:
        return date
    return Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=field.max_length)
    ]


@cache
def _model_for(fields: tuple[InputField, ...]) -> type[BaseModel]:
    spec: dict[str, Any] = {}
    for field in fields:
        kind = _annotation(field)
        spec[field.name] = (kind, ...) if field.required else (kind | None, None)
    return create_model("StepInput", __config__=ConfigDict(extra="forbid"), **spec)


def _problem(error: Any, fields: dict[str, InputField]) -> str:
    name = str(error["loc"][0]) if error["loc"] else ""
    field = fields.get(name)
    said = f"{field.label} ({name})" if field else name
    if error["type"] == "extra_forbidden":
        return f"isian '{name}' tidak dikenal di sini"
    if error["type"] in {"string_too_long", "too_long"}:
        return f"{said} terlalu panjang"
    if field is not None and field.kind is InputKind.DATE and error["type"] not in EMPTY:
        return f"{said} harus tanggal dengan format TTTT-BB-HH (misalnya 2026-12-31)"
    if field is not None and field.kind is InputKind.STAFF and error["type"] not in EMPTY:
        return f"{said} harus daftar nama pengguna petugas"
    return f"{said} wajib diisi"


def validate_input(
    fields: tuple[InputField, ...], payload: Any, what: str, *, session: Session
) -> dict[str, Any]:
    """``payload`` cleaned against ``fields``, as JSON values for the record; ``MissingInput``
    (422) naming each problem, and each username or date that is not allowed.

    ``what`` names the step or path in the message, e.g. "Langkah 2 (Menelaah ...)".
    """
    if not isinstance(payload, dict):
        raise MissingInput("Isi permintaan harus berupa objek JSON")
    by_name = {f.name: f for f in fields}
    try:
        data = _model_for(fields).model_validate(payload)
    except ValidationError as exc:
        said = dict.fromkeys(_problem(e, by_name) for e in exc.errors())
        raise MissingInput(f"{what} belum lengkap: " + "; ".join(said)) from exc
    cleaned = data.model_dump(mode="json", exclude_none=True)
    problems: list[str] = []
    for field in fields:
        if field.name not in cleaned:
            continue
        if field.kind is InputKind.STAFF:
            cleaned[field.name] = list(dict.fromkeys(cleaned[field.name]))
            problems += _staff_problems(session, field, cleaned[field.name])
        elif field.kind is InputKind.DATE:
            problems += _date_problems(field, getattr(data, field.name))
    if problems:
        raise MissingInput(f"{what} tidak dapat diterima: " + "; ".join(problems))
    return cleaned


def _staff_problems(session: Session, field: InputField, usernames: list[str]) -> list[str]:
    """Each username that is not an active member of ``field.staff_role``, named."""
    found = {
        u.username: u
        for u in session.scalars(select(StaffUser).where(StaffUser.username.in_(usernames)))
    }
    problems = []
    for username in usernames:
        user = found.get(username)
        if user is None:
            problems.append(f"petugas '{username}' tidak dikenal")
        elif not user.active:
            problems.append(f"petugas '{username}' tidak aktif")
        elif field.staff_role is not None and user.role != field.staff_role.value:
            problems.append(f"petugas '{username}' bukan anggota {ROLE_LABELS[field.staff_role]}")
    return [f"{field.label} ({field.name}): {p}" for p in problems]


def office_today() -> date:
    """Today in the office's time zone (WIB), by the workflow's clock."""
    return clock.now().astimezone(office_calendar().zone).date()


def _date_problems(field: InputField, value: date) -> list[str]:
    today = office_today()
    if value < today:
        return [
            f"{field.label} ({field.name}) {day_words(value)} sudah lewat; paling awal hari ini, "
            f"{day_words(today)}"
        ]
    return []
