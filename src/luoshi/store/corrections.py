"""Reviewers' corrections: fix a record's fields, reject a record, or add a missing one.

Corrections live in their own table, keyed by the document and the record's stable key
(``type|start|end|name|n``), so re-extraction, which replaces every record, keeps them; a
listing applies them (:func:`load`), and so do the links: a correction, and its removal,
links its document again in the same transaction (:func:`.links.relink`).

:func:`list_corrections` lists them, :func:`remove_correction` undoes one, and
:func:`export_gold` writes a document's records, corrections applied, in the format of the
gold files that ``shared/eval/score.py`` reads (:data:`GOLD_FIELDS`).
"""
from __future__ import annotations

import json
import math
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import and_, delete, insert, select

from ..model import INDICATOR_FIELDS, TASK_FIELDS
from . import audit
from .db import Database, opened
from .errors import NotFound, StoreError
from .filters import check_choice, document_conditions
from .schema import corrections, documents, records, sections

ACTIONS = ("fix", "reject", "add")
FIELDS = tuple(dict.fromkeys(INDICATOR_FIELDS + TASK_FIELDS)) + ("topic",)
TYPE_FIELDS = {"indicator": INDICATOR_FIELDS + ("topic",), "task": TASK_FIELDS + ("topic",)}
QUALIFIERS = ("about", "at_least", "at_most", "exact")
TASK_ACTIONS = ("start", "complete", "advance", "plan", "other")
CORRECTION_COLUMNS = ("id", "document_id", "document", "action", "record_key", "record_id", "fields", "reviewer",
                      "note", "created_at")
# The gold files' fields, in their order: a record's own fields without offsets, section and id.
GOLD_FIELDS = {t: tuple(f for f in fs if f not in ("indicator_id", "start", "end", "section", "topic"))
               for t, fs in TYPE_FIELDS.items()}

_CHOICE_FIELDS = ("kind", "type", "measure", "topic")
_OWN_CHOICES = {"qualifier": QUALIFIERS, "action": TASK_ACTIONS}
_NULLABLE = ("year", "value_max", "scope", "indicator_id", "topic")
_NOT_EMPTY = ("type", "kind", "indicator", "object", "evidence")
_REQUIRED = {"indicator": ("indicator", "measure", "value"), "task": ("action", "object")}
_DEFAULTS = {"indicator": {"year": None, "value_max": None, "unit": "", "qualifier": "exact", "estimated": False,
                           "scope": None, "indicator_id": None},
             "task": {"year": None, "verb": ""}}


def _checked(name: str, value):
    """``value`` if it suits the field ``name`` (integral numbers as ints), else StoreError."""
    if value is None:
        if name in _NULLABLE:
            return None
        raise StoreError(f"{name} cannot be null")
    if name in ("year", "start", "end"):
        if not isinstance(value, int) or isinstance(value, bool) or (name != "year" and value < 0):
            raise StoreError(f"{name} must be a whole number" + ("" if name == "year" else " ≥ 0"))
    elif name in ("value", "value_max"):
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
            raise StoreError(f"{name} must be a number")
        value = int(value) if isinstance(value, float) and value.is_integer() else value
    elif name == "estimated":
        if not isinstance(value, bool):
            raise StoreError("estimated must be true or false")
    elif not isinstance(value, str):
        raise StoreError(f"{name} must be text")
    elif name in _NOT_EMPTY and not value.strip():
        raise StoreError(f"{name} cannot be empty")
    if name in _CHOICE_FIELDS:
        check_choice(name, value)
    elif name in _OWN_CHOICES and value not in _OWN_CHOICES[name]:
        raise StoreError(f"unknown {name} {value!r}; choose one of {', '.join(_OWN_CHOICES[name])}")
    return value


def _check_fields(fields: dict) -> dict:
    unknown = sorted(set(fields) - set(FIELDS))
    if unknown:
        raise StoreError(f"unknown record field(s) {', '.join(unknown)}; fields are {', '.join(FIELDS)}")
    return {k: _checked(k, v) for k, v in fields.items()}


def _check_type_fields(type_: str, fields: dict) -> None:
    wrong = [k for k in fields if k not in TYPE_FIELDS[type_]]
    if wrong:
        raise StoreError(f"a {type_} record has no field(s) {', '.join(wrong)}")
    start, end = fields.get("start"), fields.get("end")
    if start is not None and end is not None and start >= end:
        raise StoreError("start must be before end")


def _anchor(conn, document_id: int, fields: dict) -> None:
    """Check ``start``/``end`` against the document's cleaned text and set ``evidence`` to the
    text there (a different evidence given is refused)."""
    if "start" not in fields and "end" not in fields:
        if "evidence" in fields:
            raise StoreError("evidence is the text at start:end: give start and end instead")
        return
    if "start" not in fields or "end" not in fields:
        raise StoreError("give both start and end")
    text = conn.execute(select(documents.c.text).where(documents.c.id == document_id)).scalar_one()
    start, end = fields["start"], fields["end"]
    if not 0 <= start < end <= len(text):
        raise StoreError(f"start and end must satisfy 0 ≤ start < end ≤ {len(text)} (the cleaned text's length)")
    evidence = text[start:end]
    if "evidence" in fields and fields["evidence"] != evidence:
        raise StoreError(f"evidence {fields['evidence']!r} is not the text at {start}:{end} ({evidence!r})")
    fields["evidence"] = evidence


def _section_at(conn, document_id: int, pos: int) -> str:
    """The heading path at ``pos``: the path of the innermost section around it."""
    s = sections.c
    return conn.execute(select(s.path).where(s.document_id == document_id, s.start <= pos, s.end > pos)
                        .order_by(s.start.desc(), s.level.desc()).limit(1)).scalar() or ""


def _complete_addition(conn, document_id: int, fields: dict) -> dict:
    from .topics import topic_for

    type_ = fields.get("type")
    missing = [k for k in ("type", "kind", "start", "end", "evidence") + _REQUIRED.get(type_, ())
               if fields.get(k) is None]
    if missing:
        raise StoreError(f"an added record needs {', '.join(missing)}")
    _check_type_fields(type_, fields)
    full = {**_DEFAULTS[type_], **fields}
    if "section" not in full:
        full["section"] = _section_at(conn, document_id, full["start"])
    if "topic" not in full:
        full["topic"] = topic_for(full["section"].split(" / ")[::-1] if full["section"] else [], None,
                                  full["evidence"], name=full.get("indicator") or full.get("object"))
    return {k: full[k] for k in TYPE_FIELDS[type_] if k in full}


def add_correction(db: Database | str | None, action: str, *, reviewer: str, record_id: int | None = None,
                   document_id: int | None = None, fields: dict | None = None, note: str | None = None,
                   anchored: bool = False) -> int:
    """Store a correction and return its id.

    ``fix``: ``record_id`` and the ``fields`` to set (fields of the record's type; not
    ``type``); ``reject``: ``record_id``; ``add``: ``document_id`` and the new record's
    ``fields`` (``type``, ``kind``, ``start``, ``end``, ``evidence``, and ``indicator``,
    ``measure``, ``value`` for an indicator or ``action``, ``object`` for a task; the rest
    default as in the spec, ``section`` and ``topic`` from the text).  ``anchored``: offsets
    must lie in the cleaned text, and ``evidence`` becomes the text at them (as the web app
    does).  ``reviewer`` says who; the time is recorded.  An unknown record or document
    raises :class:`.errors.NotFound`, a bad field :class:`StoreError`.
    """
    if action not in ACTIONS:
        raise StoreError(f"unknown correction {action!r}; choose one of {', '.join(ACTIONS)}")
    if not reviewer:
        raise StoreError("a correction needs a reviewer")
    fields = _check_fields(dict(fields or {}))
    database, owned = opened(db)
    try:
        with database.write() as conn:
            key = None
            if action in ("fix", "reject"):
                row = conn.execute(select(records.c.document_id, records.c.key, records.c.type)
                                   .where(records.c.id == record_id)).first()
                if row is None:
                    raise NotFound(f"no record with id {record_id}")
                document_id, key = row.document_id, row.key
                if action == "fix":
                    if not fields:
                        raise StoreError("a fix needs the fields it sets")
                    if "type" in fields:
                        raise StoreError("a fix cannot change a record's type: reject it and add a new one")
                    _check_type_fields(row.type, fields)
                    if anchored:
                        _anchor(conn, document_id, fields)
                elif fields:
                    raise StoreError("a rejection takes no fields")
            else:
                if conn.execute(select(documents.c.id).where(documents.c.id == document_id)).first() is None:
                    raise NotFound(f"no document with id {document_id}")
                if fields.get("type") is None:
                    raise StoreError("an added record needs type")
                if anchored:
                    _anchor(conn, document_id, fields)
                fields = _complete_addition(conn, document_id, fields)
            from .links import relink

            now = datetime.now(timezone.utc)
            correction_id = conn.execute(insert(corrections).values(
                document_id=document_id, action=action, record_key=key,
                fields=json.dumps(fields, ensure_ascii=False), reviewer=reviewer, note=note,
                created_at=now)).inserted_primary_key[0]
            audit.write(conn, reviewer, f"correction.{action}", "correction", correction_id, None,
                        {"document_id": document_id, "record_key": key, "fields": fields, "note": note}, now)
            relink(conn, document_id, now)
            return correction_id
    finally:
        if owned:
            database.close()


def load(conn, document_ids) -> tuple[dict, set, list]:
    """``(fixes, rejections, additions)`` for the documents: fixes maps (document id, key) to
    the merged fields (later fixes win), rejections is a set of (document id, key), additions
    a list of (document id, fields)."""
    fixes: dict[tuple[int, str], dict] = {}
    rejections: set[tuple[int, str]] = set()
    additions: list[tuple[int, dict]] = []
    query = select(corrections).order_by(corrections.c.created_at, corrections.c.id)
    if document_ids is not None:
        query = query.where(corrections.c.document_id.in_(document_ids))
    for c in conn.execute(query):
        fields = json.loads(c.fields)
        if c.action == "fix":
            fixes.setdefault((c.document_id, c.record_key), {}).update(fields)
        elif c.action == "reject":
            rejections.add((c.document_id, c.record_key))
        else:
            additions.append((c.document_id, fields))
    return fixes, rejections, additions


def remove_correction(db: Database | str | None, correction_id: int, actor: str = "cli") -> dict:
    """Undo a correction: delete it, link its document again, and return it (as listed by
    :func:`list_corrections`).  An unknown id raises :class:`.errors.NotFound`."""
    from .links import relink

    database, owned = opened(db)
    try:
        with database.write() as conn:
            row = _one(conn, correction_id)
            conn.execute(delete(corrections).where(corrections.c.id == correction_id))
            removed = _listed(row)
            audit.write(conn, actor, "correction.remove", "correction", correction_id, removed, None)
            relink(conn, row.document_id, datetime.now(timezone.utc))
            return removed
    finally:
        if owned:
            database.close()


def _listing():
    c, r = corrections.c, records.c
    return (select(corrections, documents.c.name.label("document"), r.id.label("record_id"))
            .join(documents, documents.c.id == c.document_id)
            .outerjoin(records, and_(r.document_id == c.document_id, r.key == c.record_key)))


def _one(conn, correction_id: int):
    """The correction's :func:`_listing` row; an unknown id raises :class:`.errors.NotFound`."""
    row = conn.execute(_listing().where(corrections.c.id == correction_id)).first()
    if row is None:
        raise NotFound(f"no correction with id {correction_id}")
    return row


def _listed(row) -> dict:
    m = row._mapping
    out = {k: m[k] for k in CORRECTION_COLUMNS}
    out["fields"] = json.loads(m["fields"])
    out["created_at"] = m["created_at"].isoformat(timespec="seconds") if m["created_at"] else None
    return out


def list_corrections(db: Database | str | None, *, document: str | int | None = None, reviewer: str | None = None,
                     action: str | None = None, limit: int | None = None) -> list[dict]:
    """Corrections, newest first, as dicts of ``CORRECTION_COLUMNS``: ``fields`` decoded,
    ``record_id`` the record the key names now (None for an addition, or a record that
    re-extraction no longer finds).  Filters: ``document`` (see
    :func:`.filters.document_conditions`), ``reviewer`` (exactly), ``action``."""
    if action is not None and action not in ACTIONS:
        raise StoreError(f"unknown correction {action!r}; choose one of {', '.join(ACTIONS)}")
    query = _listing().where(*document_conditions(None, None, document))
    if reviewer:
        query = query.where(corrections.c.reviewer == reviewer)
    if action:
        query = query.where(corrections.c.action == action)
    query = query.order_by(corrections.c.created_at.desc(), corrections.c.id.desc())
    if limit is not None:
        query = query.limit(limit)
    database, owned = opened(db)
    try:
        with database.engine.connect() as conn:
            return [_listed(row) for row in conn.execute(query)]
    finally:
        if owned:
            database.close()


def corrected_record(db: Database | str | None, correction_id: int) -> dict | None:
    """The record a correction is about as :func:`.queries.list_records` shows it now
    (rejected ones included), or None when it is no longer extracted."""
    from .queries import list_records

    database, owned = opened(db)
    try:
        with database.engine.connect() as conn:
            row = _one(conn, correction_id)
        shown = list_records(database, document=row.document_id, rejected=True)
        if row.action != "add":
            return next((r for r in shown if r["id"] is not None and r["id"] == row.record_id), None)
        fields = json.loads(row.fields)
        return next((r for r in shown if r["correction"] == "added" and all(r.get(k) == v for k, v in fields.items())),
                    None)
    finally:
        if owned:
            database.close()


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


def export_gold(db: Database | str | None, document: str | int | None = None) -> list[tuple[dict, list[dict]]]:
    """``(document, gold records)`` for each document with at least one correction, or for
    those ``document`` names (see :func:`.filters.document_conditions`; none raises
    :class:`.errors.NotFound`): every record of the document with corrections applied
    (rejected ones left out, added ones in), in document order, as :func:`gold_record`."""
    from .queries import list_documents, list_records

    database, owned = opened(db)
    try:
        if document is None:
            with database.engine.connect() as conn:
                ids = set(conn.execute(select(corrections.c.document_id).distinct()).scalars())
            docs = [d for d in list_documents(database) if d["id"] in ids]
        else:
            docs = list_documents(database, document=document)
            if not docs:
                raise NotFound(f"no stored report matches {document!r}")
        return [(d, [gold_record(r) for r in list_records(database, document=d["id"])]) for d in docs]
    finally:
        if owned:
            database.close()
