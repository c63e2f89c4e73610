"""What is kept of a database's data until it changes: its *generation* — the counts and
highest ids of documents, records, corrections and links, and the last linking time, which
every import, re-extraction, correction (or its removal) and relinking changes — and, for each
open database, the record → verdict map of its links, :mod:`.browse`'s filter states and pages,
and what callers derive from them (:func:`cached`).  Asking for the generation is one small
query, so a repeated request costs well under a millisecond.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Callable, Hashable, TypeVar

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from .db import Database
from .schema import corrections, documents, link_runs, links, records

T = TypeVar("T")
DERIVED = 256  # values kept by :func:`cached`


@dataclass
class Memo:
    """What is kept for one database at one generation (tables are LRU: see :meth:`get`, :meth:`put`)."""

    generation: tuple = ()
    verdicts: dict[int, str] = field(default_factory=dict)  # record id → verdict (:func:`record_verdicts`)
    summaries: OrderedDict = field(default_factory=OrderedDict)  # RecordFilter → (total, facets)
    pages: OrderedDict = field(default_factory=OrderedDict)  # (RecordFilter, offset, limit) → rows
    derived: OrderedDict = field(default_factory=OrderedDict)  # what callers keep with :func:`cached`
    lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, table: OrderedDict, key):
        with self.lock:
            if key in table:
                table.move_to_end(key)
                return table[key]
        return None

    def put(self, table: OrderedDict, key, value, size: int) -> None:
        with self.lock:
            table[key] = value
            while len(table) > size:
                table.popitem(last=False)


_memos: weakref.WeakKeyDictionary[Engine, Memo] = weakref.WeakKeyDictionary()
_GENERATION = "SELECT " + ", ".join(
    [f"(SELECT {f} FROM {t.name})" for t in (documents, records, corrections, links) for f in ("count(*)", "max(id)")]
    + [f"(SELECT max(linked_at) FROM {link_runs.name})"]
)


def generation(db: Database) -> tuple:
    """What changes whenever the records, corrections or links change (see the module
    docstring).  One fixed statement on a bare driver connection: a tenth of a millisecond."""
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(_GENERATION)
        found = tuple(cursor.fetchone())
        cursor.close()
        return found
    finally:
        raw.close()


def memo(db: Database) -> Memo:
    """The database's memo, emptied when the data has changed since it was filled."""
    now = generation(db)
    found = _memos.get(db.engine)
    if found is None or found.generation != now:
        with db.engine.connect() as conn:  # what is read now is as new as ``now`` or newer: safe
            found = _memos[db.engine] = Memo(now, record_verdicts(conn))
    return found


def cached(db: Database, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, kept under ``key`` until the data changes: for what a caller derives
    from the data (the web app keeps a records page's JSON body)."""
    kept = memo(db)
    found = kept.get(kept.derived, key)
    if found is None:
        found = compute()
        kept.put(kept.derived, key, found, DERIVED)
    return found


def record_verdicts(conn: Connection) -> dict[int, str]:
    """Record id → the verdict of its link: a target's is that of its link, a result's that of
    the link that used it; where several links hold one record, the one with the latest other
    report wins (then the first)."""
    best: dict[tuple[int, str], tuple[tuple[int, int], str]] = {}
    k = links.c
    for lk in conn.execute(select(k.old_document_id, k.new_document_id, k.ord, k.target_key, k.result_key, k.verdict)):
        for doc, key, other in (
            (lk.old_document_id, lk.target_key, lk.new_document_id),
            (lk.new_document_id, lk.result_key, lk.old_document_id),
        ):
            rank = (other, -lk.ord)
            if key is not None and ((doc, key) not in best or rank > best[doc, key][0]):
                best[doc, key] = (rank, lk.verdict)
    if not best:
        return {}
    docs = sorted({doc for doc, _ in best})
    query = select(records.c.id, records.c.document_id, records.c.key).where(records.c.document_id.in_(docs))
    return {r.id: best[r.document_id, r.key][1] for r in conn.execute(query) if (r.document_id, r.key) in best}
