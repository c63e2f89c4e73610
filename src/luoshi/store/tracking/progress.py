"""Progress updates of a tracking item: appended (never edited), each one setting the item's
status, percent and value reached, in one transaction with its audit entry."""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import insert, select

from ...model import TRACKING_STATUSES as STATUSES
from ...track.evidence import local_or_web_link
from ...track.light import NEEDS_REASON
from ..audit import write as audit_write
from ..db import Database
from ..errors import StoreError
from ..projects import record_follow
from ..schema import progress_updates
from .items import check_version, get, save, snapshot, today_or


def add_progress(
    db: Database, actor: str, item_id: int, update_: dict, version: int | None = None, today: date | None = None
) -> dict:
    """Append a progress update (``date``, ``status``, ``percent``, ``value_reached``, ``note``,
    ``evidence_url``, ``reason``) and set the item's status and progress from it.  With
    ``version``, refused (Conflict) if the item changed since."""
    allowed = {"date", "status", "percent", "value_reached", "note", "evidence_url", "reason"}
    unknown = sorted(set(update_) - allowed)
    if unknown:
        raise StoreError(f"unknown field(s) {', '.join(unknown)}; a progress update has {', '.join(sorted(allowed))}")
    with db.write() as conn:
        before = get(conn, item_id, today_or(today))
        if version is not None:
            check_version(conn, before, version)
        p = _progress_fields(update_, before, today_or(today))
        now = datetime.now(timezone.utc)
        conn.execute(insert(progress_updates).values(item_id=item_id, author=actor, created_at=now, **p))
        values = {"status": p["status"], "reason": p["reason"]}
        if p["percent"] is not None:
            values["percent"] = p["percent"]
        if p["value_reached"] is not None:
            values["value_reached"] = p["value_reached"]
        save(conn, item_id, before["version"], values, actor, now)
        current = get(conn, item_id, today_or(today))
        after = {**snapshot(current), "progress": {k: v for k, v in p.items() if v is not None}}
        audit_write(conn, actor, "progress.add", "item", item_id, snapshot(before), after, now)
        return current


def _progress_fields(u: dict, item: dict, today: date) -> dict:
    status = u.get("status") or _status_from_progress(u, item["status"])
    if status not in STATUSES:
        raise StoreError(f"unknown status {status!r}; choose one of {', '.join(STATUSES)}")
    reason = (u.get("reason") or "").strip() or None
    if status in NEEDS_REASON and not reason:
        raise StoreError(f"say why the item is {status.replace('_', ' ')} (a reason)")
    on = u.get("date") or today.isoformat()
    try:
        on = (on if isinstance(on, date) else date.fromisoformat(str(on))).isoformat()
    except ValueError:
        raise StoreError(f"not a date: {on!r} (write 2025-06-30)") from None
    out = {
        "date": on,
        "status": status,
        "reason": reason,
        "note": (u.get("note") or "").strip() or None,
        "evidence_url": (u.get("evidence_url") or "").strip() or None,
    }
    for k in ("percent", "value_reached"):
        v = u.get(k)
        if v in (None, ""):
            out[k] = None
            continue
        try:
            out[k] = float(v)
        except (TypeError, ValueError):
            raise StoreError(f"{k} must be a number, not {v!r}") from None
        if out[k] != out[k] or out[k] in (float("inf"), float("-inf")):
            raise StoreError(f"{k} must be a finite number")
    if out["percent"] is not None and not 0 <= out["percent"] <= 100:
        raise StoreError("percent is between 0 and 100")
    if out["evidence_url"]:
        try:
            out["evidence_url"] = local_or_web_link(out["evidence_url"])
        except ValueError as e:  # //evil.example, /\evil.example: another site to a browser
            raise StoreError(str(e)) from None
    if status == "done" and out["percent"] is None:
        out["percent"] = 100.0
    return out


def _status_from_progress(u: dict, current: str) -> str:
    """An update that names no status: progress on an item not yet started starts it (40% done is
    on track, not 未启动), 100% finishes it; otherwise the status stays.

    >>> _status_from_progress({"percent": 40}, "not_started"), _status_from_progress({"percent": 100}, "not_started")
    ('on_track', 'done')
    >>> _status_from_progress({"note": "召开协调会"}, "not_started"), _status_from_progress({"percent": 40}, "behind")
    ('not_started', 'behind')
    """
    if current != "not_started":
        return current
    try:
        percent = float(u.get("percent")) if u.get("percent") not in (None, "") else None
    except (TypeError, ValueError):
        return current  # the number's own check says what is wrong
    if percent is not None and percent >= 100:
        return "done"
    if (percent or 0) > 0 or u.get("value_reached") not in (None, ""):
        return "on_track"
    return current


def get_item(db: Database, item_id: int, today: date | None = None) -> dict:
    """The item with its light, its progress updates (oldest first) and, for an item that follows
    a planned task, what the next year's report says of it (``follow``: a row of
    :data:`..projects.PROJECT_COLUMNS`, or None)."""
    with db.engine.connect() as conn:
        item = get(conn, item_id, today_or(today))
    has_record = item["document_id"] is not None and item["record_key"] is not None
    item["follow"] = record_follow(db, item["document_id"], item["record_key"]) if has_record else None
    return attach_progress(db, [item])[0]


def attach_progress(db: Database, items: list[dict]) -> list[dict]:
    """Give each item its ``progress`` list (one query for all)."""
    by_id = {i["id"]: i for i in items}
    for i in items:
        i["progress"] = []
    if not by_id:
        return items
    p = progress_updates.c
    with db.engine.connect() as conn:
        for r in conn.execute(select(progress_updates).where(p.item_id.in_(list(by_id))).order_by(p.date, p.id)):
            by_id[r.item_id]["progress"].append(
                {
                    "id": r.id,
                    "date": r.date,
                    "status": r.status,
                    "reason": r.reason,
                    "percent": r.percent,
                    "value_reached": r.value_reached,
                    "note": r.note,
                    "evidence_url": r.evidence_url,
                    "author": r.author,
                    "created_at": r.created_at.isoformat(timespec="seconds"),
                }
            )
    return items
