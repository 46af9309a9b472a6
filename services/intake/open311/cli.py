"""Partner systems' API keys for Open311 from the command line: ``pengaduan-partner`` (or
``python -m services.intake.open311.cli``), run where the intake service's settings are.

``create NAME`` prints the new key once, on standard output alone (a script reads it from
there; the database keeps only its hash); ``list`` names every partner and whether its key
works; ``revoke NAME`` makes the key open nothing, at once.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from sqlalchemy.orm import Session

from services.intake.database import get_db
from services.intake.open311 import partners
from shared.runtime.preflight import SECRET_RECIPE, Wording, settings_or_exit
from shared.wording.time_words import time_words

SETTINGS_WORDING = Wording(
    heading="Gagal: pengaturan PENGADUAN_* tidak dapat dipakai:",
    how_to_fix="Cara memperbaiki:",
    fix_values="isi variabel di atas dengan nilai yang benar, atau hapus agar memakai bawaannya",
    make_secret=f"isi {{name}} dengan rahasia acak, buat dengan: {SECRET_RECIPE}",
)


def _create(session: Session, args: argparse.Namespace) -> tuple[str, str]:
    partner, key = partners.create_partner(session, args.name)
    said = (
        f"Mitra '{partner.name}' dibuat. Kunci API di atas hanya ditampilkan sekali ini: "
        "serahkan kepada mitra melalui saluran yang aman."
    )
    return key, said


def _list(session: Session, _args: argparse.Namespace) -> tuple[str, str]:
    lines = [
        f"{p.name}\t{'dicabut ' + time_words(p.revoked_at) if p.revoked_at else 'aktif'}"
        f"\tdibuat {time_words(p.created_at)}"
        for p in partners.all_partners(session)
    ]
    return "\n".join(lines), "" if lines else "Belum ada mitra"


def _revoke(session: Session, args: argparse.Namespace) -> tuple[str, str]:
    partner = partners.revoke_partner(session, args.name)
    return "", f"Kunci mitra '{partner.name}' dicabut; permintaan dengannya ditolak (403)"


# Each command's standard output (what a script reads) and what a person is told (stderr).
COMMANDS: dict[str, Callable[[Session, argparse.Namespace], tuple[str, str]]] = {
    "create": _create,
    "list": _list,
    "revoke": _revoke,
}


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="pengaduan-partner", description="Kelola kunci API mitra Open311 GeoReport v2"
    )
    sub = p.add_subparsers(dest="command", required=True)
    create = sub.add_parser("create", help="buat mitra dan kunci API barunya (tampil sekali)")
    create.add_argument("name", help=partners.NAME_RULE)
    sub.add_parser("list", help="daftar mitra")
    sub.add_parser("revoke", help="cabut kunci API mitra").add_argument("name")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    settings_or_exit("pengaduan-partner", wording=SETTINGS_WORDING)
    try:
        with get_db().transaction() as session:
            out, said = COMMANDS[args.command](session, args)
    except partners.PartnerError as exc:
        print(f"Gagal: {exc}", file=sys.stderr)
        return 1
    if out:
        print(out)
    if said:
        print(said, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
