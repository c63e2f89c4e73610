"""Extraction: cleaned text + outline → indicator and task records."""
from __future__ import annotations

from ..model import Document, Record


def extract_records(doc: Document) -> list[Record]:
    from .indicators import find_indicators
    from .tasks import find_tasks
    from .context import Context

    ctx = Context(doc)
    # The glossary after the report (有关名词解释) explains words; it commits to nothing.
    records: list[Record] = [r for r in find_indicators(ctx) + find_tasks(ctx) if not ctx.in_annex(r.start)]
    records.sort(key=lambda r: (r.start, r.end))
    return records
