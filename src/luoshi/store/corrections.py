"""Reviewers' corrections: fix a record's fields, reject a record, or add a missing one.

Corrections live in their own table, keyed by the document and the record's stable key
(``type|start|end|name|n``), so re-extraction, which replaces every record, keeps them; a
listing applies them (:mod:`.overlay`), and so do the links: a correction, and its removal,
links its document again in the same transaction (:func:`.links.relink`).

:func:`list_corrections` lists them and :func:`remove_correction` undoes one; :mod:`.gold`
writes a document's records, corrections applied, in the format of the gold files.
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timezone

from sqlalchemy import and_, delete, insert, select
from sqlalchemy.engine import Connection

from ..extraction.topics import topic_for
from ..model import INDICATOR_FIELDS, QUALIFIERS, TASK_ACTIONS, TASK_FIELDS
from .audit import write as audit_write
from .db import Database
from .errors import NotFound, StoreError
from .filters import check_choice, document_conditions
from .links import relink
from .records import list_records
from .schema import corrections, documents, records, sections

ACTIONS = ("fix", "reject", "add")
FIELDS = tuple(dict.fromkeys(INDICATOR_FIELDS + TASK_FIELDS))
TYPE_FIELDS = {"indicator": INDICATOR_FIELDS, "task": TASK_FIELDS}
CORRECTION_COLUMNS = (
    "id",
    "document_id",
    "document",
    "action",
    "record_key",
    "record_id",
    "fields",
    "reviewer",
    "note",
    "created_at",
)

_CHOICE_FIELDS = ("kind", "type", "measure", "topic")
_OWN_CHOICES = {"qualifier": QUALIFIERS, "action": TASK_ACTIONS}
_NULLABLE = ("year", "value_max", "scope", "indicator_id", "topic")
_NOT_EMPTY = ("type", "kind", "indicator", "object", "evidence")
_REQUIRED = {"indicator": ("indicator", "measure", "value"), "task": ("action", "object")}
_DEFAULTS = {
    "indicator": {
        "year": None,
        "value_max": None,
        "unit": "",
        "qualifier": "exact",
        "estimated": False,
        "scope": None,
        "indicator_id": None,
    },
    "task": {"year": None, "verb": ""},
}


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
    return (
        conn.execute(
            select(s.path)
            .where(s.document_id == document_id, s.start <= pos, s.end > pos)
            .order_by(s.start.desc(), s.level.desc())
            .limit(1)
        ).scalar()
        or ""
    )


def _complete_addition(conn, document_id: int, fields: dict) -> dict:
    type_ = fields.get("type")
    missing = [
        k for k in ("type", "kind", "start", "end", "evidence") + _REQUIRED.get(type_, ()) if fields.get(k) is None
    ]
    if missing:
        raise StoreError(f"an added record needs {', '.join(missing)}")
    _check_type_fields(type_, fields)
    full = {**_DEFAULTS[type_], **fields}
    if "section" not in full:
        full["section"] = _section_at(conn, document_id, full["start"])
    if "topic" not in full:
        full["topic"] = topic_for(
            full["section"].split(" / ")[::-1] if full["section"] else [],
            None,
            full["evidence"],
            name=full.get("indicator") or full.get("object"),
        )
    return {k: full[k] for k in TYPE_FIELDS[type_] if k in full}


def add_correction(
    db: Database,
    action: str,
    *,
    reviewer: str,
    record_id: int | None = None,
    document_id: int | None = None,
    fields: dict | None = None,
    note: str | None = None,
    anchored: bool = False,
) -> int:
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
    with db.write() as conn:
        if action == "add":
            key, fields = None, _addition(conn, document_id, fields, anchored)
        else:
            document_id, key = _record_change(conn, action, record_id, fields, anchored)
        now = datetime.now(timezone.utc)
        correction_id = conn.execute(
            insert(corrections).values(
                document_id=document_id,
                action=action,
                record_key=key,
                fields=json.dumps(fields, ensure_ascii=False),
                reviewer=reviewer,
                note=note,
                created_at=now,
            )
        ).inserted_primary_key[0]
        audit_write(
            conn,
            reviewer,
            f"correction.{action}",
            "correction",
            correction_id,
            None,
            {"document_id": document_id, "record_key": key, "fields": fields, "note": note},
            now,
        )
        relink(conn, document_id, now)
        return correction_id


def _record_change(
    conn: Connection, action: str, record_id: int | None, fields: dict, anchored: bool
) -> tuple[int, str]:
    """``(document id, record key)`` of the record a fix or rejection is about, its ``fields``
    checked (and anchored in the text) for a fix."""
    row = conn.execute(
        select(records.c.document_id, records.c.key, records.c.type).where(records.c.id == record_id)
    ).first()
    if row is None:
        raise NotFound(f"no record with id {record_id}")
    if action == "fix":
        if not fields:
            raise StoreError("a fix needs the fields it sets")
        if "type" in fields:
            raise StoreError("a fix cannot change a record's type: reject it and add a new one")
        _check_type_fields(row.type, fields)
        if anchored:
            _anchor(conn, row.document_id, fields)
    elif fields:
        raise StoreError("a rejection takes no fields")
    return row.document_id, row.key


def _addition(conn: Connection, document_id: int | None, fields: dict, anchored: bool) -> dict:
    """The complete fields of a record added to ``document_id`` (checked, anchored, defaults filled)."""
    if conn.execute(select(documents.c.id).where(documents.c.id == document_id)).first() is None:
        raise NotFound(f"no document with id {document_id}")
    if fields.get("type") is None:
        raise StoreError("an added record needs type")
    if anchored:
        _anchor(conn, document_id, fields)
    return _complete_addition(conn, document_id, fields)


def remove_correction(db: Database, correction_id: int, actor: str = "cli") -> dict:
    """Undo a correction: delete it, link its document again, and return it (as listed by
    :func:`list_corrections`).  An unknown id raises :class:`.errors.NotFound`."""
    with db.write() as conn:
        row = _one(conn, correction_id)
        conn.execute(delete(corrections).where(corrections.c.id == correction_id))
        removed = _listed(row)
        audit_write(conn, actor, "correction.remove", "correction", correction_id, removed, None)
        relink(conn, row.document_id, datetime.now(timezone.utc))
        return removed


def _listing():
    c, r = corrections.c, records.c
    return (
        select(corrections, documents.c.name.label("document"), r.id.label("record_id"))
        .join(documents, documents.c.id == c.document_id)
        .outerjoin(records, and_(r.document_id == c.document_id, r.key == c.record_key))
    )


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


def list_corrections(
    db: Database,
    *,
    document: str | int | None = None,
    reviewer: str | None = None,
    action: str | None = None,
    limit: int | None = None,
) -> list[dict]:
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
    with db.engine.connect() as conn:
        return [_listed(row) for row in conn.execute(query)]


def corrected_record(db: Database, correction_id: int) -> dict | None:
    """The record a correction is about as :func:`.records.list_records` shows it now
    (rejected ones included), or None when it is no longer extracted."""
    with db.engine.connect() as conn:
        row = _one(conn, correction_id)
    shown = list_records(db, document=row.document_id, rejected=True)
    if row.action != "add":
        return next((r for r in shown if r["id"] is not None and r["id"] == row.record_id), None)
    fields = json.loads(row.fields)
    return next(
        (r for r in shown if r["correction"] == "added" and all(r.get(k) == v for k, v in fields.items())), None
    )
