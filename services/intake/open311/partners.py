"""Partner systems and their API keys.

A key is 32 random bytes (``secrets.token_urlsafe``), shown once when it is made and stored
only as its SHA-256. A slow password hash (argon2, as staff passwords have) is for secrets a
person chose, which an attacker can guess from a list; 256 random bits cannot be guessed, so a
plain SHA-256 is as safe, and it lets a request's key be found by an indexed lookup of its hash
instead of trying every partner's hash in turn.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.intake.models import Partner
from shared.database.engine import utcnow

KEY_PREFIX = "pgd311_"  # says what the key is for, in a log or a secrets store
KEY_BYTES = 32
# Short and plain: it is named in commands, logs and the partner's requests' record.
NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")
NAME_RULE = "2-64 huruf kecil, angka, titik, garis bawah atau tanda hubung, diawali huruf/angka"


class PartnerError(Exception):
    """A partner command that cannot be done, said in Indonesian."""


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(KEY_BYTES)


def create_partner(session: Session, name: str) -> tuple[Partner, str]:
    """A new partner and its key, which exists only in this return value from now on."""
    if not NAME_PATTERN.fullmatch(name):
        raise PartnerError(f"Nama mitra tidak valid: {NAME_RULE}")
    if by_name(session, name) is not None:
        raise PartnerError(f"Mitra '{name}' sudah ada")
    key = new_key()
    partner = Partner(name=name, key_hash=key_hash(key), created_at=utcnow(), revoked_at=None)
    session.add(partner)
    session.flush()
    return partner, key


def revoke_partner(session: Session, name: str) -> Partner:
    """The partner's key opens nothing from now on; its requests stay on record."""
    partner = by_name(session, name)
    if partner is None:
        raise PartnerError(f"Mitra '{name}' tidak ditemukan")
    if partner.revoked_at is not None:
        raise PartnerError(f"Kunci mitra '{name}' sudah dicabut")
    partner.revoked_at = utcnow()
    session.flush()
    return partner


def all_partners(session: Session) -> list[Partner]:
    return list(session.scalars(select(Partner).order_by(Partner.name)))


def by_name(session: Session, name: str) -> Partner | None:
    return session.scalar(select(Partner).where(Partner.name == name))


def partner_for_key(session: Session, key: str | None) -> Partner | None:
    """The active partner whose key this is; ``None`` for no key, an unknown or a revoked one."""
    if not key:
        return None
    partner = session.scalar(select(Partner).where(Partner.key_hash == key_hash(key)))
    if partner is None or partner.revoked_at is not None:
        return None
    return partner
