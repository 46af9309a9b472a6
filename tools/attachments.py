"""The operators' command for the attachment store (docs/ATTACHMENTS.md):

    python -m tools.attachments delete ATTACHMENT_ID [ATTACHMENT_ID ...]

Deletes each attachment's file and thumbnail from the store the settings name (the directory
or the bucket), for a record the office's retention schedule lets go, or a file that must not be
kept. The records that name them stay (the case's history is append-only): their downloads then
answer that the file is gone.
"""

from __future__ import annotations

import argparse
import uuid

from shared.attachments import open_store, original_key, thumbnail_key


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Files in the attachment store")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("delete").add_argument("attachment_ids", nargs="+", metavar="ATTACHMENT_ID")
    args = parser.parse_args(argv)
    try:
        ids = [uuid.UUID(value) for value in args.attachment_ids]
    except ValueError as exc:
        print(f"not an attachment id: {exc}")
        return 2
    store = open_store()
    for attachment_id in ids:
        store.delete(original_key(attachment_id))
        store.delete(thumbnail_key(attachment_id))
        print(f"{attachment_id}: deleted")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
