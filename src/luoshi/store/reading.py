"""One stored report as the reader shows it: metadata, cleaned text, outline, records, links.

:func:`read_document` gathers everything the reader page (``/documents/ID``) needs in one
dict of plain values, which is also that page's JSON twin:

* ``document`` — id, name, region, level, years, title, format, source, speaker, date, the
  stored record count and ``counts`` of the records shown (targets, results, tasks);
* ``text`` — the cleaned text every offset refers to;
* ``sections`` — the outline (the ``sections`` table) with the number of records in each;
* ``records`` — :func:`.records.list_records` of the document, rejected ones included, each
  (without the document's id, name and region) with its stable ``key``, a ``ref`` that names
  it in the page (the record id, or ``a`` + the correction id for a record a reviewer added)
  and its ``links``: for a target the link to next year's result (``result``, ``result_id``,
  ``result_key``, ``new_document_id``, ``new_document``), for a result the links from last
  year's targets (``target``, ``target_id``, ``target_key``, ``old_document_id``,
  ``old_document``); each with ``verdict``, ``gap``, ``rule`` and ``indicator_id``.  The
  other record is as it was linked (corrections applied), its id the current one.  And its
  ``follow`` (:func:`.projects.document_follows`): for a task this report planned, what the
  next year's report says of it (``side: "task"``); for a task record of the next year's report,
  the planned task it answers (``side: "found"``); rows of ``PROJECT_COLUMNS``.
"""

from __future__ import annotations

import json
from bisect import bisect_left

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import aliased

from .db import Database
from .errors import NotFound
from .filters import document_year
from .projects import document_follows
from .records import list_records
from .schema import corrections, documents, links, records, sections

SECTION_FIELDS = ("ord", "level", "kind", "title", "path", "start", "end", "role", "year", "topic")


class DocumentNotFound(NotFound):
    """No stored document has the id asked for."""


def read_document(db: Database, document_id: int) -> dict:
    """The stored document ``document_id`` for reading (see the module docstring).

    Raises :class:`DocumentNotFound` when there is none.
    """
    with db.engine.connect() as conn:
        document, text = _document(conn, document_id)
        keys = dict(conn.execute(select(records.c.id, records.c.key).where(records.c.document_id == document_id)).all())
        added = iter(_added_ids(conn, document_id))
        outline = [
            {k: r._mapping[k] for k in SECTION_FIELDS}
            for r in conn.execute(
                select(sections).where(sections.c.document_id == document_id).order_by(sections.c.ord)
            )
        ]
        found = _links(conn, document_id)
        followed = document_follows(conn, document_id)
    rows = list_records(db, document=document_id, rejected=True)
    for row in rows:
        for k in ("document_id", "document", "region"):  # the document's, given once
            row.pop(k, None)
        row["key"] = keys.get(row["id"])
        row["ref"] = str(row["id"]) if row["id"] is not None else f"a{next(added, 0)}"
        row["links"] = []
        row["follow"] = [{"side": side, **f} for side, f in followed.get(row["key"], ())] if row["key"] else []
    _attach(rows, found, document_id)
    starts = sorted(r["start"] or 0 for r in rows)
    for s in outline:
        s["records"] = bisect_left(starts, s["end"]) - bisect_left(starts, s["start"])
    document["counts"] = {c: sum(_class(r) == c for r in rows) for c in ("target", "result", "task")}
    return {"document": document, "text": text, "sections": outline, "records": rows}


def _class(row: dict) -> str:
    return "task" if row["type"] == "task" else row["kind"]


def _document(conn, document_id: int) -> tuple[dict, str]:
    d = documents.c
    row = conn.execute(
        select(
            d.id,
            d.name,
            d.region,
            d.level,
            document_year().label("year"),
            d.year_delivered,
            d.year_reviewed,
            d.year_planned,
            d.title,
            d.format,
            d.source,
            d.speaker,
            d.date,
            d.n_records,
            d.text,
        ).where(d.id == document_id)
    ).first()
    if row is None:
        raise DocumentNotFound(f"no document with id {document_id}")
    meta = {k: v for k, v in row._mapping.items() if k not in ("n_records", "text")}
    meta["records"] = row.n_records
    return meta, row.text


def _added_ids(conn, document_id: int) -> list[int]:
    """The ids of the document's additions in the order :func:`list_records` lists them: the
    order :func:`.overlay.load` reads them, then (stable) by start."""
    c = corrections.c
    found = conn.execute(
        select(c.id, c.fields).where(c.document_id == document_id, c.action == "add").order_by(c.created_at, c.id)
    ).all()
    return [
        cid
        for cid, _ in sorted(((r.id, json.loads(r.fields).get("start") or 0) for r in found), key=lambda pair: pair[1])
    ]


_LINK_FIELDS = (
    "verdict",
    "gap",
    "rule",
    "indicator_id",
    "old_document_id",
    "new_document_id",
    "target_key",
    "result_key",
    "target",
    "result",
)


def _links_query():
    old, new = aliased(documents), aliased(documents)
    wanted = bindparam("document_id")
    return (
        select(*(links.c[k] for k in _LINK_FIELDS), old.c.name.label("old_document"), new.c.name.label("new_document"))
        .join(old, old.c.id == links.c.old_document_id)
        .join(new, new.c.id == links.c.new_document_id)
        .where(or_(links.c.old_document_id == wanted, links.c.new_document_id == wanted))
        .order_by(links.c.old_document_id, links.c.ord)
    )


_LINKS = _links_query()  # built once: aliasing ``documents`` costs more than running the query


def _links(conn, document_id: int) -> list[dict]:
    """The links the document takes part in (as OLD or NEW), with both documents' names and the
    current ids of both records, found by their keys."""
    found = []
    for r in conn.execute(_LINKS, {"document_id": document_id}):
        link = dict(r._mapping)
        if isinstance(link["gap"], float) and link["gap"].is_integer():
            link["gap"] = int(link["gap"])
        link["target"] = json.loads(link["target"])
        link["result"] = json.loads(link["result"]) if link["result"] else None
        found.append(link)
    involved = {lk["old_document_id"] for lk in found} | {lk["new_document_id"] for lk in found}
    ids = (
        {}
        if not found
        else {
            (r.document_id, r.key): r.id
            for r in conn.execute(
                select(records.c.document_id, records.c.key, records.c.id).where(records.c.document_id.in_(involved))
            )
        }
    )
    for lk in found:
        lk["target_id"] = ids.get((lk["old_document_id"], lk["target_key"]))
        lk["result_id"] = ids.get((lk["new_document_id"], lk["result_key"]))
    return found


def _side(link: dict, side: str) -> dict:
    """The link as a record of ``side`` (target or result) sees it: the other record and its
    document (a target's result, a result's target), verdict, gap and rule."""
    other, document = ("result", "new_document") if side == "target" else ("target", "old_document")
    return {
        "verdict": link["verdict"],
        "gap": link["gap"],
        "rule": link["rule"],
        "indicator_id": link["indicator_id"],
        f"{document}_id": link[f"{document}_id"],
        document: link[document],
        f"{other}_id": link[f"{other}_id"],
        f"{other}_key": link[f"{other}_key"],
        other: link[other],
    }


def _attach(rows: list[dict], found: list[dict], document_id: int) -> None:
    """Give each record the links it takes part in, found by its key (an added record, which
    has none, by its span and name)."""
    by_key = {r["key"]: r for r in rows if r["key"] is not None}
    by_span = {(r["start"], r["end"], r["indicator"]): r for r in rows if r["key"] is None}
    for link in found:
        for side, document in (("target", "old_document_id"), ("result", "new_document_id")):
            rec, key = link[side], link[f"{side}_key"]
            if rec is None or link[document] != document_id:
                continue
            row = by_key.get(key) if key is not None else by_span.get((rec["start"], rec["end"], rec.get("indicator")))
            if row is not None:
                row["links"].append(_side(link, side))
