"""The notifier's running counts for ``/metrics``: deliveries per channel and state, tries per
channel and outcome, kept so that a scrape does not count the whole history (1.3 million rows
of each at 500,000 cases, 0.45 s a scrape).

How they are kept (notifier migration 0013): triggers on ``deliveries`` and
``delivery_attempts`` write each change of a count (+1 for a new row or the state it moved to,
-1 for the state it left or a deleted row) as a row of ``delivery_total_changes``, in the
writing transaction, whatever wrote it (the ORM, a conditional UPDATE, an operator's SQL).
Appending, not adding into ``delivery_totals`` there: a count row that every delivery updated
would be a lock each worker's transaction held until it commits, the sending included. A scrape
folds the changes committed so far into ``delivery_totals`` (``fold``) and reads it; its cost
is the changes since the last scrape, not the history.

``from_history`` counts the same figures from the rows themselves: what the migration filled
the totals with, what ``refill`` writes after the bench's seed (whose SQL runs without
triggers), and what a test compares them with.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

DELIVERY = "delivery"  # series: deliveries per channel and status
ATTEMPT = "attempt"  # series: tries per channel and outcome

Counts = dict[tuple[str, str, str], int]  # (series, channel, status or outcome) -> count

HISTORY = """
SELECT 'delivery' AS series, channel, status AS value, count(*) AS count
FROM deliveries GROUP BY channel, status
UNION ALL
SELECT 'attempt', channel, outcome, count(*) FROM delivery_attempts GROUP BY channel, outcome
"""

# PostgreSQL: the changes deleted are exactly the changes added (one statement, so a change
# committed meanwhile is either in both or in neither).
FOLD_POSTGRESQL = """
WITH gone AS (DELETE FROM delivery_total_changes RETURNING series, channel, value, delta)
INSERT INTO delivery_totals (series, channel, value, count)
SELECT series, channel, value, sum(delta) FROM gone GROUP BY series, channel, value
ON CONFLICT (series, channel, value) DO UPDATE
SET count = delivery_totals.count + excluded.count
"""
# SQLite has one writer at a time: up to the last change seen, in one transaction.
FOLD_SQLITE = (
    """
INSERT INTO delivery_totals (series, channel, value, count)
SELECT series, channel, value, sum(delta) FROM delivery_total_changes WHERE id <= :last
GROUP BY series, channel, value
ON CONFLICT (series, channel, value) DO UPDATE
SET count = delivery_totals.count + excluded.count
""",
    "DELETE FROM delivery_total_changes WHERE id <= :last",
)


def fold(connection: Connection) -> None:
    """The changes committed so far, added into ``delivery_totals`` (in the caller's
    transaction)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text(FOLD_POSTGRESQL))
        return
    last = connection.scalar(text("SELECT max(id) FROM delivery_total_changes"))
    if last is not None:
        for statement in FOLD_SQLITE:
            connection.execute(text(statement), {"last": last})


def totals(connection: Connection) -> Counts:
    """The counts after folding the pending changes (zeros left out)."""
    fold(connection)
    rows = connection.execute(text("SELECT series, channel, value, count FROM delivery_totals"))
    return {(series, channel, value): n for series, channel, value, n in rows if n}


def from_history(connection: Connection) -> Counts:
    """The same figures counted from the rows themselves (slow at scale: a check, not a read)."""
    rows = connection.execute(text(HISTORY))
    return {(series, channel, value): n for series, channel, value, n in rows if n}


def refill(connection: Connection) -> None:
    """Totals made anew from the rows: after rows written with the triggers off (the seed)."""
    connection.execute(text("DELETE FROM delivery_total_changes"))
    connection.execute(text("DELETE FROM delivery_totals"))
    connection.execute(
        text(f"INSERT INTO delivery_totals (series, channel, value, count) {HISTORY}")
    )
