"""Writing one extracted document (a payload of :func:`luoshi.importing.worker.payload`) inside
the caller's transaction: a new document, or new records for a stored one (re-extraction)."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import delete, insert, text, update
from sqlalchemy.engine import Connection

from .bulk import insert_rows
from .schema import documents, passages, records, sections

_DOCUMENT_FIELDS = (
    "format",
    "title",
    "region",
    "level",
    "year_delivered",
    "year_reviewed",
    "year_planned",
    "speaker",
    "date",
    "doc_type",
    "raw",
    "text",
    "offsets",
    "extractor_version",
)
_RECORD_FIELDS = tuple(c.name for c in records.columns if c.name not in ("id", "document_id", "extractor_version"))
_SECTION_FIELDS = tuple(c.name for c in sections.columns if c.name not in ("id", "document_id"))
_PASSAGE_FIELDS = tuple(c.name for c in passages.columns if c.name not in ("id", "document_id"))


def _document_values(p: dict, now: datetime) -> dict:
    values = {k: p[k] for k in _DOCUMENT_FIELDS}
    values.update(
        outline=json.dumps(p["outline"], ensure_ascii=False, separators=(",", ":")),
        warnings=json.dumps(p["warnings"], ensure_ascii=False),
        n_records=len(p["records"]),
        extracted_at=now,
    )
    return values


def insert_document(conn: Connection, p: dict, now: datetime) -> int:
    """Insert a new document and everything extracted from it; return its id."""
    values = _document_values(p, now)
    values.update(content_hash=p["content_hash"], source=p["source"], name=p["name"], imported_at=now)
    doc_id = conn.execute(insert(documents).values(**values)).inserted_primary_key[0]
    _insert_children(conn, doc_id, p)
    return doc_id


def replace_extraction(conn: Connection, doc_id: int, p: dict, now: datetime) -> None:
    """Replace a stored document's text, outline, sections, records and passages with a new
    extraction; its source, hash, import time and corrections stay."""
    _delete_children(conn, doc_id)
    conn.execute(update(documents).where(documents.c.id == doc_id).values(**_document_values(p, now)))
    _insert_children(conn, doc_id, p)


def _insert_children(conn: Connection, doc_id: int, p: dict) -> None:
    version = p["extractor_version"]
    insert_rows(
        conn, sections, [{"document_id": doc_id, **{k: s.get(k) for k in _SECTION_FIELDS}} for s in p["sections"]]
    )
    insert_rows(
        conn,
        records,
        [
            {"document_id": doc_id, "extractor_version": version, **{k: r.get(k) for k in _RECORD_FIELDS}}
            for r in p["records"]
        ],
    )
    insert_rows(conn, passages, [{"document_id": doc_id, **{k: s[k] for k in _PASSAGE_FIELDS}} for s in p["passages"]])
    if p["passages"]:
        if conn.dialect.name == "sqlite":
            conn.execute(
                text("INSERT INTO passage_fts(rowid, tokens) SELECT id, tokens FROM passages WHERE document_id = :d"),
                {"d": doc_id},
            )


def _delete_children(conn: Connection, doc_id: int) -> None:
    if conn.dialect.name == "sqlite":  # an external-content FTS5 index is told what it held
        conn.execute(
            text(
                "INSERT INTO passage_fts(passage_fts, rowid, tokens) "
                "SELECT 'delete', id, tokens FROM passages WHERE document_id = :d"
            ),
            {"d": doc_id},
        )
    for table in (passages, records, sections):
        conn.execute(delete(table).where(table.c.document_id == doc_id))
