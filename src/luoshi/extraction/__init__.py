"""Extraction: cleaned text + outline → indicator and task records, each with its topic."""

from __future__ import annotations

from ..model import Document, Record
from .context import Context
from .indicators import find_indicators
from .tasks import find_tasks
from .topics import Leads, record_topic


def extract_records(doc: Document) -> list[Record]:
    ctx = Context(doc)
    # The glossary after the report (有关名词解释) explains words; it commits to nothing.
    records: list[Record] = [r for r in find_indicators(ctx) + find_tasks(ctx) if not ctx.in_annex(r.start)]
    records.sort(key=lambda r: (r.start, r.end))
    leads = Leads(doc.outline)
    for r in records:
        r.topic = record_topic(r, leads)
    return records
