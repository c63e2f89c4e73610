"""A record as the store keeps it: its row of plain values, and its stable key in its document."""

from __future__ import annotations

from sqlalchemy import Select, Table, and_, select
from sqlalchemy.orm import aliased

from ..model import INDICATOR_FIELDS, TASK_FIELDS, Record
from .schema import documents, records


def record_keys(rows: list[dict]) -> list[str]:
    """Stable keys of records within a document: ``type|start|end|name|n`` (n counts records
    with the same type, span and name, in document order).

    >>> record_keys([{"type": "task", "start": 3, "end": 9, "object": "甬舟铁路"},
    ...              {"type": "indicator", "start": 3, "end": 9, "indicator": "GDP"},
    ...              {"type": "indicator", "start": 3, "end": 9, "indicator": "GDP"}])
    ['task|3|9|甬舟铁路|0', 'indicator|3|9|GDP|0', 'indicator|3|9|GDP|1']
    """
    seen: dict[str, int] = {}
    keys = []
    for r in rows:
        name = r.get("indicator") if r["type"] == "indicator" else r.get("object")
        base = f"{r['type']}|{r['start']}|{r['end']}|{name or ''}"
        n = seen.get(base, 0)
        seen[base] = n + 1
        keys.append(f"{base}|{n}")
    return keys


def record_row(rec: Record) -> dict:
    """``model.record_dict(rec)`` without ``dataclasses.asdict``'s deep copy (a third of the
    cost of a whole extraction); the storage tests check that the two agree."""
    row = {k: getattr(rec, k) for k in (INDICATOR_FIELDS if rec.type == "indicator" else TASK_FIELDS)}
    for k in ("value", "value_max"):
        if isinstance(row.get(k), float) and row[k].is_integer():
            row[k] = int(row[k])
    return row


def pair_rows(table: Table, old_key: str, new_key: str, old_id: str, new_id: str, where, *extra) -> Select:
    """The rows of a table kept per report pair (``links``, ``follows``) that match ``where``,
    in order, with both reports' names and the stored ids of the records their keys name on each
    side (``old_key`` in the older report as ``old_id``, ``new_key`` in the newer as ``new_id``);
    ``extra(old, new)`` adds columns of the two reports."""
    old, new = aliased(documents), aliased(documents)
    old_rec, new_rec = aliased(records), aliased(records)
    return (
        select(
            table,
            old.c.name.label("old_document"),
            new.c.name.label("new_document"),
            *(column for make in extra for column in make(old, new)),
            old_rec.c.id.label(old_id),
            new_rec.c.id.label(new_id),
        )
        .join(old, old.c.id == table.c.old_document_id)
        .join(new, new.c.id == table.c.new_document_id)
        .outerjoin(old_rec, and_(old_rec.c.document_id == table.c.old_document_id, old_rec.c.key == table.c[old_key]))
        .outerjoin(new_rec, and_(new_rec.c.document_id == table.c.new_document_id, new_rec.c.key == table.c[new_key]))
        .where(*where)
        .order_by(table.c.old_document_id, table.c.new_document_id, table.c.ord)
    )
