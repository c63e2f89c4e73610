"""Reviewers' corrections: fix a record's fields, reject a record, or add a missing one.

Corrections live in their own table, keyed by the document and the record's stable key
(``type|start|end|name|n``), so re-extraction, which replaces every record, keeps them; a
listing applies them (:func:`load`), and so do the links: a correction links its document
again in the same transaction (:func:`.links.relink`).
"""
from __future__ import annotations

import json
from datetime import datetime, timezone

from sqlalchemy import insert, select

from ..model import INDICATOR_FIELDS, TASK_FIELDS
from .db import Database, opened
from .errors import StoreError
from .filters import check_choice
from .schema import corrections, documents, records

ACTIONS = ("fix", "reject", "add")
FIELDS = tuple(dict.fromkeys(INDICATOR_FIELDS + TASK_FIELDS)) + ("topic",)
_CHOICE_FIELDS = ("kind", "type", "measure", "topic")


def _check_fields(fields: dict) -> None:
    unknown = sorted(set(fields) - set(FIELDS))
    if unknown:
        raise StoreError(f"unknown record field(s) {', '.join(unknown)}; fields are {', '.join(FIELDS)}")
    for name in _CHOICE_FIELDS:
        if name in fields:
            check_choice(name, fields[name])


def add_correction(db: Database | str | None, action: str, *, reviewer: str, record_id: int | None = None,
                   document_id: int | None = None, fields: dict | None = None, note: str | None = None) -> int:
    """Store a correction and return its id.

    ``fix``: ``record_id`` and the ``fields`` to set; ``reject``: ``record_id``; ``add``:
    ``document_id`` and the new record's ``fields`` (``type``, ``kind``, ``evidence``… as in
    the spec).  ``reviewer`` says who; the time is recorded.
    """
    if action not in ACTIONS:
        raise StoreError(f"unknown correction {action!r}; choose one of {', '.join(ACTIONS)}")
    if not reviewer:
        raise StoreError("a correction needs a reviewer")
    fields = dict(fields or {})
    _check_fields(fields)
    database, owned = opened(db)
    try:
        with database.engine.begin() as conn:
            key = None
            if action in ("fix", "reject"):
                row = conn.execute(select(records.c.document_id, records.c.key)
                                   .where(records.c.id == record_id)).first()
                if row is None:
                    raise StoreError(f"no record with id {record_id}")
                if action == "fix" and not fields:
                    raise StoreError("a fix needs the fields it sets")
                document_id, key = row.document_id, row.key
            else:
                if conn.execute(select(documents.c.id).where(documents.c.id == document_id)).first() is None:
                    raise StoreError(f"no document with id {document_id}")
                missing = [k for k in ("type", "kind", "evidence") if not fields.get(k)]
                if missing:
                    raise StoreError(f"an added record needs {', '.join(missing)}")
            from .links import relink

            now = datetime.now(timezone.utc)
            correction_id = conn.execute(insert(corrections).values(
                document_id=document_id, action=action, record_key=key,
                fields=json.dumps(fields, ensure_ascii=False), reviewer=reviewer, note=note,
                created_at=now)).inserted_primary_key[0]
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
