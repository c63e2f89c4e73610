"""``luoshi records``: the stored records with reviewers' corrections applied (:mod:`.overlay`)."""

from __future__ import annotations

from sqlalchemy import Select, select, tuple_
from sqlalchemy.engine import Connection

from ..model import RECORD_FIELDS
from .db import Database
from .filters import check_choice, document_conditions
from .overlay import load as load_corrections
from .schema import documents, records

# the columns of `luoshi records`: where each record is from, its fields, its correction
RECORD_COLUMNS = ("id", "document_id", "document", "region", *RECORD_FIELDS, "correction")


def list_records(
    db: Database,
    *,
    region: str | None = None,
    year: int | None = None,
    kind: str | None = None,
    type: str | None = None,
    measure: str | None = None,
    indicator: str | None = None,
    indicator_id: str | None = None,
    document: str | int | None = None,
    topic: str | None = None,
    rejected: bool = False,
    limit: int | None = None,
) -> list[dict]:
    """Records with reviewers' corrections applied, in document order.

    Filters: ``region`` (contains), ``year`` (the record's), ``kind``, ``type``, ``measure``,
    ``indicator`` (the name contains it), ``indicator_id``, ``document`` (see
    :func:`.filters.document_conditions`), ``topic``.  A fixed record shows its corrected
    fields, an added one is included, a rejected one only with ``rejected=True``; the field
    ``correction`` says which (``fixed``, ``added``, ``rejected`` or None).
    """
    for name, value in (("kind", kind), ("type", type), ("measure", measure), ("topic", topic)):
        check_choice(name, value)
    wanted = {
        "year": year,
        "kind": kind,
        "type": type,
        "measure": measure,
        "indicator_id": indicator_id,
        "topic": topic,
    }
    wanted = {k: v for k, v in wanted.items() if v is not None}
    doc_conds = document_conditions(region, None, document)
    with db.engine.connect() as conn:
        overlay = load_corrections(conn, select(documents.c.id).where(*doc_conds) if doc_conds else None)
        base = (
            select(records, documents.c.name.label("document"), documents.c.region)
            .join(documents, documents.c.id == records.c.document_id)
            .where(*doc_conds)
        )
        query = base.where(*[records.c[k] == v for k, v in wanted.items()])
        if indicator:
            query = query.where(records.c.indicator.contains(indicator, autoescape=True))
        query = query.order_by(records.c.document_id, records.c.ord)
        if not any(overlay):
            return [row for _, row in map(record_fields, conn.execute(query if limit is None else query.limit(limit)))]
        out = _corrected(conn, base, query, overlay, lambda row: _matches(row, wanted, indicator), rejected)
    out.sort(key=lambda r: (r["document_id"], r["start"] or 0, r["id"] is None, r["id"] or 0))
    return out[:limit] if limit is not None else out


def _corrected(
    conn: Connection, base: Select, query: Select, overlay: tuple[dict, set, list], keeps, rejected: bool
) -> list[dict]:
    """The records ``query`` finds with the corrections applied: fixed ones read again (by
    ``base``, without the filters, which the fix may change) and checked with ``keeps``,
    rejected ones left out unless ``rejected``, added ones that ``keeps`` keeps."""
    fixes, rejections, additions = overlay
    out = []
    for key, row in map(record_fields, conn.execute(query)):
        k = (row["document_id"], key)
        if k in fixes:
            continue  # taken below, with the fix applied and the filters checked again
        if k in rejections:
            if not rejected:
                continue
            row["correction"] = "rejected"
        out.append(row)
    if fixes:
        for key, row in map(
            record_fields, conn.execute(base.where(tuple_(records.c.document_id, records.c.key).in_(list(fixes))))
        ):
            k = (row["document_id"], key)
            row.update(fixes[k])
            row["correction"] = "rejected" if k in rejections else "fixed"
            if (rejected or k not in rejections) and keeps(row):
                out.append(row)
    out += [row for row in added_rows(conn, additions) if keeps(row)]
    return out


def added_rows(conn: Connection, additions: list[tuple[int, dict]]) -> list[dict]:
    """The records reviewers added (``(document id, fields)``, as :func:`.overlay.load` gives
    them) as listed rows: every column of ``RECORD_COLUMNS``, ``correction`` "added"."""
    if not additions:
        return []
    docs = {
        d.id: d
        for d in conn.execute(
            select(documents.c.id, documents.c.name, documents.c.region).where(
                documents.c.id.in_({doc_id for doc_id, _ in additions})
            )
        )
    }
    out = []
    for doc_id, fields in additions:
        row = dict.fromkeys(RECORD_COLUMNS)
        row.update(
            fields, document_id=doc_id, document=docs[doc_id].name, region=docs[doc_id].region, correction="added"
        )
        out.append(row)
    return out


def _matches(row: dict, wanted: dict, indicator: str | None) -> bool:
    if any(row.get(k) != v for k, v in wanted.items()):
        return False
    return not indicator or indicator in (row.get("indicator") or "")


def record_fields(r) -> tuple[str, dict]:
    """``(stable key, listed row)`` of a ``records`` row joined with its document's ``name``
    (as ``document``) and ``region``: integral values as ints, ``correction`` None."""
    m = r._mapping
    row = {"id": m["id"], "document_id": m["document_id"], "document": m["document"], "region": m["region"]}
    for k in RECORD_FIELDS:
        row[k] = m[k]
    for k in ("value", "value_max"):
        if isinstance(row[k], float) and row[k].is_integer():
            row[k] = int(row[k])
    if row["estimated"] is not None:
        row["estimated"] = bool(row["estimated"])
    row["correction"] = None
    return m["key"], row
