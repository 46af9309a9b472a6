"""What the search box's one query (``q``) matches: a caller on the telephone quotes a tracking
code, their phone number, email or name, or the NIB or application number of the licence.

Each kind is tried on its own column, and a case matching any of them is found:

- text: contained in the subject, the description or the complainant's name (any case);
- tracking code: as ``normalise_tracking_code`` reads it (any case, with or without dashes);
- phone: an Indonesian number in any form (0812…, +62812…, 62812…, spaces, dashes, dots,
  brackets) read by ``phonenumbers`` and compared whole with the stored E.164; only a valid
  number is compared, so a few digits never match everyone's phone;
- email: the whole address, any case;
- licence reference (NIB or application number): the whole reference, any case, spaces, dashes
  and dots not counting.

The complainant's name, phone and email find a confidential (*rahasia*) case only for the Admin
Pengaduan: for any other role, finding it by them would tell who complained (``identity``).

The workflow keeps the complainant's contacts in clear in its own database (intake seals them
only on their way through Redis), so the columns are compared as they are. Every branch has
an index (``models``: trigram indexes for the contained texts on PostgreSQL, btree ones for the
exact matches), so PostgreSQL reads only the matching rows, one index per branch; a branch
without one would have it read every case of the record again.
"""

from __future__ import annotations

import re

import phonenumbers
from sqlalchemy import ColumnElement, and_, func, not_, or_

from services.workflow.cases import identity
from services.workflow.models import Case, compared_reference
from shared.messaging.contracts.codes import CODE_PATTERN, normalise_tracking_code

# Numbers without a country code are Indonesian (as intake reads them at filing).
PHONE_REGION = "ID"
# What a typed phone number may hold: digits, a leading plus and the usual separators. Letters
# are refused before phonenumbers sees them, which would read them as a keypad's digits.
_PHONE_TYPED = re.compile(r"\+?[\d\s().\-]+")
# The separators a licence reference is compared without.
_REFERENCE_SEPARATORS = re.compile(r"[\s.\-]+")
_REFERENCE_KEY = re.compile(r"[A-Z0-9/]+")


def query_matches(q: str, reader: identity.Reader | None = None) -> ColumnElement[bool]:
    """The condition a case meets when ``q`` names it in any of the ways above. The
    complainant's name, email and phone find a confidential case only for a ``reader`` who may
    read its identity (``identity.identity_searchable``); no reader: none does."""
    pattern = f"%{escape_like(q)}%"
    by_text: list[ColumnElement[bool]] = [
        Case.subject.ilike(pattern, escape="\\"),
        Case.description.ilike(pattern, escape="\\"),
    ]
    branches: list[ColumnElement[bool]] = []
    by_identity: list[ColumnElement[bool]] = [Case.reporter_name.ilike(pattern, escape="\\")]
    # q is (a part of) the complainant's name, email or phone.
    names_them: list[ColumnElement[bool]] = [
        func.coalesce(Case.reporter_name, "").ilike(pattern, escape="\\"),
        func.coalesce(Case.reporter_email, "").ilike(pattern, escape="\\"),
    ]
    code = normalise_tracking_code(q)
    if CODE_PATTERN.fullmatch(code):
        branches.append(Case.tracking_code == code)
    phone = phone_e164(q)
    if phone is not None:
        by_identity.append(Case.reporter_phone == phone)
        names_them.append(func.coalesce(Case.reporter_phone, "") == phone)
    if "@" in q:
        by_identity.append(func.lower(Case.reporter_email) == func.lower(q))
    reference = reference_key(q)
    if reference is not None:
        branches.append(_reference_column() == reference)
    allowed = identity.identity_searchable(reader if reader is not None else identity.NOBODY)
    if allowed is None:
        return or_(*branches, *by_text, *by_identity)
    # A confidential case's own texts may hold its complainant's name or contacts too (they
    # write "Saya Ratna, 0813..."): a search that names them finds it there no more than in
    # the columns.
    return or_(
        *branches,
        and_(allowed, or_(*by_identity)),
        and_(or_(*by_text), or_(allowed, not_(or_(*names_them)))),
    )


def phone_e164(typed: str) -> str | None:
    """The number as stored (``+6281234567890``) when ``typed`` is a valid phone number."""
    if not _PHONE_TYPED.fullmatch(typed) or sum(ch.isdigit() for ch in typed) < 6:
        return None
    try:
        number = phonenumbers.parse(typed, PHONE_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def reference_key(typed: str) -> str | None:
    """A licence reference as compared: upper case, without spaces, dashes or dots. Intake
    accepts only ASCII letters, digits and those signs (and ``/``), so nothing else can match."""
    key = _REFERENCE_SEPARATORS.sub("", typed).upper()
    return key if _REFERENCE_KEY.fullmatch(key) else None


def _reference_column() -> ColumnElement[str | None]:
    return compared_reference(Case.licence_reference)


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
