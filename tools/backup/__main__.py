"""``python -m tools.backup``: the desk's backups (docs/OPERATIONS.md, "Backups").

    python -m tools.backup create [--to DIR] [--prune]
    python -m tools.backup restore SET [--force] [--redis-dir DIR]
    python -m tools.backup prune [--to DIR]

Reads the same settings as the services (``PENGADUAN_*``). Exit 0 done, 1 refused (the set is
incomplete or damaged, does not fit the settings, or the desk is running), 2 a usage error.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from shared.runtime.settings import Settings, UnusableSettings, load_settings
from tools.backup import redis_snapshot, retention, sets
from tools.backup.manifest import BrokenBackup


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tools.backup", description=__doc__.split("\n")[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    create = sub.add_parser("create", help="take a backup set of the desk")
    create.add_argument(
        "--to", type=Path, help="where sets are kept (default: backups/ beside the data directory)"
    )
    create.add_argument(
        "--prune", action="store_true", help="then delete the sets the retention does not keep"
    )
    restore = sub.add_parser("restore", help="put a backup set back in place")
    restore.add_argument("set", type=Path, metavar="SET")
    restore.add_argument(
        "--force", action="store_true", help="restore even while the desk's Redis answers"
    )
    restore.add_argument(
        "--redis-dir", type=Path, help="Redis's data directory (another Redis than make run's)"
    )
    restore.add_argument(
        "--redis-server",
        help="the redis-server that writes the restored AOF: the same version as the Redis that "
        "will run on it (default: make run's); `none`: only dump.rdb is put in place",
    )
    prune = sub.add_parser("prune", help="delete the sets the retention does not keep")
    prune.add_argument("--to", type=Path)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = load_settings()
    except UnusableSettings as error:
        print(error.message("python -m tools.backup"), file=sys.stderr)
        return 1
    if args.command == "restore":
        return restore(settings, args)
    directory: Path = args.to or settings.deployment.data_dir.parent / "backups"
    if args.command == "create":
        directory.mkdir(parents=True, exist_ok=True)
        try:
            sets.create(settings, directory, datetime.now(UTC))
        except (OSError, RuntimeError, ValueError) as error:
            print(f"backup failed, no set kept: {error}", file=sys.stderr)
            return 1
    if args.command == "prune" or args.prune:
        for gone in retention.prune(directory, retention.Retention()):
            print(f"pruned {gone}")
    return 0


def restore(settings: Settings, args: argparse.Namespace) -> int:
    server = args.redis_server or redis_snapshot.binary("redis-server")
    try:
        sets.restore(
            settings,
            args.set,
            force=args.force,
            redis_dir=args.redis_dir,
            redis_server=None if server == "none" else server,
        )
    except BrokenBackup as error:
        print(f"restore refused, nothing changed: {error}", file=sys.stderr)
    except sets.DeskRunning as error:
        print(
            f"restore refused, nothing changed: the desk is running ({error}); stop it first "
            "(or give --force)",
            file=sys.stderr,
        )
    except (OSError, RuntimeError, ValueError) as error:
        print(f"restore failed: {error}", file=sys.stderr)
    else:
        return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
