"""Staff accounts from the command line: ``pengaduan-staff`` (or
``python -m services.workflow.staff.cli``). Outside the embedded default this is how the
office gets its users: there are no demo accounts there.

Passwords are read from the terminal (twice) or, for scripts, from standard input with
``--password-stdin``; never from the command line, where ``ps`` and shell history would keep them.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.workflow.database import get_db
from services.workflow.models import StaffUser
from services.workflow.staff.accounts import create_user, get_by_username
from services.workflow.staff.auth import hash_password
from shared.runtime.preflight import SECRET_RECIPE, Wording, settings_or_exit
from shared.sop import ROLE_LABELS, Role

MIN_PASSWORD = 10
MAX_UNIT = 120  # staff_users.unit
# Unusable PENGADUAN_* settings, said in this command's language; each problem itself (one line
# naming its variable) is worded by pydantic, in English, as an invalid email address is.
SETTINGS_WORDING = Wording(
    heading="Gagal: pengaturan PENGADUAN_* tidak dapat dipakai:",
    how_to_fix="Cara memperbaiki:",
    fix_values="isi variabel di atas dengan nilai yang benar, atau hapus agar memakai bawaannya",
    make_secret=f"isi {{name}} dengan rahasia acak, buat dengan: {SECRET_RECIPE}",
)


class CliError(Exception):
    pass


def _read_password(*, from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Kata sandi: ")
        if getpass.getpass("Ulangi kata sandi: ") != password:
            raise CliError("Kata sandi tidak sama")
    if len(password) < MIN_PASSWORD:
        raise CliError(f"Kata sandi minimal {MIN_PASSWORD} karakter")
    return password


def _email(address: str | None) -> str | None:
    """The staff member's address, normalised; ``None`` when none is given."""
    if not address:
        return None
    try:
        return validate_email(address, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise CliError(f"Alamat email tidak valid: {exc}") from exc


def _unit(text: str | None) -> str | None:
    """The bidang or seksi as the office writes it; ``None`` when none is given."""
    unit = " ".join((text or "").split())
    if len(unit) > MAX_UNIT:
        raise CliError(f"Nama bidang/seksi paling panjang {MAX_UNIT} karakter")
    return unit or None


def _user(session: Session, username: str) -> StaffUser:
    user = get_by_username(session, username)
    if user is None:
        raise CliError(f"Pengguna '{username}' tidak ditemukan")
    return user


def _create(session: Session, args: argparse.Namespace) -> str:
    if get_by_username(session, args.username) is not None:
        raise CliError(f"Pengguna '{args.username}' sudah ada")
    password = _read_password(from_stdin=args.password_stdin)
    create_user(
        session,
        username=args.username,
        password=password,
        role=Role(args.role),
        full_name=args.full_name,
        email=_email(args.email),
        unit=_unit(args.unit),
    )
    return f"Pengguna '{args.username}' dibuat dengan peran {ROLE_LABELS[Role(args.role)]}"


def _reset_password(session: Session, args: argparse.Namespace) -> str:
    user = _user(session, args.username)
    user.password_hash = hash_password(_read_password(from_stdin=args.password_stdin))
    return f"Kata sandi '{args.username}' diganti"


def _set_email(session: Session, args: argparse.Namespace) -> str:
    user = _user(session, args.username)
    user.email = _email(args.email)
    if user.email is None:
        return f"Email '{args.username}' dihapus; tidak lagi menerima pemberitahuan"
    return f"Email '{args.username}' diganti menjadi {user.email}"


def _set_unit(session: Session, args: argparse.Namespace) -> str:
    user = _user(session, args.username)
    user.unit = _unit(args.unit)
    if user.unit is None:
        return f"Bidang/seksi '{args.username}' dihapus"
    return f"Bidang/seksi '{args.username}' diganti menjadi {user.unit}"


def _deactivate(session: Session, args: argparse.Namespace) -> str:
    _user(session, args.username).active = False
    return f"Pengguna '{args.username}' dinonaktifkan; tokennya tidak berlaku lagi"


def _list(session: Session, _args: argparse.Namespace) -> str:
    users = session.scalars(select(StaffUser).order_by(StaffUser.username))
    return "\n".join(
        f"{u.username}\t{u.role}\t{'aktif' if u.active else 'nonaktif'}\t{u.full_name}"
        f"\t{u.email or '-'}\t{u.unit or '-'}"
        for u in users
    )


COMMANDS: dict[str, Callable[[Session, argparse.Namespace], str]] = {
    "create": _create,
    "reset-password": _reset_password,
    "set-email": _set_email,
    "set-unit": _set_unit,
    "deactivate": _deactivate,
    "list": _list,
}


def run(args: argparse.Namespace) -> str:
    with get_db().transaction() as session:
        return COMMANDS[args.command](session, args)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="pengaduan-staff", description="Kelola akun petugas")
    sub = p.add_subparsers(dest="command", required=True)
    create = sub.add_parser("create", help="buat akun petugas")
    create.add_argument("username")
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    create.add_argument("--full-name", default="")
    create.add_argument("--email", help="alamat untuk pemberitahuan laporan masuk")
    create.add_argument("--unit", help="bidang atau seksi petugas, mis. 'Bidang Perizinan'")
    create.add_argument("--password-stdin", action="store_true")
    reset = sub.add_parser("reset-password", help="ganti kata sandi")
    reset.add_argument("username")
    reset.add_argument("--password-stdin", action="store_true")
    set_email = sub.add_parser("set-email", help="ganti email pemberitahuan (kosong: hapus)")
    set_email.add_argument("username")
    set_email.add_argument("email", nargs="?", default=None)
    set_unit = sub.add_parser("set-unit", help="ganti bidang/seksi petugas (kosong: hapus)")
    set_unit.add_argument("username")
    set_unit.add_argument("unit", nargs="?", default=None)
    sub.add_parser("deactivate", help="nonaktifkan akun").add_argument("username")
    sub.add_parser("list", help="daftar akun")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    settings_or_exit("pengaduan-staff", wording=SETTINGS_WORDING)
    try:
        print(run(args))
    except CliError as exc:
        print(f"Gagal: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
