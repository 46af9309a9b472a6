"""What a staff member reads of a case's complainant, by the identity mode the complainant chose
(``shared.messaging.contracts.Identity``) and the reader's role.

- shown: every role reads the name; the email and phone only the role that speaks with
  complainants (the Admin Pengaduan, ``sop.complainant_desk``), as before the modes existed:
  the others have no use for them (they still find the case by them);
- confidential (*rahasia*): only the Admin Pengaduan (they answer and check duplicates) reads
  the name and contacts; every other role reads "Identitas dirahasiakan", no contact, and finds
  the case by none of them;
- anonymous (*anonim*): nobody has them; everyone reads "Anonim".

Every staff surface (API, console, history, search, staff emails) asks here, so the rule and its
words live in one place. For a withheld identity, every text of the case a reader sees (subject,
description, answer, the record's inputs and outputs, a delivery's detail) is also scrubbed of
the name, email and phone, which a complainant or a colleague may have written into it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import phonenumbers
from sqlalchemy import ColumnElement

from services.workflow.models import Case, StaffUser
from shared.messaging.contracts import Identity
from shared.sop import Role, complainant_desk

# The words staff read (Bahasa Indonesia), here and nowhere else.
ANONYMOUS_NAME = "Anonim"
WITHHELD_NAME = "Identitas dirahasiakan"
WITHHELD_TEXT = "[identitas dirahasiakan]"  # what replaces the name or a contact inside a text
IDENTITY_LABELS = {
    Identity.SHOWN: "Ditampilkan",
    Identity.CONFIDENTIAL: "Rahasia (hanya Admin Pengaduan yang melihat identitas pengadu)",
    Identity.ANONYMOUS: "Anonim (pengadu tidak memberikan identitas)",
}

# The same, as the complainant reads it on the receipt of a complaint the Admin took.
RECEIPT_LABELS = {
    Identity.SHOWN: "Ditampilkan kepada petugas yang menangani laporan",
    Identity.CONFIDENTIAL: "Rahasia: hanya Admin Pengaduan yang membaca nama dan kontak Anda",
    Identity.ANONYMOUS: "Anonim: tanpa nama dan kontak",
}

T = TypeVar("T")
Reader = StaffUser | Role | str  # a staff member, or their role (its value)
NOBODY = ""  # a reader of no role: a confidential identity is withheld from them


@dataclass(frozen=True)
class ReporterView:
    """The complainant as one reader sees them."""

    identity: Identity
    identity_label: str
    name: str  # the name, or the word that stands for it
    email: str | None
    phone: str | None
    withheld: bool  # the reader may not know who complained (confidential, not the Admin)


def identity_of(case: Case) -> Identity:
    return _mode(case.identity)


def _mode(value: str) -> Identity:
    try:
        return Identity(value)
    except ValueError:  # an unknown mode: the strictest reading
        return Identity.CONFIDENTIAL


def receipt_label(value: str) -> str:
    return RECEIPT_LABELS[_mode(value)]


def _role(reader: Reader) -> str:
    if isinstance(reader, StaffUser):
        return reader.role
    return reader.value if isinstance(reader, Role) else reader


def may_read_identity(reader: Reader) -> bool:
    """Whether ``reader`` reads a confidential complainant's identity."""
    return _role(reader) == complainant_desk().value


def is_withheld(case: Case, reader: Reader) -> bool:
    return identity_of(case) is Identity.CONFIDENTIAL and not may_read_identity(reader)


def reporter_view(case: Case, reader: Reader) -> ReporterView:
    identity = identity_of(case)
    label = IDENTITY_LABELS[identity]
    if identity is Identity.ANONYMOUS or case.reporter_name is None:
        return ReporterView(identity, label, ANONYMOUS_NAME, None, None, withheld=False)
    if is_withheld(case, reader):
        return ReporterView(identity, label, WITHHELD_NAME, None, None, withheld=True)
    desk = may_read_identity(reader)
    return ReporterView(
        identity,
        label,
        case.reporter_name,
        case.reporter_email if desk else None,
        case.reporter_phone if desk else None,
        withheld=False,
    )


def scrubber(case: Case, reader: Reader) -> Callable[[T], T]:
    """A function that takes the complainant's name, email and phone out of any text, or of
    the texts inside lists and dicts (an event's input), for a reader who may not know them;
    for any other reader, the identity function."""
    if not is_withheld(case, reader):
        return lambda value: value
    patterns = _patterns(case)
    if not patterns:
        return lambda value: value

    def scrub(value: T) -> T:
        return _scrub(value, patterns)  # type: ignore[no-any-return]

    return scrub


def _scrub(value: Any, patterns: list[re.Pattern[str]]) -> Any:
    if isinstance(value, str):
        for pattern in patterns:
            value = pattern.sub(WITHHELD_TEXT, value)
        return value
    if isinstance(value, dict):
        return {key: _scrub(item, patterns) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_scrub(item, patterns) for item in value)
    return value


def _patterns(case: Case) -> list[re.Pattern[str]]:
    patterns = [
        re.compile(re.escape(text.strip()), re.IGNORECASE)
        for text in (case.reporter_name, case.reporter_email)
        if text and text.strip()
    ]
    if case.reporter_phone:
        phone = _phone_pattern(case.reporter_phone)
        if phone is not None:
            patterns.append(phone)
    return patterns


def _phone_pattern(e164: str) -> re.Pattern[str] | None:
    """The number in any way a person writes it: +62 812-3456-7890, 0812 3456 7890,
    6281234567890, with spaces, dashes, dots or brackets between the digits."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return re.compile(re.escape(e164))
    national = str(number.national_number)
    digits = r"[\s.()\-]*".join(national)
    prefix = rf"\(?(?:\+?\(?{number.country_code}\)?[\s.\-]*\(?0?|0)?"
    return re.compile(rf"(?<!\d){prefix}[\s.()\-]*{digits}(?!\d)")


def mail_subject(case: Case) -> str:
    """The case's subject in an email to staff: a mailbox is read outside the console, by
    whoever has it (a head of office too), so a confidential complainant is taken out for all."""
    return scrubber(case, NOBODY)(case.subject)


def identity_searchable(reader: Reader) -> ColumnElement[bool] | None:
    """The condition a case must meet for ``reader`` to find it by the complainant's name,
    email or phone; None: every case. A role that may not read a confidential identity must
    not find the case by it either (that would tell who complained)."""
    if may_read_identity(reader):
        return None
    return Case.identity == Identity.SHOWN.value
