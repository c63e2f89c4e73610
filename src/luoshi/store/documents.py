"""The stored reports: ``luoshi docs``, and what an import asks of the store — is this file's
content stored already, which documents are due for re-extraction, and writing a document
with its links (and its audit entry, when a person made the change) in the caller's transaction.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.engine import Connection, Row

from .audit import write as audit_write
from .db import Database
from .filters import document_conditions, document_year
from .links import placement, relink_safely
from .overlay import unmatched
from .schema import documents
from .versions import extractor_version
from .write import insert_document, replace_extraction

DOCUMENT_COLUMNS = (
    "id",
    "name",
    "region",
    "level",
    "year",
    "title",
    "format",
    "records",
    "imported_at",
    "extractor_version",
    "current",
    "content_hash",
    "source",
)


def list_documents(
    db: Database, region: str | None = None, year: int | None = None, document: str | int | None = None
) -> list[dict]:
    """Stored documents, oldest import first, as dicts with the fields of ``DOCUMENT_COLUMNS``."""
    d = documents.c
    query = (
        select(
            d.id,
            d.name,
            d.region,
            d.level,
            document_year().label("year"),
            d.title,
            d.format,
            d.n_records,
            d.imported_at,
            d.extractor_version,
            d.content_hash,
            d.source,
        )
        .where(*document_conditions(region, year, document))
        .order_by(d.id)
    )
    version = extractor_version()
    with db.engine.connect() as conn:
        return [
            {
                "id": r.id,
                "name": r.name,
                "region": r.region,
                "level": r.level,
                "year": r.year,
                "title": r.title,
                "format": r.format,
                "records": r.n_records,
                "imported_at": r.imported_at.isoformat(timespec="seconds") if r.imported_at else None,
                "extractor_version": r.extractor_version,
                "current": r.extractor_version == version,
                "content_hash": r.content_hash,
                "source": r.source,
            }
            for r in conn.execute(query)
        ]


def with_hash(conn: Connection, content_hash: str) -> Row | None:
    """``(id, name)`` of the document stored with these bytes (sha256), or None."""
    return conn.execute(
        select(documents.c.id, documents.c.name).where(documents.c.content_hash == content_hash)
    ).first()


def add_document(
    conn: Connection,
    payload: dict,
    now: datetime,
    *,
    neighbours: dict | None = None,
    actor: str | None = None,
    origin: dict | None = None,
) -> tuple[int, str]:
    """Store an extracted report (a payload of :func:`luoshi.importing.worker.payload`) and
    link it, in the caller's transaction; return its id and what went wrong linking it ("" when
    nothing did: see :func:`.links.relink_safely`).  ``neighbours``: the restored reports one
    run links new ones with (see :func:`.links.relink`).  ``actor``: who imported it, for the
    audit log (``origin``: how, e.g. ``{"source": "upload"}``); None writes no entry."""
    document_id = insert_document(conn, payload, now)
    problem = relink_safely(conn, document_id, now=now, written=payload, cache=neighbours)
    if actor is not None:
        audit_write(
            conn,
            actor,
            "document.import",
            "document",
            document_id,
            None,
            {**(origin or {}), "records": len(payload["records"])},
            now,
        )
    return document_id, problem


def extraction_versions(conn: Connection) -> list[Row]:
    """``(id, source, extractor_version)`` of every stored document, oldest first."""
    d = documents.c
    return conn.execute(select(d.id, d.source, d.extractor_version).order_by(d.id)).all()


def stored_raw(conn: Connection, document_id: int) -> dict:
    """What extracting a stored document again starts from: its ``raw`` text, ``format``,
    ``content_hash`` and ``warnings``."""
    d = documents.c
    row = conn.execute(select(d.raw, d.format, d.content_hash, d.warnings).where(d.id == document_id)).one()
    return {
        "raw": row.raw,
        "format": row.format,
        "content_hash": row.content_hash,
        "warnings": json.loads(row.warnings),
    }


def refresh_document(conn: Connection, document_id: int, payload: dict, now: datetime) -> str:
    """Replace a stored document's extraction with ``payload`` and link it again, in the
    caller's transaction; return what there is to say ("" when nothing): corrections that no
    longer match a record, a failure to link."""
    was = placement(conn, document_id)
    replace_extraction(conn, document_id, payload, now)
    problem = relink_safely(conn, document_id, now=now, was=was)
    lost = unmatched(conn, document_id)
    return "; ".join(filter(None, [f"{lost} correction(s) no longer match a record" if lost else "", problem]))
