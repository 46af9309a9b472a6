"""Intake's copy of the licensing services catalogue (``shared.licensing_services``): seeded as
the workflow's is, kept by its ``ServiceEntryV1`` messages, listed publicly and checked when a
complaint names its ``service_code``. A complaint's service as the Kasi corrected it arrives as
``CaseServiceChangedV1``.

Plain functions taking a ``Session``: they flush, the caller commits. Both messages may come
twice or out of order: an entry is applied only at a newer ``revision``, a correction only if
it is newer than the last one applied, so a redelivery or a late message changes nothing.
"""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.intake.models import CatalogueEntry, Complaint
from shared.messaging.contracts import CaseServiceChangedV1, ServiceEntryV1
from shared.web.domain_errors import InvalidInput

log = logging.getLogger(__name__)

SERVICE_FIELD = "service_code"


class UnknownService(InvalidInput):
    code = "unknown_service"


def apply_entry(session: Session, msg: ServiceEntryV1) -> None:
    """The entry as the workflow now has it, unless this copy holds the same or a newer
    revision already."""
    held = session.get(CatalogueEntry, msg.code)
    if held is not None and held.revision >= msg.revision:
        log.info("service %s revision %s ignored (have %s)", msg.code, msg.revision, held.revision)
        return
    if held is None:
        held = CatalogueEntry(code=msg.code)
        session.add(held)
    held.name = msg.name
    held.group = msg.group.value
    held.active = msg.active
    held.revision = msg.revision
    held.updated_at = msg.updated_at
    session.flush()
    log.info("service %s now at revision %s (active: %s)", msg.code, msg.revision, msg.active)


def active_entries(session: Session) -> list[CatalogueEntry]:
    """The services a complaint may name now, by group and then by name."""
    return list(
        session.scalars(
            select(CatalogueEntry)
            .where(CatalogueEntry.active.is_(True))
            .order_by(CatalogueEntry.group, CatalogueEntry.name)
        )
    )


def refusal(session: Session, code: str | None) -> str | None:
    """Why a complaint may not name ``code`` (in Bahasa Indonesia), or None when it may: no
    code at all, or one of an active service of the catalogue."""
    if code is None:
        return None
    found = session.get(CatalogueEntry, code)
    if found is None:
        return (
            f"kode layanan {code!r} tidak ada dalam katalog layanan: pilih salah satu dari "
            "katalog layanan (GET /api/v1/services)"
        )
    if not found.active:
        return f"layanan {found.name} ({code}) sudah tidak tersedia: pilih layanan lain"
    return None


def ensure_may_name(session: Session, code: str | None) -> None:
    """``UnknownService`` (422), worded as the API's validation errors are, unless ``code``
    may be named."""
    why = refusal(session, code)
    if why is not None:
        raise UnknownService(f"Data tidak valid. {SERVICE_FIELD}: {why}")


def service_name(session: Session, code: str | None) -> str | None:
    """The name of the service ``code`` names, withdrawn or not (a receipt, a tracking page)."""
    found = session.get(CatalogueEntry, code) if code else None
    return found.name if found is not None else None


def apply_case_service(session: Session, msg: CaseServiceChangedV1) -> None:
    """The Kasi's correction of the complaint's service, unless a newer one is applied."""
    complaint = session.scalar(
        select(Complaint).where(Complaint.tracking_code == msg.tracking_code)
    )
    if complaint is None:
        log.error("service change for unknown tracking code %s dropped", msg.tracking_code)
        return
    if complaint.service_changed_at is not None and msg.changed_at <= complaint.service_changed_at:
        log.info("%s: an older service correction ignored", msg.tracking_code)
        return
    complaint.service_code = msg.service_code
    complaint.service_changed_at = msg.changed_at
    session.flush()
    log.info("%s: service corrected to %s", msg.tracking_code, msg.service_code)
