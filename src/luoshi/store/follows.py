"""Follow-through kept in the ``follows`` table: what the report of year N+1 says of each project
the report of year N planned (shared/spec/follow.md, :func:`luoshi.link.follow.follow_documents`).

Kept exactly as links are (:mod:`.links`, whose :func:`~.links.relink` calls :func:`follow_pair`
beside :func:`~.links.link_pair` and deletes both together): derived data, never patched,
computed again in the transaction of any change to either report (import, re-extraction,
correction), from the reports rebuilt from the store with corrections applied; the linker
version (:func:`.versions.linker_version`) covers this module and the tables the follow-through
reads, so a change to them follows every report again.  Storing rather than computing on each
reading: a pair costs some tens of milliseconds to follow, but a reading would first have to
rebuild both reports from the store (more than that again), and three pages read it — the
scorecard, the reader's card, a tracking item — the last two one record at a time.

Each row keeps the task's stable key in OLD (as links and corrections do), the task as followed
(JSON), the status and progress, what was found (JSON, or None) and the key of NEW's task record
that holds the mention when one does (the reader opens that record's card; otherwise it shows
the span).
"""

from __future__ import annotations

import json

from sqlalchemy.engine import Connection

from ..link.follow import follow_documents
from ..model import Task
from .bulk import insert_rows
from .restore import Restored
from .rows import record_row
from .schema import follows


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def holder(new: Restored, found: dict | None) -> str | None:
    """The key of NEW's task record whose span holds the mention ``found`` (the narrowest; one
    naming the same object first), or None."""
    if not found:
        return None
    start, end = found["start"], found["end"]
    best = None
    for rec in new.document.records:
        if isinstance(rec, Task) and rec.start <= start and end <= rec.end:
            rank = (rec.object != found["object"], rec.end - rec.start)
            if best is None or rank < best[0]:
                best = (rank, rec)
    return new.key(best[1]) if best else None


def follow_pair(conn: Connection, old: Restored, new: Restored, region: str, year: int) -> int:
    """Follow OLD's planned projects into NEW and insert the rows; return how many."""
    rows = []
    for i, f in enumerate(follow_documents(old.document, new.document)):
        rows.append(
            {
                "old_document_id": old.id,
                "new_document_id": new.id,
                "ord": i,
                "region": region,
                "year": year,
                "object": f.task.object,
                "action": f.task.action,
                "task_key": old.key(f.task),
                "task": _json(record_row(f.task)),
                "status": f.status,
                "progress": f.progress,
                "found": _json(f.found) if f.found else None,
                "found_key": holder(new, f.found),
            }
        )
    insert_rows(conn, follows, rows)
    return len(rows)
