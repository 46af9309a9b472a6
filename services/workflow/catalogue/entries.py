"""The catalogue of licensing services a complaint may name (``shared.licensing_services``),
kept here where the office edits it: the Koordinator and the Admin Pengaduan add a service,
rename it, move it to the other group, withdraw it or restore it. Nothing is ever deleted: a
withdrawn service stays on the complaints that named it, and no new one may name it.

Every change bumps the entry's ``revision`` and, in the same transaction, puts the entry as it
now stands on the outbox for intake (``ServiceEntryV1``), whose copy lists the services publicly
and checks a filing's ``service_code``; intake applies only a newer revision, so a late message
changes nothing. Plain functions taking a ``Session``: they flush, the caller commits.
"""

from __future__ import annotations

import logging
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.workflow.errors import WrongRole
from services.workflow.models import CatalogueEntry, StaffUser
from services.workflow.sla import clock
from shared.licensing_services import (
    GROUP_LABELS,
    SERVICE_CODE_PATTERN,
    ServiceGroup,
)
from shared.messaging.contracts import INTAKE_SERVICE_ENTRY_TASK, ServiceEntryV1
from shared.messaging.outbox import enqueue
from shared.sop import ROLE_LABELS, Role
from shared.web.domain_errors import Conflict, InvalidInput, NotFound

log = logging.getLogger(__name__)

# Who keeps the catalogue: the Koordinator (who sorts complaints by service) and the Admin
# Pengaduan (who hears complainants name services the catalogue lacks). Every staff member reads it.
EDITORS = (Role.KOORDINATOR, Role.ADMIN)
NAME_MAX_LENGTH = 200


class ServiceNotFound(NotFound):
    code = "service_not_found"


class DuplicateService(Conflict):
    code = "duplicate_service"


class UnknownService(InvalidInput):
    code = "unknown_service"


def _code(value: str) -> str:
    value = value.strip().upper()
    if not SERVICE_CODE_PATTERN.fullmatch(value):
        raise ValueError(
            "kode layanan 2 sampai 20 karakter: huruf besar, angka dan tanda hubung, "
            "diawali huruf atau angka (contoh: PBG, KKPR-NB)"
        )
    return value


def _name(value: str) -> str:
    value = " ".join(value.split())
    if len(value) < 3:
        raise ValueError("nama layanan minimal 3 karakter")
    return value


Code = Annotated[str, AfterValidator(_code)]
Name = Annotated[str, Field(max_length=NAME_MAX_LENGTH), AfterValidator(_name)]


class ServiceIn(BaseModel):
    """A new service: its code (kept for good), its name as citizens read it, and its group."""

    model_config = ConfigDict(extra="forbid")

    code: Code = Field(description="Kode layanan, mis. `PBG`; tidak dapat diubah kemudian")
    name: Name = Field(description="Nama layanan seperti dibaca masyarakat")
    group: ServiceGroup = Field(description="`berusaha` atau `non_berusaha`")


class ServicePatch(BaseModel):
    """What an edit changes; a field left out stays as it is. ``active`` false withdraws the
    service (no new complaint may name it), true restores it."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    group: ServiceGroup | None = None
    active: bool | None = None

    @model_validator(mode="after")
    def _something(self) -> ServicePatch:
        if self.name is None and self.group is None and self.active is None:
            raise ValueError("tidak ada yang diubah: kirim name, group atau active")
        return self


def may_edit(user: StaffUser) -> bool:
    return Role(user.role) in EDITORS


def ensure_may_edit(user: StaffUser) -> None:
    if not may_edit(user):
        who = " dan ".join(ROLE_LABELS[role] for role in EDITORS)
        raise WrongRole(f"Katalog layanan hanya diubah oleh {who}")


def all_entries(session: Session) -> list[CatalogueEntry]:
    """Every entry, withdrawn ones too, by group and then by name."""
    return list(
        session.scalars(select(CatalogueEntry).order_by(CatalogueEntry.group, CatalogueEntry.name))
    )


def grouped(entries: list[CatalogueEntry]) -> list[tuple[str, list[CatalogueEntry]]]:
    """``entries`` under their groups' labels, in the groups' order (for a page or a select)."""
    return [
        (GROUP_LABELS[group], [e for e in entries if e.group == group.value])
        for group in ServiceGroup
        if any(e.group == group.value for e in entries)
    ]


def active_entries(session: Session) -> list[CatalogueEntry]:
    return [e for e in all_entries(session) if e.active]


def entry(session: Session, code: str) -> CatalogueEntry | None:
    return session.get(CatalogueEntry, code) if len(code) <= 20 else None


def service_name(session: Session, code: str | None) -> str | None:
    """The name of the service ``code`` names (withdrawn or not), as a case page shows it."""
    found = entry(session, code) if code else None
    return found.name if found is not None else None


def ensure_active(session: Session, code: str) -> CatalogueEntry:
    """The entry a case or a complaint may name now; ``UnknownService`` (422) otherwise."""
    found = entry(session, code)
    if found is None:
        raise UnknownService(
            f"Kode layanan {code!r} tidak ada dalam katalog layanan: pilih salah satu layanan "
            "dari katalog"
        )
    if not found.active:
        raise UnknownService(
            f"Layanan {found.name} ({found.code}) sudah tidak dipakai lagi: pilih layanan lain "
            "dari katalog"
        )
    return found


def create(session: Session, user: StaffUser, data: ServiceIn) -> CatalogueEntry:
    """A new entry at revision 1; a code already in the catalogue (withdrawn too) is a 409."""
    ensure_may_edit(user)
    if entry(session, data.code) is not None:
        raise DuplicateService(
            f"Kode layanan {data.code} sudah ada dalam katalog: ubah layanan itu, atau pilih "
            "kode lain"
        )
    added = CatalogueEntry(
        code=data.code,
        name=data.name,
        group=data.group.value,
        active=True,
        revision=1,
        updated_at=clock.now(),
        updated_by=user.username,
    )
    try:
        with session.begin_nested():
            session.add(added)
            session.flush()
    except IntegrityError:  # the same code, added at the same moment by someone else
        raise DuplicateService(
            f"Kode layanan {data.code} baru saja ditambahkan oleh petugas lain"
        ) from None
    _tell_intake(session, added)
    log.info("service %s added to the catalogue by %s", added.code, user.username)
    return added


def edit(session: Session, user: StaffUser, code: str, change: ServicePatch) -> CatalogueEntry:
    """The entry changed as ``change`` says, its revision one higher, intake told. A change
    to the values it has already still counts: the office saved it, and intake hears it again."""
    ensure_may_edit(user)
    # Locked until the commit: two edits at once number their revisions one after the other.
    found = session.get(CatalogueEntry, code, with_for_update=True) if len(code) <= 20 else None
    if found is None:
        raise ServiceNotFound(f"Kode layanan {code!r} tidak ada dalam katalog layanan")
    if change.name is not None:
        found.name = change.name
    if change.group is not None:
        found.group = change.group.value
    if change.active is not None:
        found.active = change.active
    found.revision += 1
    found.updated_at = clock.now()
    found.updated_by = user.username
    _tell_intake(session, found)
    log.info("service %s edited by %s (revision %s)", code, user.username, found.revision)
    return found


def _tell_intake(session: Session, changed: CatalogueEntry) -> None:
    enqueue(
        session,
        INTAKE_SERVICE_ENTRY_TASK,
        ServiceEntryV1(
            occurred_at=changed.updated_at,
            code=changed.code,
            name=changed.name,
            group=ServiceGroup(changed.group),
            active=changed.active,
            revision=changed.revision,
            updated_at=changed.updated_at,
        ),
    )
    session.flush()
