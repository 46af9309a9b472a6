"""Personal data searched for as text: every column of every row of a database, cast to text
(the erasure journey and tests; UU 27/2022)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import String, cast, column, create_engine, inspect, select, table


def places_holding(url: str, needles: Iterable[str]) -> list[str]:
    """``table.column: needle`` for each column of the database at ``url`` that holds one of
    ``needles`` (case-insensitive) in any row."""
    wanted = [n.lower() for n in needles]
    found: list[str] = []
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            for name in inspect(connection).get_table_names():
                columns = [c["name"] for c in inspect(connection).get_columns(name)]
                t = table(name, *(column(c) for c in columns))
                query = select(*(cast(t.c[c], String).label(c) for c in columns))
                for row in connection.execute(query):
                    for c, value in zip(columns, row, strict=True):
                        text = (value or "").lower()
                        found.extend(f"{name}.{c}: {n}" for n in wanted if n in text)
    finally:
        engine.dispose()
    return sorted(set(found))
