"""Inserting many rows at once, fast on both databases (records, passages, links)."""

from __future__ import annotations

import json

from sqlalchemy import Table, insert, text
from sqlalchemy.engine import Connection


def insert_rows(conn: Connection, table: Table, rows: list[dict]) -> None:
    """Insert many rows (dicts with the same keys): the driver's executemany on SQLite; on
    PostgreSQL one statement that unpacks the rows from a single JSON parameter (a pure-Python
    driver would send a row per round trip)."""
    if not rows:
        return
    quote = conn.dialect.identifier_preparer.quote
    names = list(rows[0])
    cols = ", ".join(quote(c) for c in names)
    if conn.dialect.name == "sqlite":  # plain values: straight to the driver's executemany
        marks = ", ".join("?" * len(names))
        conn.exec_driver_sql(
            f"INSERT INTO {table.name} ({cols}) VALUES ({marks})", [tuple(row[c] for c in names) for row in rows]
        )
        return
    if conn.dialect.name != "postgresql":  # pragma: no cover - only SQLite and PostgreSQL are opened
        conn.execute(insert(table), rows)
        return
    conn.execute(
        text(
            f"INSERT INTO {table.name} ({cols}) SELECT {cols} "
            f"FROM json_populate_recordset(NULL::{table.name}, CAST(:rows AS json))"
        ),
        {"rows": json.dumps(rows, ensure_ascii=False)},
    )
