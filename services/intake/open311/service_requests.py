"""The partner's service requests: filed as laporan pengaduan, found again by the spec's
filters, and described in the spec's fields. A partner reads only the requests it filed, and
never the complainant's name or contacts (docs/OPEN311.md says why)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.intake.filing import idempotency
from services.intake.filing.schemas import status_label
from services.intake.models import CatalogueEntry, Complaint, Partner, TimelineEntry
from services.intake.open311.errors import bad_request, not_found
from shared.messaging.contracts import FiledVia
from shared.messaging.contracts.codes import normalise_tracking_code
from shared.messaging.contracts.filing import ComplaintIn
from shared.sop import ANSWERED, PATHS, REOPENING

# Finished, as the spec's ``closed`` means: answered (and, after the reopening window, closed),
# declined, merged into another as a duplicate, or closed when the complainant did not reply.
# A reopened case is ``open`` again.
CLOSED_STATUSES = frozenset(
    {ANSWERED, REOPENING.closed}
    | {p.status for p in PATHS if p.closes and p.status}
    | {p.no_reply.status for p in PATHS if p.no_reply}
)
STATUSES = ("open", "closed")
MAX_SPAN = timedelta(days=90)  # the spec's longest date range, and its default
MAX_RESULTS = 1000  # the spec's default query limit
MAX_IDS = 100


@dataclass(frozen=True)
class ServiceRequest:
    """One request as the spec's GET answers describe it."""

    service_request_id: str
    status: str
    status_notes: str
    service_name: str | None
    service_code: str | None
    description: str
    requested_datetime: datetime
    updated_datetime: datetime


@dataclass(frozen=True)
class Filters:
    """The spec's filters of ``GET requests``, read and checked by ``read_filters``."""

    ids: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    statuses: tuple[str, ...] = ()


def active_service(session: Session, code: str | None) -> CatalogueEntry:
    if not code:
        raise bad_request("service_code wajib diisi: pilih dari GET services")
    entry = session.get(CatalogueEntry, code)
    if entry is None or not entry.active:
        raise not_found(f"service_code {code!r} tidak ada dalam katalog layanan")
    return entry


def active_services(session: Session) -> list[CatalogueEntry]:
    return list(
        session.scalars(
            select(CatalogueEntry)
            .where(CatalogueEntry.active.is_(True))
            .order_by(CatalogueEntry.group, CatalogueEntry.code)
        )
    )


def file_request(session: Session, partner: Partner, body: ComplaintIn) -> str:
    """Files the complaint as any other (it travels the five steps), tied to the partner; its
    tracking code, the ``service_request_id``. The access token is not returned: see
    docs/OPEN311.md."""

    def tie(complaint: Complaint) -> None:
        complaint.partner_id = partner.id

    filed = idempotency.file_once(session, body, None, then=tie, via=FiledVia.OPEN311)
    session.flush()
    return filed.tracking_code


def read_filters(
    ids: str | None,
    service_codes: str | None,
    start_date: str | None,
    end_date: str | None,
    status: str | None,
    now: datetime,
) -> Filters:
    """The query's filters; ``service_request_id`` overrides all the others, as the spec says."""
    if ids:
        found = _codes(ids)
        if len(found) > MAX_IDS:
            raise bad_request(f"service_request_id paling banyak {MAX_IDS} kode sekaligus")
        return Filters(ids=found)
    statuses = _listed(status or "")
    unknown = [s for s in statuses if s not in STATUSES]
    if unknown:
        raise bad_request(f"status {unknown[0]!r} tidak dikenal: pilih open atau closed")
    start, end = _date_range(_w3(start_date, "start_date"), _w3(end_date, "end_date"), now)
    if end < start:
        raise bad_request("end_date tidak boleh sebelum start_date")
    if end - start > MAX_SPAN:
        raise bad_request("rentang start_date sampai end_date paling lama 90 hari")
    return Filters(
        service_codes=_listed(service_codes or ""), start=start, end=end, statuses=statuses
    )


def _date_range(
    start: datetime | None, end: datetime | None, now: datetime
) -> tuple[datetime, datetime]:
    """The spec's defaults: the last 90 days, or 90 days from the one end given."""
    if start is not None:
        return start, end if end is not None else start + MAX_SPAN
    if end is not None:
        return end - MAX_SPAN, end
    return now - MAX_SPAN, now


def find_requests(session: Session, partner: Partner, filters: Filters) -> list[ServiceRequest]:
    query = select(Complaint).where(Complaint.partner_id == partner.id)
    if filters.ids:
        query = query.where(Complaint.tracking_code.in_(filters.ids))
    else:
        query = query.where(
            Complaint.created_at >= filters.start, Complaint.created_at <= filters.end
        )
        if filters.service_codes:
            query = query.where(Complaint.service_code.in_(filters.service_codes))
        if filters.statuses == ("closed",):
            query = query.where(Complaint.status.in_(CLOSED_STATUSES))
        elif filters.statuses == ("open",):
            query = query.where(Complaint.status.not_in(CLOSED_STATUSES))
    found = session.scalars(query.order_by(Complaint.created_at.desc()).limit(MAX_RESULTS))
    return describe(session, list(found))


def find_request(session: Session, partner: Partner, service_request_id: str) -> ServiceRequest:
    """One of the partner's requests; another's, or none, is the same 404."""
    complaint = session.scalar(
        select(Complaint).where(
            Complaint.partner_id == partner.id,
            Complaint.tracking_code == normalise_tracking_code(service_request_id),
        )
    )
    if complaint is None:
        raise not_found(f"service_request_id {service_request_id!r} tidak ditemukan")
    return describe(session, [complaint])[0]


def describe(session: Session, found: Sequence[Complaint]) -> list[ServiceRequest]:
    rows = session.execute(select(CatalogueEntry.code, CatalogueEntry.name))
    names: dict[str, str] = {code: name for code, name in rows}  # noqa: C416 - rows, not pairs
    timelines: dict[str, list[TimelineEntry]] = defaultdict(list)
    if found:
        entries = session.scalars(
            select(TimelineEntry)
            .where(TimelineEntry.complaint_id.in_([c.id for c in found]))
            .order_by(TimelineEntry.occurred_at, TimelineEntry.id)
        )
        for entry in entries:
            timelines[entry.complaint_id].append(entry)
    return [_described(c, timelines[c.id], names) for c in found]


def _described(
    complaint: Complaint, timeline: list[TimelineEntry], names: dict[str, str]
) -> ServiceRequest:
    code = complaint.service_code
    return ServiceRequest(
        service_request_id=complaint.tracking_code,
        status="closed" if complaint.status in CLOSED_STATUSES else "open",
        status_notes=_notes(complaint, timeline),
        service_name=names.get(code) if code else None,
        service_code=code,
        description=complaint.description,
        requested_datetime=complaint.created_at,
        updated_datetime=max([complaint.created_at, *(e.occurred_at for e in timeline)]),
    )


def _notes(complaint: Complaint, timeline: list[TimelineEntry]) -> str:
    """What the office said with the present status (the answer, the reason it was declined,
    what it asks for), else the status as the complainant reads it."""
    current = [e for e in timeline if e.status == complaint.status]
    note = current[-1].note if current else None
    return note or status_label(complaint.status)


def _codes(text: str) -> tuple[str, ...]:
    """Tracking codes as stored, however the partner's system cased or spaced them."""
    return tuple(dict.fromkeys(normalise_tracking_code(c) for c in _listed(text)))


def _listed(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.strip() for p in text.split(",") if p.strip()))


def _w3(text: str | None, name: str) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise bad_request(
            f"{name} harus berformat W3C dengan zona waktu, mis. 2026-12-01T00:00:00Z"
        )
    return moment
