"""Counts kept for a ``/metrics`` scrape, so that it does not count a service's whole history.

A service's migration creates two tables (``tables``) and triggers on the counted tables that
append each change of a count (+1 for a row counted anew, -1 for one no longer counted) to the
changes table, in the writing transaction, whatever wrote it (the ORM, a conditional UPDATE,
an operator's SQL). Appending, not adding into the totals there: a total row that every
writer updated would be a lock each writing transaction held until it commits. A scrape folds
the changes committed so far into the totals (``fold``) and reads them (``read``); its cost is
the changes since the last scrape, not the history. The notifier (deliveries and tries) and
intake (complaints filed and answered) keep theirs this way.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, TextClause, text

Key = tuple[str, ...]

# The statements, with the tables' and key columns' names filled in by ``KeptCounts._sql`` (the
# names are the services' own constants, never outside text).
UPSERT = (
    "INSERT INTO {totals} ({keys}, count) SELECT {keys}, sum(delta) FROM {source} "
    "GROUP BY {keys} ON CONFLICT ({keys}) DO UPDATE SET count = {totals}.count + excluded.count"
)
# PostgreSQL: the changes deleted are exactly the changes added (one statement, so a change
# committed meanwhile is in both or in neither).
GONE = "WITH gone AS (DELETE FROM {changes} RETURNING {keys}, delta) "
FOLD_POSTGRESQL = GONE + UPSERT.replace("{source}", "gone")
# SQLite has one writer at a time: up to the last change seen, in one transaction.
LAST_CHANGE = "SELECT max(id) FROM {changes}"
FOLD_SQLITE = UPSERT.replace("{source}", "(SELECT * FROM {changes} WHERE id <= :last) AS seen")
FORGET_SQLITE = "DELETE FROM {changes} WHERE id <= :last"
READ = "SELECT {keys}, count FROM {totals}"
EMPTY = ("DELETE FROM {changes}", "DELETE FROM {totals}")
REFILL = "INSERT INTO {totals} ({keys}, count) {history}"


@dataclass(frozen=True)
class KeptCounts:
    """One service's counts: the totals table, its changes table, the key columns of both."""

    totals: str
    changes: str
    keys: tuple[str, ...]

    def _sql(self, template: str, history: str = "") -> TextClause:
        names = {"totals": self.totals, "changes": self.changes, "keys": ", ".join(self.keys)}
        return text(template.format(**names, history=history))

    def fold(self, connection: Connection) -> None:
        """The changes committed so far, added into the totals (in the caller's transaction)."""
        if connection.dialect.name == "postgresql":
            connection.execute(self._sql(FOLD_POSTGRESQL))
            return
        last = connection.scalar(self._sql(LAST_CHANGE))
        if last is not None:
            connection.execute(self._sql(FOLD_SQLITE), {"last": last})
            connection.execute(self._sql(FORGET_SQLITE), {"last": last})

    def read(self, connection: Connection) -> dict[Key, int]:
        """The counts after folding the pending changes (zeros left out)."""
        self.fold(connection)
        rows = connection.execute(self._sql(READ))
        return {tuple(row[:-1]): row[-1] for row in rows if row[-1]}

    def refill(self, connection: Connection, history: str) -> None:
        """Totals made anew from ``history`` (a SELECT of the keys and a count): after rows
        written with the triggers off (the bench's seed)."""
        for statement in EMPTY:
            connection.execute(self._sql(statement))
        connection.execute(self._sql(REFILL, history))
