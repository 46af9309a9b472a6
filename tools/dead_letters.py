"""The operators' command for failed messages (``shared.messaging.dead_letters``):

    python -m tools.dead_letters SERVICE list
    python -m tools.dead_letters SERVICE replay ID

A tool, not part of ``shared``: it picks a service's database, and only tools may import a
service by name.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from services.intake.database import get_db as intake_db
from services.notifier.database import get_db as notifier_db
from services.workflow.database import get_db as workflow_db
from shared.database.engine import ServiceDatabase
from shared.messaging.dead_letters import pending, replay

DATABASES: dict[str, Callable[[], ServiceDatabase]] = {
    "intake": intake_db,
    "workflow": workflow_db,
    "notifier": notifier_db,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Messages a service could not apply")
    parser.add_argument("service", choices=DATABASES)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list")
    sub.add_parser("replay").add_argument("id")
    args = parser.parse_args(argv)
    db = DATABASES[args.service]()
    with db.transaction() as session:
        if args.command == "list":
            for failed in pending(session):
                when = f"{failed.failed_at:%Y-%m-%d %H:%M:%S}"
                print(f"{failed.id}\t{when}\t{failed.task_name}\t{failed.error}")
            return 0
        try:
            failed = replay(session, args.id)
        except LookupError as exc:
            print(exc)
            return 1
        print(f"{failed.id}: queued again for {failed.task_name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
