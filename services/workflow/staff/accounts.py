"""Staff accounts: creating them, logging in, and the demo users of the embedded default."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.workflow.errors import BadCredentials
from services.workflow.models import StaffUser
from services.workflow.staff.auth import hash_password, verify_password
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


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: Role,
    full_name: str = "",
    email: str | None = None,
) -> StaffUser:
    user = StaffUser(
        username=username,
        full_name=full_name,
        email=email,
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
