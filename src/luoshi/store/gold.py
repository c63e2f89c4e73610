"""Reviewed records as gold files: ``luoshi corrections export`` writes a document's records,
corrections applied, in the format of the gold files that ``shared/eval/score.py`` reads
(:data:`GOLD_FIELDS`), so a reviewed report scores the extractor as the hand-made ones do."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from .corrections import TYPE_FIELDS
from .db import Database
from .documents import list_documents
from .errors import NotFound
from .records import list_records
from .schema import corrections

# The gold files' fields, in their order: a record's own fields without offsets, section and id.
GOLD_FIELDS = {
    t: tuple(f for f in fs if f not in ("indicator_id", "start", "end", "section", "topic"))
    for t, fs in TYPE_FIELDS.items()
}


def gold_record(row: dict) -> dict:
    """A record (as listed) in the gold files' format: their fields in their order, integral
    values as ints, a missing unit, qualifier, estimated or verb as the spec's default."""
    out = {}
    for k in GOLD_FIELDS[row["type"]]:
        v = row.get(k)
        if v is None and k in ("unit", "qualifier", "estimated", "verb", "evidence"):
            v = {"qualifier": "exact", "estimated": False}.get(k, "")
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        out[k] = v
    return out


def gold_jsonl(rows: list[dict]) -> str:
    """Gold records as JSON lines (``json.dumps`` defaults, characters as they are)."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def gold_name(document: dict) -> str:
    """The gold file of a stored document: ``ningbo-2024-part1.txt`` → ``ningbo-2024-part1.gold.jsonl``
    (score.py pairs ``NAME.gold.jsonl`` with the report ``NAME.txt``/``.pdf``/``.html``/``.docx``)."""
    return Path(document["name"]).stem + ".gold.jsonl"


def export_gold(db: Database, document: str | int | None = None) -> list[tuple[dict, list[dict]]]:
    """``(document, gold records)`` for each document with at least one correction, or for
    those ``document`` names (see :func:`.filters.document_conditions`; none raises
    :class:`.errors.NotFound`): every record of the document with corrections applied
    (rejected ones left out, added ones in), in document order, as :func:`gold_record`."""
    if document is None:
        with db.engine.connect() as conn:
            ids = set(conn.execute(select(corrections.c.document_id).distinct()).scalars())
        docs = [d for d in list_documents(db) if d["id"] in ids]
    else:
        docs = list_documents(db, document=document)
        if not docs:
            raise NotFound(f"no stored report matches {document!r}")
    return [(d, [gold_record(r) for r in list_records(db, document=d["id"])]) for d in docs]
