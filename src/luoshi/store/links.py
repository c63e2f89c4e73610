"""Links between consecutive years' reports, kept in the ``links`` table.

Design: links are derived data.  They are never patched; whenever a document's records change
— it is imported, re-extracted, or a reviewer corrects one of its records — every link it takes
part in is deleted and computed again, in the same transaction as the change, by
:func:`luoshi.link.link_documents` over the documents rebuilt from the store
(:mod:`.restore`, corrections applied).  A document is linked with the latest stored report
(highest id) of the same region (exactly the same ``region``) for the year after (it is OLD)
and for the year before (it is NEW); a year is ``year_planned``, else ``year_delivered``, as
for ``luoshi docs --year``.  Ids grow with each import, so whichever of a region's latest
reports of two consecutive years came second was linked with the other: the pair the
listings use (:mod:`.scorecard`) is always stored, and a region with many copies of a year
costs no more than one.  An unchanged re-import writes nothing, so its links stay as they are.

The same transaction follows each pair's planned projects (:mod:`.follows`, the ``follows``
table), which are kept, deleted and redone with the links.

Each link keeps the stable keys of its target and result records (``records.key``, as
corrections do; a listing finds the current record ids through them) and the two records as
they were linked (JSON), so a listing needs no re-linking.  ``link_runs`` says which linker
version (:func:`.versions.linker_version`) last linked each document; :func:`relink_stale` links again the
documents that were stored before links existed or linked by an older linker.

On PostgreSQL two importers may store the two years of one region at once; each transaction
takes an advisory lock on the region before it looks for the other year, so the second one to
commit always sees the first.  SQLite writers are serialised already.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.engine import Connection

from .. import link  # link.link_documents is looked up at each call (replaceable, as tests do)
from .bulk import insert_rows
from .db import Database
from .filters import document_year
from .restore import Restored, from_payload, restore
from .rows import record_row  # record_dict, faster (same fields and values)
from .follows import follow_pair
from .schema import documents, follows, link_runs, links
from .versions import linker_version

_PG_REGION_LOCK = 0x6C6B  # first key of pg_advisory_xact_lock(int, int); the second is the region's hash


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def link_pair(conn: Connection, old: Restored, new: Restored, region: str, year: int) -> int:
    """Link OLD's targets to NEW's results and insert the links; return how many."""
    rows = []
    for i, lk in enumerate(link.link_documents(old.document, new.document, new.results())):
        rows.append(
            {
                "old_document_id": old.id,
                "new_document_id": new.id,
                "ord": i,
                "region": region,
                "year": year,
                "indicator": lk.target.indicator or "",
                "indicator_id": lk.indicator_id,
                "measure": lk.target.measure,
                "target_key": old.key(lk.target),
                "result_key": new.key(lk.result),
                "target": _json(record_row(lk.target)),
                "result": _json(record_row(lk.result)) if lk.result is not None else None,
                "verdict": lk.verdict,
                "gap": lk.gap,
                "rule": lk.rule,
            }
        )
    insert_rows(conn, links, rows)
    return len(rows)


def _pair(conn: Connection, old: Restored, new: Restored, region: str, year: int) -> int:
    """Link and follow one pair of reports (:func:`link_pair`, :func:`.follows.follow_pair`);
    return how many links."""
    follow_pair(conn, old, new, region, year)
    return link_pair(conn, old, new, region, year)


def placement(conn: Connection, document_id: int) -> tuple[str | None, int | None]:
    """A document's ``(region, year)``: what decides which reports it is linked with."""
    row = conn.execute(select(documents.c.region, document_year()).where(documents.c.id == document_id)).first()
    return (row[0], row[1]) if row else (None, None)


def relink(
    conn: Connection,
    document_id: int,
    now: datetime | None = None,
    was: tuple[str | None, int | None] | None = None,
    written: dict | None = None,
    cache: dict[int, Restored] | None = None,
) -> int:
    """Compute again, inside the caller's transaction, every link ``document_id`` takes part
    in (see the module docstring); return how many links it now has.

    ``was`` is the document's :func:`placement` before a re-extraction: when its region or
    year changed, the latest report left at the old place is linked again too, so the pairs
    of latest reports stay stored.  ``written``: the payload just inserted as this document
    (saves reading it back).  ``cache``: restored neighbours kept for the length of one import
    run, where stored reports do not change (not for re-extraction, which rewrites them).
    """
    d = documents.c
    row = conn.execute(select(d.region, document_year().label("year")).where(d.id == document_id)).first()
    if row is None:
        return 0
    if was is not None and was != (row.region, row.year) and was[0] and was[1] is not None:
        left = _latest(conn, was[0], was[1])
        if left is not None and left != document_id:
            relink(conn, left, now)
    if row.region and conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(_PG_REGION_LOCK, func.hashtext(row.region))))
    for table in (links, follows):
        conn.execute(
            delete(table).where(or_(table.c.old_document_id == document_id, table.c.new_document_id == document_id))
        )
    n = 0
    if row.region and row.year is not None:
        before, after = (_latest(conn, row.region, row.year + step) for step in (-1, 1))
        if before is not None or after is not None:
            this = from_payload(document_id, written) if written else restore(conn, document_id, for_linking=True)
            if after is not None:
                n += _pair(conn, this, _neighbour(conn, after, cache), row.region, row.year)
            if before is not None:
                n += _pair(conn, _neighbour(conn, before, cache), this, row.region, row.year - 1)
    conn.execute(delete(link_runs).where(link_runs.c.document_id == document_id))
    conn.execute(
        insert(link_runs).values(
            document_id=document_id, linker_version=linker_version(), linked_at=now or datetime.now(timezone.utc)
        )
    )
    return n


_CACHE_SIZE = 64  # neighbours kept by one import run (a few MB each at most)


def _neighbour(conn: Connection, document_id: int, cache: dict[int, Restored] | None) -> Restored:
    """A stored report restored for linking, from ``cache`` when it holds it."""
    if cache is None:
        return restore(conn, document_id, for_linking=True)
    found = cache.get(document_id)
    if found is None:
        if len(cache) >= _CACHE_SIZE:
            cache.pop(next(iter(cache)))
        found = cache[document_id] = restore(conn, document_id, for_linking=True)
    return found


def relink_safely(conn: Connection, document_id: int, **options) -> str:
    """:func:`relink` in a savepoint; an internal error leaves the document unlinked (stale, so
    tried again later) and comes back as a message instead of stopping an import."""
    try:
        with conn.begin_nested():
            relink(conn, document_id, **options)
    except Exception as e:  # a bug in linking one report must not lose the report or stop the others
        return f"not linked: internal error: {type(e).__name__}: {e}"
    return ""


def _latest(conn: Connection, region: str, year: int) -> int | None:
    """The most recently imported report of ``region`` for ``year``."""
    return conn.execute(
        select(func.max(documents.c.id)).where(documents.c.region == region, document_year() == year)
    ).scalar()


def stale_documents(conn: Connection) -> list[int]:
    """Documents never linked, or linked by another linker version, oldest first."""
    query = (
        select(documents.c.id)
        .outerjoin(link_runs, link_runs.c.document_id == documents.c.id)
        .where(or_(link_runs.c.linker_version.is_(None), link_runs.c.linker_version != linker_version()))
        .order_by(documents.c.id)
    )
    return list(conn.execute(query).scalars())


def relink_stale(db: Database) -> int:
    """Link again every stale document (:func:`stale_documents`), one transaction each;
    return how many were linked."""
    with db.writer() as conn:
        return relink_stale_with(conn)


def relink_stale_with(conn: Connection) -> int:
    """:func:`relink_stale` on a writer connection (:meth:`.db.Database.writer`) of the caller's:
    ``luoshi import`` and ``luoshi reextract`` call it on theirs when they finish."""
    conn.rollback()  # no transaction of the caller's left open
    ids = stale_documents(conn)
    conn.rollback()
    done = 0
    for doc_id in ids:
        with conn.begin():
            done += not relink_safely(conn, doc_id)
    return done
