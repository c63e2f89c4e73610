"""The stored follow-through (:mod:`.follows`) as the pages read it.

* :func:`projects` — the scorecard's projects section: every project a region's report of a
  year planned, with what its report of the next year says (the pair :func:`.scorecard.scorecard`
  reads), in the report's order, and the tally by status;
* :func:`document_follows` — for the reader: the follow-through a report takes part in, as the
  planned report (its tasks' fate) or as the next year's (the tasks of the year before its
  records answer);
* :func:`record_follow` — for a tracking item: what the next year's report says of the task it
  follows.

Rows are flat (``PROJECT_COLUMNS``): the task's name, promised action, verb, evidence and span
in OLD with its current record id; status and progress; what NEW says (the name as written,
verb, clause, span, part) with the current id of the task record holding it, or None; both
reports' ids, file names and titles.  Where a
report was followed into several copies of the next year's report, the latest copy counts, as
for links.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import or_

from ..model import FOLLOW_STATUSES
from .db import Database
from .schema import follows
from .rows import pair_rows
from .scorecard import fresh, scored_pair

PROJECT_COLUMNS = (
    "region",
    "year",
    "object",
    "action",
    "verb",
    "status",
    "progress",
    "task_evidence",
    "task_start",
    "task_end",
    "task_id",
    "found_object",
    "found_verb",
    "found_part",
    "found_evidence",
    "found_start",
    "found_end",
    "found_id",
    "old_document_id",
    "old_document",
    "old_title",
    "new_document_id",
    "new_document",
    "new_title",
)


@dataclass
class ProjectListing:
    """Rows of ``PROJECT_COLUMNS`` and what they are (``title``)."""

    title: str
    rows: list[dict] = field(default_factory=list)

    @property
    def tally(self) -> dict[str, int]:
        counts = Counter(r["status"] for r in self.rows)
        return {s: counts.get(s, 0) for s in FOLLOW_STATUSES}


def _titles(old, new):
    return old.c.title.label("old_title"), new.c.title.label("new_title")


def _query(where):
    return pair_rows(follows, "task_key", "found_key", "task_id", "found_id", where, _titles)


def _row(r) -> dict:
    m = r._mapping
    task = json.loads(m["task"])
    found = json.loads(m["found"]) if m["found"] else {}
    return {
        "region": m["region"],
        "year": m["year"],
        "object": m["object"],
        "action": m["action"],
        "verb": task.get("verb"),
        "status": m["status"],
        "progress": m["progress"],
        "task_evidence": task.get("evidence"),
        "task_start": task.get("start"),
        "task_end": task.get("end"),
        "task_id": m["task_id"],
        "found_object": found.get("object"),
        "found_verb": found.get("verb"),
        "found_part": found.get("part"),
        "found_evidence": found.get("evidence"),
        "found_start": found.get("start"),
        "found_end": found.get("end"),
        "found_id": m["found_id"],
        "old_document_id": m["old_document_id"],
        "old_document": m["old_document"],
        "old_title": m["old_title"],
        "new_document_id": m["new_document_id"],
        "new_document": m["new_document"],
        "new_title": m["new_title"],
        "_task_key": m["task_key"],
        "_found_key": m["found_key"],
    }


def _public(row: dict) -> dict:
    return {k: v for k, v in row.items() if not k.startswith("_")}


def projects(db: Database, region: str, year: int) -> ProjectListing:
    """Every project ``region``'s report of ``year`` planned for that year, with what its report
    of ``year + 1`` says of it, in the report's order (``region`` as for the scorecard; both
    reports must be stored)."""
    fresh(db)
    with db.engine.connect() as conn:
        name, old, new = scored_pair(conn, region, year)
        rows = [
            _public(_row(r))
            for r in conn.execute(_query([follows.c.old_document_id == old[0], follows.c.new_document_id == new[0]]))
        ]
    return ProjectListing(f"{name} {year}: projects of {old[1]}, followed in {new[1]}", rows)


def document_follows(conn, document_id: int) -> dict[str, list[tuple[str, dict]]]:
    """Record key → ``[(side, row)]``: ``("task", row)`` for a task of this report that the
    next year's report was read for (the latest such report only), ``("found", row)`` for a
    task record of this report that answers a task of the year before."""
    planned: dict[str, dict] = {}
    out: dict[str, list[tuple[str, dict]]] = {}
    where = or_(follows.c.old_document_id == document_id, follows.c.new_document_id == document_id)
    for r in conn.execute(_query([where])):  # ordered by the next year's report: the latest last
        row = _row(r)
        if row["old_document_id"] == document_id and row["_task_key"] is not None:
            planned[row["_task_key"]] = row
        if row["new_document_id"] == document_id and row["_found_key"] is not None:
            out.setdefault(row["_found_key"], []).append(("found", _public(row)))
    for key, row in planned.items():
        out.setdefault(key, []).insert(0, ("task", _public(row)))
    return out


def record_follow(db: Database, document_id: int, key: str) -> dict | None:
    """What the latest stored report of the next year says of the task ``key`` of report
    ``document_id`` (a row of ``PROJECT_COLUMNS``), or None when no such report is stored or the
    record is no planned task."""
    where = [follows.c.old_document_id == document_id, follows.c.task_key == key]
    with db.engine.connect() as conn:
        found = [_row(r) for r in conn.execute(_query(where))]
    return _public(max(found, key=lambda r: r["new_document_id"])) if found else None
