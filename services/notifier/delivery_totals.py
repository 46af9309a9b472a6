"""The notifier's running counts for ``/metrics``: deliveries per channel and state, tries per
channel and outcome, kept so that a scrape does not count the whole history (1.3 million rows
of each at 500,000 cases, 0.45 s a scrape).

Kept as ``shared.database.kept_counts`` says: notifier migration 0013's triggers on
``deliveries`` and ``delivery_attempts`` append each change of a count to
``delivery_total_changes`` in the writing transaction; a scrape folds them into
``delivery_totals`` (keys: the series, "delivery" or "attempt", the channel, and the status or
outcome) and reads it.

``from_history`` counts the same figures from the rows themselves: what the migration filled
the totals with, what ``refill`` writes after the bench's seed (whose SQL runs without
triggers), and what a test compares them with.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from shared.database.kept_counts import KeptCounts

DELIVERY = "delivery"  # series: deliveries per channel and status
ATTEMPT = "attempt"  # series: tries per channel and outcome
KEPT = KeptCounts("delivery_totals", "delivery_total_changes", ("series", "channel", "value"))

Counts = dict[tuple[str, ...], int]  # (series, channel, status or outcome) -> count

HISTORY = """
SELECT 'delivery' AS series, channel, status AS value, count(*) AS count
FROM deliveries GROUP BY channel, status
UNION ALL
SELECT 'attempt', channel, outcome, count(*) FROM delivery_attempts GROUP BY channel, outcome
"""


def totals(connection: Connection) -> Counts:
    """The counts after folding the pending changes (zeros left out)."""
    return KEPT.read(connection)


def from_history(connection: Connection) -> Counts:
    """The same figures counted from the rows themselves (slow at scale: a check, not a read)."""
    rows = connection.execute(text(HISTORY))
    return {(series, channel, value): n for series, channel, value, n in rows if n}


def refill(connection: Connection) -> None:
    """Totals made anew from the rows: after rows written with the triggers off (the seed)."""
    KEPT.refill(connection, HISTORY)
