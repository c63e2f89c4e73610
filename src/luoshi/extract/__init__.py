"""Extraction: cleaned text + outline → indicator and task records."""
from __future__ import annotations

from ..model import Document, Record


def extract_records(doc: Document) -> list[Record]:
    from .indicators import find_indicators
    from .tasks import find_tasks
    from .context import Context

    ctx = Context(doc)
    records: list[Record] = find_indicators(ctx) + find_tasks(ctx)
    records.sort(key=lambda r: (r.start, r.end))
    return records
