"""Staff accounts: creating them, logging in, and the demo users of the embedded default
(and the production check that none of them is left with the demo password)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from services.workflow.errors import BadCredentials
from services.workflow.models import StaffUser
from services.workflow.staff.auth import hash_password, verify_password
from shared.database.engine import ServiceDatabase
from shared.runtime.production_checks import ProductionCheck
from shared.sop import ROLE_LABELS, Role

DEMO_PASSWORD = "demo12345"  # noqa: S105 - documented demo login, created only in embedded mode


def get_by_username(session: Session, username: str) -> StaffUser | None:
    return session.scalar(select(StaffUser).where(StaffUser.username == username))


def emailed_staff(session: Session, role: Role) -> list[StaffUser]:
    """The active staff of ``role`` who have an email address: whom a message to the role
    reaches (in username order, so a rerun produces its messages in the same order)."""
    return list(
        session.scalars(
            select(StaffUser)
            .where(
                StaffUser.role == role.value,
                StaffUser.active.is_(True),
                StaffUser.email.is_not(None),
            )
            .order_by(StaffUser.username)
        )
    )


def active_staff(session: Session, role: Role) -> list[StaffUser]:
    """The active members of ``role``, by unit and then name: whom a step may name (the
    disposition's addressees)."""
    return list(
        session.scalars(
            select(StaffUser)
            .where(StaffUser.role == role.value, StaffUser.active.is_(True))
            # Members without a unit last on SQLite and PostgreSQL alike (their NULLs sort apart).
            .order_by(
                StaffUser.unit.is_(None), StaffUser.unit, StaffUser.full_name, StaffUser.username
            )
        )
    )


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: Role,
    full_name: str = "",
    email: str | None = None,
    unit: str | None = None,
) -> StaffUser:
    user = StaffUser(
        username=username,
        full_name=full_name,
        email=email,
        unit=unit,
        role=role.value,
        password_hash=hash_password(password),
        active=True,
    )
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str) -> StaffUser:
    user = get_by_username(session, username)
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        raise BadCredentials("Nama pengguna atau kata sandi salah")
    return user


def seed_demo_users(session: Session) -> list[str]:
    """One user per role, named after the role; only the embedded default calls this."""
    created = []
    for role in Role:
        if get_by_username(session, role.value) is None:
            create_user(
                session,
                username=role.value,
                password=DEMO_PASSWORD,
                role=role,
                full_name=f"Demo {ROLE_LABELS[role]}",
            )
            created.append(role.value)
    return created


def demo_user_problems(db: ServiceDatabase) -> list[str]:
    """The demo accounts (``make run`` seeds them): one query for the accounts named like them,
    then each active one's password checked against the demo password."""
    with db.sessions() as session:
        candidates = session.scalars(
            select(StaffUser).where(
                StaffUser.active.is_(True),
                or_(
                    StaffUser.username.in_([role.value for role in Role]),
                    StaffUser.full_name.like("Demo %"),
                ),
            )
        ).all()
        demo = sorted(
            u.username for u in candidates if verify_password(u.password_hash, DEMO_PASSWORD)
        )
    if demo:
        return [
            f"demo users with the demo password exist in the workflow database: {', '.join(demo)}"
            " (deactivate them or change their passwords)"
        ]
    return []


def demo_user_check(database: Callable[[], ServiceDatabase]) -> ProductionCheck:
    """What the workflow's processes hand ``require_production_ready``: ``shared`` cannot look
    into the workflow's tables itself."""
    return lambda: demo_user_problems(database())
