"""``make backup`` / ``make restore``: a backup set of the whole desk, and its restore.

A set is one directory: each service's database (SQLite through sqlite3's online backup API,
PostgreSQL through ``pg_dump``), the attachment store's files (a directory or an S3 bucket), a
consistent snapshot of Redis (``redis-cli --rdb``), the embedded default's own keys, and
``manifest.json`` naming every file with its size and SHA-256. The manifest is written last, and
the set renamed into place after it: a set without one is incomplete, and restore refuses it
(docs/OPERATIONS.md, "Backups"). Reads the same settings as the services; a tool, so it may name
them.
"""
