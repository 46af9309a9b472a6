"""Intake's running counts for ``/metrics``: complaints filed, and those whose answer reached
the complainant, kept so that a scrape does not count the whole history (an index-only scan
of every complaint before, 40 to 75 ms at 500,000 and growing).

Kept as ``shared.database.kept_counts`` says: intake migration 0024's triggers on
``complaints`` append each change (a complaint filed or deleted; ``answered_at`` set or
cleared) to ``complaint_total_changes`` in the writing transaction; a scrape folds them into
``complaint_totals`` (key: the counter's name) and reads it. ``from_history`` counts the same
from the rows: what the migration filled, what ``refill`` writes after the bench's seed, and
what a test compares them with.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from shared.database.kept_counts import KeptCounts

FILED = "filed"
ANSWERED = "answered"
KEPT = KeptCounts("complaint_totals", "complaint_total_changes", ("name",))

HISTORY = """
SELECT 'filed' AS name, count(*) AS count FROM complaints
UNION ALL
SELECT 'answered', count(answered_at) FROM complaints
"""


def totals(connection: Connection) -> dict[str, int]:
    """Filed and answered, after folding the pending changes (zeros included)."""
    kept = KEPT.read(connection)
    return {name: kept.get((name,), 0) for name in (FILED, ANSWERED)}


def from_history(connection: Connection) -> dict[str, int]:
    """The same figures counted from the complaints (slow at scale: a check, not a read)."""
    rows = connection.execute(text(HISTORY))
    return {str(row[0]): int(row[1]) for row in rows}


def refill(connection: Connection) -> None:
    """Totals made anew from the rows: after rows written with the triggers off (the seed)."""
    KEPT.refill(connection, HISTORY)
