"""Who reads the monthly report: the office's supervisors and the desk that speaks with
complainants (the Koordinator, the Kasi and the Admin Pengaduan), not the Tim Koordinasi, who
follows up the cases disposed to them."""

from __future__ import annotations

from services.workflow.errors import WrongRole
from services.workflow.models import StaffUser
from shared.sop import ROLE_LABELS, Role

READERS: tuple[Role, ...] = (Role.KOORDINATOR, Role.KASI, Role.ADMIN)


def may_read(role: str) -> bool:
    return role in {r.value for r in READERS}


def ensure_may_read(user: StaffUser) -> None:
    """``WrongRole`` (403) for a role that does not read the report."""
    if not may_read(user.role):
        readers = ", ".join(ROLE_LABELS[r] for r in READERS)
        raise WrongRole(f"Laporan bulanan hanya dapat dibaca oleh {readers}")
