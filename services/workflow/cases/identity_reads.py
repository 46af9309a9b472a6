"""Who read whose identity (UU 27/2022): every staff read that showed a complainant's name or
contacts, recorded in the reading request's own transaction, and listed per case for the Admin
Pengaduan.

A read counts when ``identity.reporter_view`` gave the reader the complainant's real name (and,
for the Admin, their contacts): a case shown as "Identitas dirahasiakan" or "Anonim", or one
whose particulars were erased, showed nobody's identity and is not recorded. The surfaces that
show it (``ReadVia``): the case page and the case API, the API's search and worklist (they list
the name), and a taking's receipt read again. The console's worklist and search list no name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import cast

from sqlalchemy import String, Table, bindparam, func, insert, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from services.workflow.cases import identity
from services.workflow.errors import WrongRole
from services.workflow.models import Case, IdentityRead, StaffUser
from services.workflow.sla import clock
from shared.messaging.contracts import ERASED_MARKER, Identity
from shared.sop import ROLE_LABELS, Role, complainant_desk


class ReadVia(StrEnum):
    CONSOLE_CASE = "console_case"
    CONSOLE_RECEIPT = "console_receipt"
    API_CASE = "api_case"
    API_SEARCH = "api_search"
    API_WORKLIST = "api_worklist"


# Where the read was made, as the Admin reads it (Bahasa Indonesia).
VIA_LABELS = {
    ReadVia.CONSOLE_CASE: "Halaman laporan (konsol)",
    ReadVia.CONSOLE_RECEIPT: "Tanda terima dicetak ulang (konsol)",
    ReadVia.API_CASE: "Data laporan (API)",
    ReadVia.API_SEARCH: "Hasil pencarian (API)",
    ReadVia.API_WORKLIST: "Daftar kerja (API)",
}


def reveals_identity(case: Case, reader: StaffUser | Role | str) -> bool:
    """Whether ``reader`` is shown the complainant's name (and maybe contacts) of ``case``."""
    view = identity.reporter_view(case, reader)
    return (
        view.identity is not Identity.ANONYMOUS
        and not view.withheld
        and case.reporter_name is not None
        and case.reporter_name != ERASED_MARKER
    )


def record_reads(
    session: Session, cases: Iterable[Case | None], reader: StaffUser, via: ReadVia
) -> int:
    """One row per case of ``cases`` whose identity ``reader`` was shown (a case listed twice
    is one read); how many. One statement whatever the list's length, in the request's
    transaction: its commit keeps them with the answer."""
    shown = list(
        dict.fromkeys(
            case.id for case in cases if case is not None and reveals_identity(case, reader)
        )
    )
    if not shown:
        return 0
    read = {
        "username": reader.username,
        "role": reader.role,
        "read_at": clock.now(),
        "via": via.value,
    }
    if session.get_bind().dialect.name == "postgresql":
        # The ids as one array parameter: the same short statement for a worklist of five
        # hundred cases as for one case page. The ORM's insert of each row as an object cost a
        # worklist of 530 cases a quarter of a second, a many-row VALUES a tenth (BENCHMARKS.md).
        session.execute(_INSERT_EACH_ID, {"ids": shown, **read})
    else:
        session.execute(insert(READS), [{"case_id": case_id, **read} for case_id in shown])
    return len(shown)


READS = cast(Table, IdentityRead.__table__)
# PostgreSQL: INSERT INTO identity_reads (...) SELECT unnest(:ids), :username, ... (one row per id).
_INSERT_EACH_ID = insert(READS).from_select(
    ["case_id", "username", "role", "read_at", "via"],
    select(
        func.unnest(bindparam("ids", type_=postgresql.ARRAY(String))),
        bindparam("username", type_=String),
        bindparam("role", type_=String),
        bindparam("read_at", type_=READS.c.read_at.type),
        bindparam("via", type_=String),
    ),
)


def may_list(user: StaffUser) -> bool:
    """Only the Admin Pengaduan (who alone reads every identity) sees who read them."""
    return user.role == complainant_desk().value


def ensure_may_list(user: StaffUser) -> None:
    if not may_list(user):
        raise WrongRole(
            f"Riwayat akses identitas pengadu hanya dapat dilihat {ROLE_LABELS[complainant_desk()]}"
        )


@dataclass(frozen=True)
class ReadLine:
    """One read as listed: who (username, name, role), when, and where."""

    username: str
    full_name: str
    role: str
    role_label: str
    read_at: datetime
    via: str
    via_label: str


def reads_of(session: Session, case_id: str) -> list[ReadLine]:
    """The case's identity reads, newest first, each reader named as staff know them."""
    rows = list(
        session.scalars(
            select(IdentityRead)
            .where(IdentityRead.case_id == case_id)
            .order_by(IdentityRead.read_at.desc(), IdentityRead.id.desc())
        )
    )
    usernames = {row.username for row in rows}
    staff = select(StaffUser.username, StaffUser.full_name).where(StaffUser.username.in_(usernames))
    names: dict[str, str] = dict(session.execute(staff).all()) if usernames else {}
    return [
        ReadLine(
            username=row.username,
            full_name=names.get(row.username) or row.username,
            role=row.role,
            role_label=_role_label(row.role),
            read_at=row.read_at,
            via=row.via,
            via_label=_via_label(row.via),
        )
        for row in rows
    ]


def _role_label(role: str) -> str:
    try:
        return ROLE_LABELS[Role(role)]
    except ValueError:
        return role


def _via_label(via: str) -> str:
    try:
        return VIA_LABELS[ReadVia(via)]
    except ValueError:
        return via
