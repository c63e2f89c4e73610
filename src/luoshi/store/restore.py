"""A stored report back as a :class:`luoshi.model.Document`, so that the library's functions
(``link_documents``, ``diff_documents``) run on it unchanged.

Everything comes from what the store keeps — metadata, outline, raw and cleaned text, the
offset map and the records (in document order) — nothing is extracted again, so every offset
is the one stored.  Reviewers' corrections are applied by default (a fixed record carries its
corrected fields, a rejected one is left out, an added one is placed by its start), as in the
listings; an indicator a correction left without a value is left out.  The outline keeps what
the store keeps of it: nodes with their spans, role, year and lead sentence, not the sentence
spans.

A document is named by its id or by a prefix of its content hash (:func:`find_document`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, fields

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ..link.linker import results_of
from ..model import Document, Indicator, Metadata, OutlineNode, Record, Task
from .db import Database
from .errors import StoreError
from .offsets import unpack
from .overlay import load as load_corrections
from .schema import documents, records

HASH_PREFIX = re.compile(r"[0-9a-f]{6,64}")  # at least six hex digits name a document by its hash
_META_FIELDS = tuple(f.name for f in fields(Metadata))
_FIELDS = {"indicator": {f.name for f in fields(Indicator)}, "task": {f.name for f in fields(Task)}}
_REQUIRED = {"year": None, "start": 0, "end": 0, "evidence": "", "section": ""}


@dataclass
class Restored:
    """A rebuilt document, its id, and the stable key of each of its records (by ``id()`` of
    the record object; None for a record a reviewer added)."""

    id: int
    document: Document
    name: str
    keys: dict[int, str | None] = field(default_factory=dict)
    _results: tuple | None = field(default=None, repr=False, compare=False)

    def key(self, rec: Record | None) -> str | None:
        return None if rec is None else self.keys.get(id(rec))

    def results(self) -> tuple:
        """The document's results as linking compares them (:func:`luoshi.link.linker.results_of`),
        made once: a report restored for an import run is linked with several others."""
        if self._results is None:
            self._results = results_of(self.document)
        return self._results


def find_document(conn: Connection, ref: str | int) -> int:
    """The id of the stored document ``ref`` names: its id (digits) or a prefix of at least six
    hex digits of its content hash, matching one document only."""
    value = str(ref).strip().lower()
    if value.isdecimal() and len(value) <= 18:  # a row id (longer: a name or hash)
        row = conn.execute(select(documents.c.id).where(documents.c.id == int(value))).first()
        if row is None:
            raise StoreError(f"no stored document with id {value}")
        return row.id
    if not HASH_PREFIX.fullmatch(value):
        raise StoreError(f"{ref!r} is neither a file nor a stored document (an id, or 6+ hex digits of its hash)")
    ids = (
        conn.execute(
            select(documents.c.id).where(documents.c.content_hash.startswith(value)).order_by(documents.c.id).limit(3)
        )
        .scalars()
        .all()
    )
    if not ids:
        raise StoreError(f"no stored document with a hash starting {value}")
    if len(ids) > 1:
        raise StoreError(f"hash prefix {value} names several documents ({', '.join(map(str, ids))}…): give more digits")
    return ids[0]


def outline_node(d: dict) -> OutlineNode:
    """An :class:`OutlineNode` from ``OutlineNode.to_dict()`` (the stored outline JSON)."""
    return OutlineNode(
        level=d["level"],
        kind=d["kind"],
        title=d["title"],
        start=d["start"],
        end=d["end"],
        role=d.get("role"),
        year=d.get("year"),
        lead=d.get("lead"),
        children=[outline_node(c) for c in d.get("children", ())],
    )


def _stored_indicator(m) -> Indicator:
    """An indicator from a ``records`` row (all columns present, as stored)."""
    value_max, estimated = m["value_max"], m["estimated"]
    return Indicator(
        type="indicator",
        kind=m["kind"],
        year=m["year"],
        start=m["start"],
        end=m["end"],
        evidence=m["evidence"],
        section=m["section"],
        indicator=m["indicator"],
        measure=m["measure"],
        value=float(m["value"]),
        value_max=None if value_max is None else float(value_max),
        unit=m["unit"],
        qualifier=m["qualifier"],
        estimated=None if estimated is None else bool(estimated),
        scope=m["scope"],
        indicator_id=m["indicator_id"],
        topic=m["topic"],
    )


def make_record(row: dict) -> Record:
    """An :class:`Indicator` or :class:`Task` from a record's fields (unknown keys ignored,
    missing span and section as empty).

    >>> make_record({"type": "indicator", "kind": "target", "year": 2025, "indicator": "GDP",
    ...              "value": 5.0, "unit": "%", "topic": "economy"}).value
    5.0
    """
    kind = "indicator" if row.get("type") == "indicator" else "task"
    values = {**_REQUIRED, **{k: v for k, v in row.items() if k in _FIELDS[kind]}}
    for k in ("start", "end"):
        values[k] = values[k] or 0
    values["evidence"] = values["evidence"] or ""
    values["section"] = values["section"] or ""
    if kind == "indicator":
        for k in ("value", "value_max"):
            if values.get(k) is not None:
                values[k] = float(values[k])
        if values.get("estimated") is not None:
            values["estimated"] = bool(values["estimated"])
        return Indicator(**values)
    return Task(**values)


def restore(conn: Connection, document_id: int, corrected: bool = True, for_linking: bool = False) -> Restored:
    """The stored document ``document_id`` as a :class:`Document` with its records.

    ``for_linking``: only what :func:`luoshi.link.link_documents` and
    :func:`luoshi.link.follow.follow_documents` read — no raw text or offset map — for the
    store's own linking (:mod:`.links`).
    """
    cols = [c for c in documents.columns if not (for_linking and c.name in ("raw", "offsets"))]
    d = conn.execute(select(*cols).where(documents.c.id == document_id)).first()
    if d is None:
        raise StoreError(f"no stored document with id {document_id}")
    dm = d._mapping
    doc = Document(
        source=dm["source"],
        format=dm["format"],
        raw="" if for_linking else dm["raw"],
        text=dm["text"],
        offsets=[] if for_linking else unpack(dm["offsets"]),
        metadata=Metadata(**{k: dm[k] for k in _META_FIELDS}),
        outline=outline_node(json.loads(dm["outline"])),
        warnings=json.loads(dm["warnings"]),
    )
    fixes, rejections, additions = load_corrections(conn, [document_id]) if corrected else ({}, set(), [])
    out = Restored(document_id, doc, dm["name"])
    query = select(records).where(records.c.document_id == document_id).order_by(records.c.ord)
    for r in conn.execute(query):
        m = r._mapping
        k = (document_id, m["key"])
        if k in rejections:
            continue
        if k in fixes:
            rec = make_record({**m, **fixes[k]})
        elif m["type"] == "indicator" and m["value"] is not None:
            rec = _stored_indicator(m)  # the common case, four times faster
        else:
            rec = make_record(dict(m))
        if _valueless(rec):
            continue
        doc.records.append(rec)
        out.keys[id(rec)] = m["key"]
    for _, added in additions:
        rec = make_record(added)
        if _valueless(rec):
            continue
        at = next((i for i, other in enumerate(doc.records) if other.start > rec.start), len(doc.records))
        doc.records.insert(at, rec)
        out.keys[id(rec)] = None
    return out


def from_payload(document_id: int, p: dict) -> Restored:
    """A document just written from an extraction payload (:func:`luoshi.importing.worker.payload`), for
    linking, without reading it back: what ``restore(..., for_linking=True)`` would give (a new
    document has no corrections)."""
    doc = Document(
        source=p["source"],
        format=p["format"],
        raw="",
        text=p["text"],
        offsets=[],
        metadata=Metadata(**{k: p[k] for k in _META_FIELDS}),
        outline=outline_node(p["outline"]),
        warnings=list(p["warnings"]),
    )
    out = Restored(document_id, doc, p["name"])
    for row in p["records"]:
        if row["type"] == "task" or row.get("value") is not None:
            rec = make_record(row)
            doc.records.append(rec)
            out.keys[id(rec)] = row["key"]
    return out


def _valueless(rec: Record) -> bool:
    return isinstance(rec, Indicator) and rec.value is None


def load_document(db: Database, ref: str | int, corrected: bool = True) -> Document:
    """The stored document ``ref`` names (:func:`find_document`) as a :class:`Document`."""
    with db.engine.connect() as conn:
        return restore(conn, find_document(conn, ref), corrected).document
