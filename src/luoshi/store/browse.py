"""Records filtered, a page at a time, with facet counts (what the web app's records page shows).

:func:`browse` answers one state of a listing — the records a :class:`RecordFilter` keeps,
one page of them in document order, how many there are, and the facet counts — and
:func:`matching` gives every record it keeps (downloads).  Reviewers' corrections are applied
as by :func:`.records.list_records`: fixed values shown, rejected records hidden, added ones
included, and the field ``correction`` says which.

* Filters are SQL conditions: ``region`` and ``indicator`` contain the value, the others
  equal it; ``year`` is the record's year; ``document`` is as in
  :func:`.filters.document_conditions`.
* ``verdict``: a target's is that of its link (``links.target_key``), a result's that of the
  link that used it (``links.result_key``); where several links hold one record the one with
  the latest other report wins.  The links table has no index on those keys, so the map
  record id → verdict is read once per generation (:mod:`.memo`) and a filter on it is an ``IN``.
* ``q``: the record's evidence contains every space-separated term, ignoring case — the test
  :func:`.search.search` confirms its paragraphs with, applied to the record's own clause, so
  就业 finds the records that speak of 就业, not every record of a paragraph that does.  It
  scans the short evidence column (a few ms for 7,400 records); the paragraph index would
  not be faster, since its paragraphs would have to be joined to records by span.
* Facets are conventional: each one's counts have every other filter applied but not its
  own, so a chosen region still lists the others; ``indicator`` (the commonest names) has
  every filter applied.  Missing values (tasks have no measure, most records no verdict) are
  not counted.  ``kind`` is never missing, so its facet gives the total.
* Corrections: records a reviewer fixed or rejected are left out of the SQL, and the fixed
  and added ones are filtered here and merged in, so with few corrections a listing costs
  what it costs without.
* Cache: the total and facets of a filter state, and its pages, are kept for each database
  until its generation changes (:mod:`.memo`): a repeated state costs well under a millisecond.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from typing import Iterable

from sqlalchemy import bindparam, exists, func, select, tuple_
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from ..model import KINDS, VERDICTS
from ..outline.metadata import region_order
from .db import Database
from .errors import StoreError
from .filters import CHOICES, check_choice, document_conditions
from .memo import Memo, memo
from .overlay import load as load_corrections
from .records import added_rows, record_fields
from .schema import corrections, documents, records

FACETS = ("region", "year", "kind", "type", "measure", "indicator", "verdict", "topic")
TOP_INDICATORS = 30
_SUMMARIES, _PAGES, _CACHED_PAGE = 256, 256, 100  # cache sizes; pages up to this many rows are cached
_JOIN = records.join(documents, documents.c.id == records.c.document_id)
_COLUMN = {
    "region": documents.c.region,
    "year": records.c.year,
    "kind": records.c.kind,
    "type": records.c.type,
    "measure": records.c.measure,
    "topic": records.c.topic,
    "indicator": records.c.indicator,
}


@dataclass(frozen=True)
class RecordFilter:
    """One state of a records listing (the web app's records page); None is no filter."""

    region: str | None = None
    year: int | None = None
    kind: str | None = None
    type: str | None = None
    measure: str | None = None
    indicator: str | None = None
    indicator_id: str | None = None
    topic: str | None = None
    verdict: str | None = None
    document: str | None = None
    q: str | None = None

    def __post_init__(self) -> None:
        for name in ("kind", "type", "measure", "topic"):
            check_choice(name, getattr(self, name))
        if self.verdict is not None and self.verdict not in VERDICTS:
            raise StoreError(f"unknown verdict {self.verdict!r}; choose one of {', '.join(VERDICTS)}")

    def applied(self) -> dict:
        """The filters in use, by name."""
        return {k: v for k, v in asdict(self).items() if v is not None}

    def terms(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((self.q or "").lower().split()))


def browse(db: Database, flt: RecordFilter, page: int = 1, per_page: int = 50) -> dict:
    """``{"total", "records", "facets"}`` for ``flt``: the records of page ``page`` (1-based,
    ``per_page`` a page) in document order, each a dict of ``RECORD_COLUMNS`` plus
    ``verdict``; ``facets`` maps each of ``FACETS`` to ``[{"value", "count"}]``.  The lists
    are shared with a cache: read them, do not change them."""
    cache = memo(db)
    key = (flt, (page - 1) * per_page, per_page)
    summary, rows = cache.get(cache.summaries, flt), cache.get(cache.pages, key)
    if summary is None or rows is None:
        with db.engine.connect() as conn:
            fixed = _plan(conn, cache, flt)
            if rows is None:
                rows = _page(conn, cache, flt, fixed, key[1], per_page)
                if per_page <= _CACHED_PAGE:
                    cache.put(cache.pages, key, rows, _PAGES)
            if summary is None:
                summary = _summary(conn, cache, flt, fixed)
                cache.put(cache.summaries, flt, summary, _SUMMARIES)
    return {"total": summary[0], "records": rows, "facets": summary[1]}


def matching(db: Database, flt: RecordFilter, limit: int = 100_000) -> list[dict]:
    """The first ``limit`` records ``flt`` keeps, in document order (as in :func:`browse`)."""
    cache = memo(db)
    with db.engine.connect() as conn:
        return _page(conn, cache, flt, _plan(conn, cache, flt), 0, limit)


def _conditions(flt: RecordFilter, cache: Memo, plan: _Plan, skip: str | None = None) -> list[ColumnElement]:
    """``flt`` (but for ``skip``) as SQL conditions on records joined with documents."""
    r = records.c
    conds = document_conditions(None if skip == "region" else flt.region, None, flt.document)
    for name in ("year", "kind", "type", "measure", "topic", "indicator_id"):
        value = getattr(flt, name)
        if value is not None and name != skip:
            conds.append(r[name] == value)
    if flt.indicator and skip != "indicator":
        conds.append(r.indicator.contains(flt.indicator, autoescape=True))
    if flt.verdict and skip != "verdict":
        conds.append(_among(i for i, v in cache.verdicts.items() if v == flt.verdict))
    if plan.found is not None:
        conds.append(plan.found)
    if plan.exclude is not None:
        conds.append(plan.exclude)
    return conds


def _among(ids: Iterable[int]) -> ColumnElement:
    """``records.id IN (…)`` with the ids written into the statement: no limit on how many."""
    return records.c.id.in_(bindparam(None, sorted(ids), expanding=True, literal_execute=True))


def _keeps(row: dict, flt: RecordFilter, skip: str | None = None) -> bool:
    """Whether ``flt`` (but for ``skip``) keeps a corrected record (its document is in scope)."""
    for name in ("year", "kind", "type", "measure", "topic", "indicator_id", "verdict"):
        value = getattr(flt, name)
        if value is not None and name != skip and row.get(name) != value:
            return False
    for name in ("region", "indicator"):
        value = getattr(flt, name)
        if value and name != skip and value not in (row.get(name) or ""):
            return False
    evidence = (row.get("evidence") or "").lower()
    return all(t in evidence for t in flt.terms())


@dataclass
class _Plan:
    """What the queries of one filter state share: ``found``, the records whose evidence has
    every word of ``q`` (one scan, not one per facet; None: no ``q``); ``exclude``, leaving out
    the records a reviewer fixed or rejected (None: there are none in scope); ``rows``, the
    fixed and added records (filtered in Python)."""

    found: ColumnElement | None
    exclude: ColumnElement | None
    rows: list[dict]


def _plan(conn: Connection, cache: Memo, flt: RecordFilter) -> _Plan:
    found = None
    if flt.terms():
        texts = [records.c.evidence.icontains(t, autoescape=True) for t in flt.terms()]
        found = _among(conn.execute(select(records.c.id).where(*texts)).scalars())
    scope = document_conditions(None, None, flt.document)
    fixes, rejections, additions = load_corrections(conn, select(documents.c.id).where(*scope) if scope else None)
    exclude = None
    if fixes or rejections:
        c = corrections.c
        exclude = ~exists().where(
            c.document_id == records.c.document_id, c.record_key == records.c.key, c.action.in_(("fix", "reject"))
        )
    rows: list[dict] = []
    if fixes:
        query = (
            select(records, documents.c.name.label("document"), documents.c.region)
            .select_from(_JOIN)
            .where(tuple_(records.c.document_id, records.c.key).in_(list(fixes)))
        )
        for r in conn.execute(query):
            key, row = record_fields(r)
            if (row["document_id"], key) not in rejections:
                row.update(fixes[row["document_id"], key], correction="fixed", verdict=cache.verdicts.get(row["id"]))
                rows.append(row)
    for row in added_rows(conn, additions):
        row["verdict"] = None
        row["start"] = row["start"] or 0
        rows.append(row)
    return _Plan(found, exclude, rows)


def _order(row: dict) -> tuple:
    """Document order, as :func:`.records.list_records` sorts corrected listings (for stored
    records the same as ``ORDER BY document_id, ord``: a document's records are stored by start)."""
    return row["document_id"], row["start"] or 0, row["id"] is None, row["id"] or 0


def _summary(conn: Connection, cache: Memo, flt: RecordFilter, plan: _Plan) -> tuple[int, dict]:
    counts: dict[str, Counter] = {}
    for name in FACETS:
        skip = None if name == "indicator" else name
        kept = Counter(row.get(name) for row in plan.rows if _keeps(row, flt, skip))
        conds = _conditions(flt, cache, plan, skip)
        if name == "verdict":
            linked = select(records.c.id).select_from(_JOIN).where(*conds, _among(cache.verdicts))
            kept.update(cache.verdicts[i] for i in conn.execute(linked).scalars())
        else:
            column = _COLUMN[name]
            query = select(column, func.count()).select_from(_JOIN).where(*conds).group_by(column)
            if name == "indicator":
                names = sorted(n for n in kept if n)  # with the SQL top, these make the merged top exact
                found = dict(
                    conn.execute(
                        query.where(column.is_not(None)).order_by(func.count().desc(), column).limit(TOP_INDICATORS)
                    ).all()
                )
                if names:
                    found.update(conn.execute(query.where(column.in_(names))).all())
            else:
                found = dict(conn.execute(query).all())
            kept.update(found)
        kept.pop(None, None)
        counts[name] = kept
    total = counts["kind"][flt.kind] if flt.kind else sum(counts["kind"].values())
    return total, {name: [{"value": v, "count": n} for v, n in _ordered(name, c)] for name, c in counts.items()}


def _ordered(name: str, counts: Counter) -> list[tuple]:
    fixed = {**CHOICES, "kind": KINDS[::-1], "verdict": VERDICTS}.get(name)  # targets before results
    if fixed:
        return [(v, counts[v]) for v in fixed if counts[v]]
    if name == "year":
        return sorted(counts.items(), key=lambda vc: -vc[0])
    if name == "region":  # as officials list them (GB/T 2260), not by code point
        return sorted(counts.items(), key=lambda vc: region_order(vc[0]))
    found = sorted(counts.items(), key=lambda vc: (-vc[1], vc[0]))
    return found[:TOP_INDICATORS] if name == "indicator" else found


def _page(conn: Connection, cache: Memo, flt: RecordFilter, plan: _Plan, offset: int, limit: int) -> list[dict]:
    conds = _conditions(flt, cache, plan)
    query = (
        select(records, documents.c.name.label("document"), documents.c.region)
        .select_from(_JOIN)
        .where(*conds)
        .order_by(records.c.document_id, records.c.ord)
    )
    extra = [(_order(row), row) for row in plan.rows if _keeps(row, flt)]
    if not extra:
        rows = [record_fields(r)[1] for r in conn.execute(query.offset(offset).limit(limit))]
    else:  # merge: the page's stored records are among the first offset + limit in SQL's order
        keys = select(records.c.id, records.c.document_id, records.c.start).select_from(_JOIN).where(*conds)
        window = sorted(
            [
                ((r.document_id, r.start, False, r.id), r.id)
                for r in conn.execute(keys.order_by(records.c.document_id, records.c.ord).limit(offset + limit))
            ]
            + extra,
            key=lambda kv: kv[0],
        )[offset : offset + limit]
        ids = [v for _, v in window if isinstance(v, int)]
        stored = {row["id"]: row for _, row in map(record_fields, conn.execute(query.where(_among(ids))))}
        rows = [stored[v] if isinstance(v, int) else v for _, v in window]
    for row in rows:
        if row["correction"] is None:
            row["verdict"] = cache.verdicts.get(row["id"])
    return rows
