"""A record as the store keeps it: its row of plain values, and its stable key in its document."""

from __future__ import annotations

from ..model import INDICATOR_FIELDS, TASK_FIELDS, Record


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
