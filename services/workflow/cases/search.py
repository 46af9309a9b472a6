"""Finding cases: one case by id, or many by one parameterised filter.

Any staff member may read any case; only the step's role may act on it (see ``steps``).
Dates given without a time zone are read as the office's time, WIB (UTC+7). What the search
text ``q`` matches (text, tracking code, phone, email, name, NIB) is said in ``lookup``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema
from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from services.workflow.cases import identity, lookup
from services.workflow.errors import CaseNotFound, InvalidFilter
from services.workflow.models import Case
from services.workflow.sla import clock
from shared.licensing_services import SERVICE_CODE_PATTERN
from shared.runtime.log_context import annotate
from shared.sop import STAFF_STATUS_LABELS, STEPS, Role
from shared.wording.time_words import WIB

# The statuses a case in the workflow holds (the SOP's codes, the same as intake's).
KNOWN_STATUSES: tuple[str, ...] = tuple(STAFF_STATUS_LABELS)
MAX_LIMIT = 100
MAX_OFFSET = 1_000_000_000  # beyond any real page; keeps OFFSET inside the database's integer
MAX_QUERY_LENGTH = 200


def status_label(status: str) -> str:
    """A case's status as staff read it, in the API's answers and on the console alike."""
    return STAFF_STATUS_LABELS.get(status, status)


def get_case(session: Session, case_id: str) -> Case:
    """The case with this id, or ``CaseNotFound``. Only a well-formed id reaches the database
    (PostgreSQL refuses a NUL byte in a parameter, which would be a 500)."""
    try:
        uuid.UUID(case_id)
    except ValueError:
        raise CaseNotFound("Laporan pengaduan tidak ditemukan") from None
    case = session.get(Case, case_id)
    if case is None:
        raise CaseNotFound("Laporan pengaduan tidak ditemukan")
    annotate(tracking_code=case.tracking_code)
    return case


def _moment(value: Any, *, end_of_day: bool) -> Any:
    """A date (a whole WIB day: from its start, or up to its end) or an ISO 8601 datetime."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    try:
        if len(text) == len("YYYY-MM-DD"):
            day = date.fromisoformat(text)
            start = datetime.combine(day, time.min, tzinfo=WIB)
            return start + timedelta(days=1, microseconds=-1) if end_of_day else start
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            "harus berupa tanggal (TTTT-BB-HH) atau tanggal dan waktu ISO 8601"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=WIB)


def _in_range(low: int, high: int) -> AfterValidator:
    def check(value: int) -> int:
        if not low <= value <= high:
            raise ValueError(f"harus antara {low} dan {high}")
        return value

    return AfterValidator(check)


def _known_statuses(values: list[str]) -> list[str]:
    unknown = [v for v in values if v not in KNOWN_STATUSES]
    if unknown:
        raise ValueError(
            f"status {', '.join(repr(v) for v in unknown)} tidak dikenal "
            f"(pilihan: {', '.join(KNOWN_STATUSES)})"
        )
    return values


def _yes_no(value: Any) -> Any:
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0"):
            return False
        raise ValueError("harus true atau false")
    return value


def _search_text(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    if len(value) > MAX_QUERY_LENGTH:
        raise ValueError(f"terlalu panjang (maksimal {MAX_QUERY_LENGTH} karakter)")
    if any(ord(ch) < 32 for ch in value):
        raise ValueError("tidak boleh berisi karakter kendali")
    return value.strip()


def _service_code(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    value = value.strip().upper()
    if not SERVICE_CODE_PATTERN.fullmatch(value):
        raise ValueError("kode layanan tidak dikenal: pilih salah satu dari katalog layanan")
    return value


_MOMENT_SCHEMA = WithJsonSchema(
    {"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]}
)


def _bounded(low: int, high: int, default: int | None) -> WithJsonSchema:
    schema: dict[str, Any] = {"type": "integer", "minimum": low, "maximum": high}
    if default is not None:
        schema["default"] = default
    return WithJsonSchema(schema)


class CaseFilter(BaseModel):
    """The query of ``GET /api/v1/cases``; every filter given must hold (AND)."""

    model_config = ConfigDict(extra="forbid")

    status: Annotated[
        list[str],
        AfterValidator(_known_statuses),
        WithJsonSchema({"type": "array", "items": {"type": "string", "enum": [*KNOWN_STATUSES]}}),
    ] = Field(default_factory=list, description="Status laporan; boleh diulang (salah satunya)")
    step: Annotated[int | None, _in_range(1, len(STEPS)), _bounded(1, len(STEPS), None)] = Field(
        None, description="Langkah SOP tempat laporan menunggu atau sedang menuju"
    )
    role: Role | None = Field(
        None, description="Peran yang memegang langkah tempat laporan menunggu atau menuju"
    )
    filed_from: Annotated[
        datetime | None, BeforeValidator(lambda v: _moment(v, end_of_day=False)), _MOMENT_SCHEMA
    ] = Field(None, description="Diajukan sejak (tanggal atau waktu; tanpa zona waktu = WIB)")
    filed_to: Annotated[
        datetime | None, BeforeValidator(lambda v: _moment(v, end_of_day=True)), _MOMENT_SCHEMA
    ] = Field(None, description="Diajukan sampai dengan (tanggal: sampai akhir hari itu, WIB)")
    overdue: Annotated[bool | None, BeforeValidator(_yes_no)] = Field(
        None, description="true: melewati batas waktu langkahnya; false: belum atau tidak"
    )
    q: Annotated[
        str | None,
        AfterValidator(_search_text),
        WithJsonSchema({"type": "string", "maxLength": MAX_QUERY_LENGTH}),
    ] = Field(
        None,
        description="Cari teks dalam perihal, uraian atau nama pengadu (tanpa membedakan huruf "
        "besar); kode pelacakan seperti diketik (dengan atau tanpa tanda hubung, huruf kecil, O "
        "untuk 0); nomor telepon pengadu dalam bentuk apa pun (0812..., +62812..., 62812..., "
        "dengan spasi atau tanda hubung; nomor lengkap); alamat email pengadu (lengkap); NIB atau "
        "nomor permohonan (lengkap, tanpa membedakan huruf besar, spasi, tanda hubung dan titik). "
        "Nama, nomor telepon dan email pengadu laporan rahasia hanya ditemukan oleh Admin "
        "Pengaduan",
    )
    service_code: Annotated[
        str | None,
        AfterValidator(_service_code),
        WithJsonSchema({"type": "string", "maxLength": 20}),
    ] = Field(None, description="Kode layanan perizinan yang diadukan (katalog layanan)")
    limit: Annotated[int, _in_range(1, MAX_LIMIT), _bounded(1, MAX_LIMIT, 20)] = Field(
        20, description="Jumlah laporan per halaman"
    )
    offset: Annotated[int, _in_range(0, MAX_OFFSET), _bounded(0, MAX_OFFSET, 0)] = Field(
        0, description="Lewati sekian laporan pertama"
    )


@dataclass(frozen=True)
class Found:
    cases: list[Case]
    total: int


def find_cases(
    session: Session,
    filters: CaseFilter,
    *,
    now: datetime | None = None,
    reader: identity.Reader | None = None,
) -> Found:
    """The page of cases ``filters`` asks for, newest filing first, and how many match in all.
    ``reader``: who searches (a confidential complainant's identity finds the case only for
    the role that may read it; no reader, for nobody)."""
    if filters.filed_from and filters.filed_to and filters.filed_from > filters.filed_to:
        raise InvalidFilter("Data tidak valid. filed_from: tidak boleh setelah filed_to")
    conditions = _conditions(filters, now or clock.now(), reader)
    # The page and the count of all matches in one statement (``count(*) OVER ()`` is taken
    # before the LIMIT): a text search's trigram scan is most of its cost, and a count of its
    # own made it twice. A page past the end has no row to carry the count: then it is asked.
    rows = session.execute(
        select(Case, func.count().over())
        .where(*conditions)
        .order_by(Case.filed_at.desc(), Case.id.desc())
        .limit(filters.limit)
        .offset(filters.offset)
    ).all()
    if rows:
        total = rows[0][1]
    elif filters.offset == 0:
        total = 0
    else:
        total = session.scalar(select(func.count()).select_from(Case).where(*conditions)) or 0
    return Found(cases=[row[0] for row in rows], total=total)


def _conditions(
    f: CaseFilter, now: datetime, reader: identity.Reader | None
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if f.status:
        conditions.append(Case.status.in_(f.status))
    if f.step is not None:
        conditions.append(Case.current_step == f.step)
    if f.role is not None:
        conditions.append(Case.current_step.in_([s.number for s in STEPS if s.role == f.role]))
    if f.filed_from is not None:
        conditions.append(Case.filed_at >= f.filed_from)
    if f.filed_to is not None:
        conditions.append(Case.filed_at <= f.filed_to)
    if f.overdue is not None:
        # As step_clock.is_overdue: due at this very moment counts as late.
        late = and_(Case.step_arrived_at.is_not(None), Case.due_at <= now)
        on_time = or_(Case.step_arrived_at.is_(None), Case.due_at.is_(None), Case.due_at > now)
        conditions.append(late if f.overdue else on_time)
    if f.service_code is not None:
        conditions.append(Case.service_code == f.service_code)
    if f.q is not None:
        conditions.append(lookup.query_matches(f.q, reader))
    return conditions


def tracking_code_of(session: Session, case_id: str | None) -> str | None:
    if case_id is None:
        return None
    return session.scalar(select(Case.tracking_code).where(Case.id == case_id))


def duplicates_of(session: Session, case_id: str) -> list[str]:
    """Tracking codes of the cases marked as duplicates of this one, oldest first."""
    return list(
        session.scalars(
            select(Case.tracking_code).where(Case.duplicate_of == case_id).order_by(Case.filed_at)
        )
    )
