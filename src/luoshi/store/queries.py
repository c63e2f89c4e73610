"""``luoshi docs`` and ``luoshi records``: listings with filters, corrections applied."""
from __future__ import annotations

from sqlalchemy import select, tuple_

from . import corrections as corr
from .db import Database, opened
from .extraction import extractor_version
from .filters import check_choice, document_conditions, document_year
from .schema import documents, records

DOCUMENT_COLUMNS = ("id", "name", "region", "level", "year", "title", "format", "records", "imported_at",
                    "extractor_version", "current", "content_hash", "source")
RECORD_COLUMNS = ("id", "document_id", "document", "region", "type", "kind", "year", "indicator", "measure",
                  "value", "value_max", "unit", "qualifier", "estimated", "scope", "indicator_id", "action",
                  "object", "verb", "start", "end", "evidence", "section", "topic", "correction")
_RECORD_TABLE_FIELDS = ("type", "kind", "year", "indicator", "measure", "value", "value_max", "unit", "qualifier",
                        "estimated", "scope", "indicator_id", "action", "object", "verb", "start", "end",
                        "evidence", "section", "topic")


def list_documents(db: Database | str | None, region: str | None = None, year: int | None = None,
                   document: str | int | None = None) -> list[dict]:
    """Stored documents, oldest import first, as dicts with the fields of ``DOCUMENT_COLUMNS``."""
    database, owned = opened(db)
    try:
        d = documents.c
        query = (select(d.id, d.name, d.region, d.level, document_year().label("year"), d.title, d.format,
                        d.n_records, d.imported_at, d.extractor_version, d.content_hash, d.source)
                 .where(*document_conditions(region, year, document)).order_by(d.id))
        version = extractor_version()
        with database.engine.connect() as conn:
            return [{"id": r.id, "name": r.name, "region": r.region, "level": r.level, "year": r.year,
                     "title": r.title, "format": r.format, "records": r.n_records,
                     "imported_at": r.imported_at.isoformat(timespec="seconds") if r.imported_at else None,
                     "extractor_version": r.extractor_version, "current": r.extractor_version == version,
                     "content_hash": r.content_hash, "source": r.source} for r in conn.execute(query)]
    finally:
        if owned:
            database.close()


def list_records(db: Database | str | None, *, region: str | None = None, year: int | None = None,
                 kind: str | None = None, type: str | None = None, measure: str | None = None,
                 indicator: str | None = None, indicator_id: str | None = None, document: str | int | None = None,
                 topic: str | None = None, rejected: bool = False, limit: int | None = None) -> list[dict]:
    """Records with reviewers' corrections applied, in document order.

    Filters: ``region`` (contains), ``year`` (the record's), ``kind``, ``type``, ``measure``,
    ``indicator`` (the name contains it), ``indicator_id``, ``document`` (see
    :func:`.filters.document_conditions`), ``topic``.  A fixed record shows its corrected
    fields, an added one is included, a rejected one only with ``rejected=True``; the field
    ``correction`` says which (``fixed``, ``added``, ``rejected`` or None).
    """
    for name, value in (("kind", kind), ("type", type), ("measure", measure), ("topic", topic)):
        check_choice(name, value)
    wanted = {"year": year, "kind": kind, "type": type, "measure": measure, "indicator_id": indicator_id,
              "topic": topic}
    wanted = {k: v for k, v in wanted.items() if v is not None}
    doc_conds = document_conditions(region, None, document)
    database, owned = opened(db)
    try:
        with database.engine.connect() as conn:
            doc_ids = select(documents.c.id).where(*doc_conds) if doc_conds else None
            fixes, rejections, additions = corr.load(conn, doc_ids)
            base = (select(records, documents.c.name.label("document"), documents.c.region)
                    .join(documents, documents.c.id == records.c.document_id).where(*doc_conds))
            query = base.where(*[records.c[k] == v for k, v in wanted.items()])
            if indicator:
                query = query.where(records.c.indicator.contains(indicator, autoescape=True))
            query = query.order_by(records.c.document_id, records.c.ord)
            corrected = bool(fixes or rejections or additions)
            if limit is not None and not corrected:
                query = query.limit(limit)
            rows = [_row(r) for r in conn.execute(query)]
            if not corrected:
                return [row for _, row in rows]
            out = []
            for key, row in rows:
                k = (row["document_id"], key)
                if k in fixes:
                    continue  # taken below, with the fix applied and the filters checked again
                if k in rejections:
                    if not rejected:
                        continue
                    row["correction"] = "rejected"
                out.append(row)
            if fixes:
                fixed = base.where(tuple_(records.c.document_id, records.c.key).in_(list(fixes)))
                for r in conn.execute(fixed):
                    key, row = _row(r)
                    k = (row["document_id"], key)
                    row.update(fixes[k])
                    row["correction"] = "rejected" if k in rejections else "fixed"
                    if (rejected or k not in rejections) and _matches(row, wanted, indicator):
                        out.append(row)
            if additions:
                ids = {doc_id for doc_id, _ in additions}
                docs = {d.id: d for d in conn.execute(select(documents.c.id, documents.c.name, documents.c.region)
                                                      .where(documents.c.id.in_(ids)))}
                for doc_id, fields in additions:
                    row = {c: None for c in RECORD_COLUMNS}
                    row.update(fields, document_id=doc_id, document=docs[doc_id].name, region=docs[doc_id].region,
                               correction="added")
                    row.setdefault("start", 0)
                    if _matches(row, wanted, indicator):
                        out.append(row)
            out.sort(key=lambda r: (r["document_id"], r["start"] or 0, r["id"] is None, r["id"] or 0))
            return out[:limit] if limit is not None else out
    finally:
        if owned:
            database.close()


def _matches(row: dict, wanted: dict, indicator: str | None) -> bool:
    if any(row.get(k) != v for k, v in wanted.items()):
        return False
    return not indicator or indicator in (row.get("indicator") or "")


def _row(r) -> tuple[str, dict]:
    m = r._mapping
    row = {"id": m["id"], "document_id": m["document_id"], "document": m["document"], "region": m["region"]}
    for k in _RECORD_TABLE_FIELDS:
        row[k] = m[k]
    for k in ("value", "value_max"):
        if isinstance(row[k], float) and row[k].is_integer():
            row[k] = int(row[k])
    if row["estimated"] is not None:
        row["estimated"] = bool(row["estimated"])
    row["correction"] = None
    return m["key"], row
