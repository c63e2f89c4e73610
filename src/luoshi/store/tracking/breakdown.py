"""A task-breakdown sheet (分工方案) read into tracking items: each row matched to the report's
target or task it words (:mod:`luoshi.track.breakdown`), or a free item."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.engine import Row

from ...track.breakdown import Row as SheetRow, match, read_sheet
from ..db import Database
from ..errors import Conflict, NotFound
from ..records import list_records
from ..schema import documents, tracking_items
from .items import create_item


def import_breakdown(
    db: Database, actor: str, data: bytes, name: str, document_id: int, dry_run: bool = False, today: date | None = None
) -> dict:
    """Read a task-breakdown sheet for the stored report ``document_id`` and create an item per
    row: matched to the report's target or task it words (``track.breakdown``), or free.

    Returns ``{"rows": [...], "created", "matched", "free", "skipped", "errors"}``; a row that
    cannot be read (a bad deadline) or whose record is already tracked is skipped with its
    reason and the others are imported.  ``dry_run`` only reports what would happen.
    """
    with db.engine.connect() as conn:
        doc = conn.execute(
            select(documents.c.id, documents.c.region, documents.c.year_planned).where(documents.c.id == document_id)
        ).first()
    if doc is None:
        raise NotFound(f"no document with id {document_id}")
    sheet = read_sheet(data, name, doc.year_planned)
    candidates = [
        r
        for r in list_records(db, document=document_id)
        if r["id"] is not None and (r["type"] == "task" or r["kind"] == "target")
    ]
    match(sheet.rows, candidates)
    with db.engine.connect() as conn:  # the free items already tracked for this report's region and year
        tracked = {
            r.title: r.id
            for r in conn.execute(
                select(tracking_items.c.title, tracking_items.c.id).where(
                    tracking_items.c.region == doc.region, tracking_items.c.year == doc.year_planned
                )
            )
        }
    out = {
        "sheet": name,
        "document_id": document_id,
        "rows": [],
        "created": 0,
        "matched": 0,
        "free": 0,
        "skipped": 0,
        "headings": sheet.headings,
    }
    for row in sheet.rows:
        entry = _entry(row)
        out["rows"].append(entry)
        outcome = _import_row(db, actor, row, entry, doc, tracked, dry_run, today)
        if outcome in ("matched", "free"):
            out["created"] += 1
        if outcome:
            out[outcome] += 1
    return out


def _import_row(
    db: Database,
    actor: str,
    row: SheetRow,
    entry: dict,
    doc: Row,
    tracked: dict[str, int],
    dry_run: bool,
    today: date | None,
) -> str | None:
    """Create the item of one sheet row (unless ``dry_run``), saying in ``entry`` what became
    of it; return the count it adds to (``skipped``; ``matched`` or ``free``), or None."""
    if row.error:
        entry["outcome"] = f"skipped: {row.error}"
        return "skipped"
    fields = {
        "title": row.task,
        "lead_unit": row.lead_unit,
        "supporting_units": row.supporting_units or [],
        "deadline": row.deadline,
    }
    if dry_run:
        entry["outcome"] = "would match" if row.record_id else "would be free"
        return None
    if row.record_id is None and row.task in tracked:
        entry["outcome"] = f"skipped: already tracked as item {tracked[row.task]}"
        return "skipped"
    try:
        item = create_item(
            db, actor, fields, record_id=row.record_id, region=doc.region, year=doc.year_planned, today=today
        )
    except Conflict as e:
        entry["outcome"] = f"skipped: {e}"
        return "skipped"
    entry["item_id"] = tracked[row.task] = item["id"]
    entry["outcome"] = "matched" if row.record_id else "free"
    return "matched" if row.record_id else "free"


def _entry(row) -> dict:
    """A sheet row as the import reports it (``item_id`` and ``outcome`` filled once imported)."""
    return {
        "line": row.line,
        "task": row.task,
        "lead_unit": row.lead_unit,
        "supporting_units": row.supporting_units,
        "deadline": row.deadline.isoformat() if row.deadline else None,
        "section": row.section,
        "record_id": row.record_id,
        "score": row.score,
        "item_id": None,
        "outcome": None,
    }
