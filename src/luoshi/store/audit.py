"""The audit log: one row per change made through luoshi — who, when, what, before → after.

Writers call :func:`write` inside the transaction that makes the change, so a change and its
audit entry are committed together or not at all.  Nothing updates or deletes these rows.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from .db import Database
from .schema import audit_log

COLUMNS = ("id", "at", "actor", "action", "entity", "entity_id", "before", "after")


def _json(value) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def write(
    conn: Connection,
    actor: str,
    action: str,
    entity: str,
    entity_id,
    before=None,
    after=None,
    at: datetime | None = None,
) -> None:
    """Append one entry (``before``/``after`` are JSON-able; None for a creation/deletion)."""
    conn.execute(
        insert(audit_log).values(
            at=at or datetime.now(timezone.utc),
            actor=actor,
            action=action,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
            before=_json(before),
            after=_json(after),
        )
    )


def entries(
    db: Database, *, entity: str | None = None, entity_id=None, actor: str | None = None, limit: int | None = None
) -> list[dict]:
    """Entries, newest first, with ``before``/``after`` decoded."""
    a = audit_log.c
    query = select(audit_log).order_by(a.id.desc())
    if entity:
        query = query.where(a.entity == entity)
    if entity_id is not None:
        query = query.where(a.entity_id == str(entity_id))
    if actor:
        query = query.where(a.actor == actor)
    if limit:
        query = query.limit(limit)
    with db.engine.connect() as conn:
        return [
            {
                "id": r.id,
                "at": r.at.isoformat(timespec="seconds"),
                "actor": r.actor,
                "action": r.action,
                "entity": r.entity,
                "entity_id": r.entity_id,
                "before": json.loads(r.before) if r.before else None,
                "after": json.loads(r.after) if r.after else None,
            }
            for r in conn.execute(query)
        ]


def changed(before: dict | None, after: dict | None) -> dict:
    """The fields that differ: name → (before, after).

    >>> changed({"a": 1, "b": 2}, {"a": 1, "b": 3})
    {'b': (2, 3)}
    """
    before, after = before or {}, after or {}
    return {k: (before.get(k), after.get(k)) for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)}
