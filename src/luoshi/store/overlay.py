"""Reviewers' corrections as every reading applies them over the extracted records.

A correction is keyed by its document and the record's stable key (:mod:`.rows`), so it
outlives re-extraction; :func:`load` gives a set of documents' corrections in the form the
listings (:mod:`.records`, :mod:`.browse`) and the restored documents (:mod:`.restore`) apply:
a fixed record shows its corrected fields, a rejected one is hidden, an added one included.
"""

from __future__ import annotations

import json

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from .schema import corrections, records


def load(conn: Connection, document_ids) -> tuple[dict, set, list]:
    """``(fixes, rejections, additions)`` for the documents (an id list or a subquery; None:
    all): fixes maps (document id, key) to the merged fields (later fixes win), rejections is a
    set of (document id, key), additions a list of (document id, fields)."""
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


def unmatched(conn: Connection, document_id: int) -> int:
    """How many fixes and rejections of the document name a record key it no longer has (after
    a re-extraction)."""
    keys = select(records.c.key).where(records.c.document_id == document_id)
    return conn.execute(
        select(func.count())
        .select_from(corrections)
        .where(
            corrections.c.document_id == document_id,
            corrections.c.record_key.is_not(None),
            corrections.c.record_key.not_in(keys),
        )
    ).scalar_one()
