"""Tracking items: what a supervision office follows, who leads it, by when, and how it goes.

An item follows an extracted record (a target or a task, by its document and stable key, so
it survives re-extraction) or stands alone.  Every write is one transaction that also appends
one :mod:`.audit` entry.  Changes carry the ``version`` the editor saw: a change against an
older version raises :class:`.errors.Conflict` with the item as it is now and what changed,
so no update is lost silently.  Progress updates are appended (never edited) and set the
item's status, percent and value reached.
"""
from __future__ import annotations

import json
from datetime import date, datetime, timezone

from sqlalchemy import and_, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from ..track.dates import DeadlineError, parse_deadline
from ..track.evidence import local_or_web_link
from ..track.light import NEEDS_REASON, STATUSES, light, why
from . import audit
from .db import Database, opened
from .errors import Conflict, NotFound, StoreError
from .schema import audit_log, documents, progress_updates, records, tracking_items

EDITABLE = ("title", "lead_unit", "supporting_units", "deadline", "milestones", "status", "reason")
ITEM_COLUMNS = ("id", "title", "region", "year", "lead_unit", "supporting_units", "deadline", "status", "reason",
                "percent", "value_reached", "light", "light_reason", "document_id", "record_id", "record_key",
                "version", "updated_by", "updated_at")


def _today(today: date | None) -> date:
    return today or date.today()


def _clean(fields: dict, year: int | None) -> dict:
    """Checked and normalised editable fields (unknown names, bad statuses and dates refused)."""
    unknown = sorted(set(fields) - set(EDITABLE))
    if unknown:
        raise StoreError(f"unknown field(s) {', '.join(unknown)}; fields are {', '.join(EDITABLE)}")
    out = dict(fields)
    if "title" in out:
        out["title"] = (out["title"] or "").strip()
        if not out["title"]:
            raise StoreError("an item needs a title")
    for name in ("lead_unit", "reason"):
        if name in out:
            out[name] = (out[name] or "").strip() or None
    if "supporting_units" in out:
        units = out["supporting_units"] or []
        if isinstance(units, str):
            units = split_units(units)
        out["supporting_units"] = [str(u).strip() for u in units if str(u).strip()]
    if "deadline" in out:
        try:
            d = parse_deadline(out["deadline"], year)
        except DeadlineError as e:
            raise StoreError(str(e)) from None
        out["deadline"] = d.isoformat() if d else None
    if "milestones" in out:
        milestones = []
        for m in out["milestones"] or []:
            if not isinstance(m, dict) or not str(m.get("text") or "").strip():
                raise StoreError("a milestone is {\"due\": date, \"text\": what is due}")
            try:
                due = parse_deadline(m.get("due"), year)
            except DeadlineError as e:
                raise StoreError(str(e)) from None
            milestones.append({"due": due.isoformat() if due else None, "text": str(m["text"]).strip()})
        out["milestones"] = sorted(milestones, key=lambda m: m["due"] or "9999")
    if "status" in out and out["status"] not in STATUSES:
        raise StoreError(f"unknown status {out['status']!r}; choose one of {', '.join(STATUSES)}")
    return out


def split_units(text: str) -> list[str]:
    """``市发改委、市财政局，各区县`` → three units.

    >>> split_units("市发改委、市财政局，各区（县、市）政府")
    ['市发改委', '市财政局', '各区（县、市）政府']
    """
    units, depth, current = [], 0, ""
    for ch in text:
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        if depth == 0 and ch in "、，,；;/\n":
            units.append(current)
            current = ""
        else:
            current += ch
    units.append(current)
    return [u.strip() for u in units if u.strip()]


def _need_reason(item: dict) -> None:
    if item["status"] in NEEDS_REASON and not item.get("reason"):
        raise StoreError(f"say why the item is {item['status'].replace('_', ' ')} (a reason)")


def _row(r, today: date) -> dict:
    m = dict(r._mapping)
    item = {k: m.get(k) for k in ("id", "title", "region", "year", "lead_unit", "deadline", "status", "reason",
                                  "percent", "value_reached", "document_id", "record_key", "version",
                                  "created_by", "updated_by")}
    item["supporting_units"] = json.loads(m["supporting_units"])
    item["milestones"] = json.loads(m["milestones"])
    item["record_id"] = m.get("record_id")
    for k in ("created_at", "updated_at"):
        item[k] = m[k].isoformat(timespec="seconds") if m.get(k) else None
    start = m["created_at"].date() if m.get("created_at") else None
    if item["year"] and start and start.year < item["year"]:
        start = date(item["year"], 1, 1)
    deadline = date.fromisoformat(item["deadline"]) if item["deadline"] else None
    item["light"] = light(item["status"], deadline, today, item["percent"], start)
    item["light_reason"] = why(item["status"], deadline, today, item["percent"], start)
    return item


def _select():
    record_id = (select(records.c.id).where(records.c.document_id == tracking_items.c.document_id,
                                            records.c.key == tracking_items.c.record_key)
                 .limit(1).scalar_subquery())
    return select(tracking_items, record_id.label("record_id"))


def _snapshot(item: dict) -> dict:
    """The stored fields of an item, as audited."""
    return {k: item.get(k) for k in ("title", "region", "year", "lead_unit", "supporting_units", "deadline",
                                     "milestones", "status", "reason", "percent", "value_reached", "document_id",
                                     "record_key", "version")}


def _get(conn: Connection, item_id: int, today: date) -> dict:
    r = conn.execute(_select().where(tracking_items.c.id == item_id)).first()
    if r is None:
        raise NotFound(f"no tracking item {item_id}")
    return _row(r, today)


def create_item(db: Database | str | None, actor: str, fields: dict, *, record_id: int | None = None,
                region: str | None = None, year: int | None = None, today: date | None = None) -> dict:
    """A new item, following record ``record_id`` (its evidence is the default title) or free.

    A record is followed by at most one item (a unique index on document and record key): asking
    again, even at the same moment, raises :class:`Conflict` with the item that follows it.
    """
    database, owned = opened(db)
    try:
        try:
            with database.write() as conn:
                return _create(conn, actor, fields, record_id, region, year, _today(today))
        except IntegrityError:  # another request made the record's item after this one looked
            with database.engine.connect() as conn:
                taken = _record_item(conn, record_id) if record_id is not None else None
                if taken is None:
                    raise
                raise Conflict(f"record {record_id} is already tracked as item {taken}",
                               current=_get(conn, taken, _today(today))) from None
    finally:
        if owned:
            database.close()


def _record_item(conn: Connection, record_id: int) -> int | None:
    """The id of the item following record ``record_id``, if any."""
    t = tracking_items.c
    return conn.execute(select(t.id).join(records, and_(records.c.document_id == t.document_id,
                                                        records.c.key == t.record_key))
                        .where(records.c.id == record_id)).scalar()


def _create(conn: Connection, actor: str, fields: dict, record_id: int | None, region: str | None,
            year: int | None, today: date) -> dict:
    document_id = key = None
    if record_id is not None:
        rec = conn.execute(select(records.c.document_id, records.c.key, records.c.evidence, records.c.year,
                                  records.c.kind, documents.c.region)
                           .join(documents, documents.c.id == records.c.document_id)
                           .where(records.c.id == record_id)).first()
        if rec is None:
            raise NotFound(f"no record with id {record_id}")
        taken = _record_item(conn, record_id)
        if taken is not None:
            raise Conflict(f"record {record_id} is already tracked as item {taken}", current=_get(conn, taken, today))
        document_id, key = rec.document_id, rec.key
        region = region or rec.region
        year = year or rec.year
        fields = {"title": rec.evidence, **fields}
    item = {"title": None, "lead_unit": None, "supporting_units": [], "deadline": None, "milestones": [],
            "status": "not_started", "reason": None}
    item.update(_clean(fields, year))
    if not item["title"]:
        raise StoreError("an item needs a title")
    _need_reason(item)
    now = datetime.now(timezone.utc)
    values = {**item, "supporting_units": json.dumps(item["supporting_units"], ensure_ascii=False),
              "milestones": json.dumps(item["milestones"], ensure_ascii=False)}
    item_id = conn.execute(insert(tracking_items).values(
        **values, document_id=document_id, record_key=key, region=region, year=year, percent=None,
        value_reached=None, version=1, created_by=actor, created_at=now, updated_by=actor,
        updated_at=now)).inserted_primary_key[0]
    created = _get(conn, item_id, today)
    audit.write(conn, actor, "item.create", "item", item_id, None, _snapshot(created), now)
    return created


def update_item(db: Database | str | None, actor: str, item_id: int, version: int, changes: dict,
                today: date | None = None) -> dict:
    """Apply ``changes`` (fields of ``EDITABLE``) to the item, if it is still at ``version``."""
    database, owned = opened(db)
    try:
        with database.write() as conn:
            before = _get(conn, item_id, _today(today))
            _check_version(conn, before, version)
            changes = _clean(changes, before["year"])
            after = {**before, **changes}
            _need_reason(after)
            if not audit.changed(_snapshot(before), _snapshot(after)):
                return before
            now = datetime.now(timezone.utc)
            values = dict(changes)
            for k in ("supporting_units", "milestones"):
                if k in values:
                    values[k] = json.dumps(values[k], ensure_ascii=False)
            _write(conn, item_id, version, values, actor, now)
            current = _get(conn, item_id, _today(today))
            audit.write(conn, actor, "item.update", "item", item_id, _snapshot(before), _snapshot(current), now)
            return current
    finally:
        if owned:
            database.close()


def _check_version(conn: Connection, item: dict, version: int) -> None:
    if version != item["version"]:
        since = _changes_since(conn, item["id"], version)
        who = ", ".join(sorted({e["actor"] for e in since})) or "someone"
        raise Conflict(f"item {item['id']} was changed by {who} since you opened it (your version {version}, "
                       f"now {item['version']}): review their change and save again", current=item,
                       changes=_merged_changes(since))


def _changes_since(conn: Connection, item_id: int, version: int) -> list[dict]:
    rows = conn.execute(select(audit_log).where(audit_log.c.entity == "item", audit_log.c.entity_id == str(item_id))
                        .order_by(audit_log.c.id)).all()
    out = []
    for r in rows:
        before = json.loads(r.before) if r.before else {}
        if before.get("version", 0) >= version:
            out.append({"actor": r.actor, "at": r.at, "changed": audit.changed(before, json.loads(r.after or "{}"))})
    return out


def _merged_changes(since: list[dict]) -> dict:
    merged: dict = {}
    for e in since:
        for k, (old, new) in e["changed"].items():
            if k != "version":
                merged[k] = {"before": merged.get(k, {"before": old})["before"], "after": new, "by": e["actor"]}
    return merged


def _write(conn: Connection, item_id: int, version: int, values: dict, actor: str, now: datetime) -> None:
    done = conn.execute(update(tracking_items)
                        .where(tracking_items.c.id == item_id, tracking_items.c.version == version)
                        .values(**values, version=version + 1, updated_by=actor, updated_at=now))
    if done.rowcount != 1:  # pragma: no cover - the write transaction rules it out on SQLite
        raise Conflict(f"item {item_id} changed while saving: reload it and save again")


def add_progress(db: Database | str | None, actor: str, item_id: int, update_: dict, version: int | None = None,
                 today: date | None = None) -> dict:
    """Append a progress update (``date``, ``status``, ``percent``, ``value_reached``, ``note``,
    ``evidence_url``, ``reason``) and set the item's status and progress from it.  With
    ``version``, refused (Conflict) if the item changed since."""
    allowed = {"date", "status", "percent", "value_reached", "note", "evidence_url", "reason"}
    unknown = sorted(set(update_) - allowed)
    if unknown:
        raise StoreError(f"unknown field(s) {', '.join(unknown)}; a progress update has {', '.join(sorted(allowed))}")
    database, owned = opened(db)
    try:
        with database.write() as conn:
            before = _get(conn, item_id, _today(today))
            if version is not None:
                _check_version(conn, before, version)
            p = _progress_fields(update_, before, _today(today))
            now = datetime.now(timezone.utc)
            conn.execute(insert(progress_updates).values(item_id=item_id, author=actor, created_at=now, **p))
            values = {"status": p["status"], "reason": p["reason"]}
            if p["percent"] is not None:
                values["percent"] = p["percent"]
            if p["value_reached"] is not None:
                values["value_reached"] = p["value_reached"]
            _write(conn, item_id, before["version"], values, actor, now)
            current = _get(conn, item_id, _today(today))
            after = {**_snapshot(current), "progress": {k: v for k, v in p.items() if v is not None}}
            audit.write(conn, actor, "progress.add", "item", item_id, _snapshot(before), after, now)
            return current
    finally:
        if owned:
            database.close()


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
    out = {"date": on, "status": status, "reason": reason, "note": (u.get("note") or "").strip() or None,
           "evidence_url": (u.get("evidence_url") or "").strip() or None}
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


def get_item(db: Database | str | None, item_id: int, today: date | None = None) -> dict:
    """The item with its light and its progress updates (oldest first)."""
    database, owned = opened(db)
    try:
        with database.engine.connect() as conn:
            item = _get(conn, item_id, _today(today))
        return attach_progress(database, [item])[0]
    finally:
        if owned:
            database.close()


def list_items(db: Database | str | None, *, unit: str | None = None, region: str | None = None,
               year: int | None = None, status: str | None = None, light_: str | None = None,
               document_id: int | None = None, today: date | None = None) -> list[dict]:
    """Items, soonest deadline first; ``unit`` matches the lead or a supporting unit."""
    if status is not None and status not in STATUSES:
        raise StoreError(f"unknown status {status!r}; choose one of {', '.join(STATUSES)}")
    database, owned = opened(db)
    try:
        t = tracking_items.c
        query = _select().order_by(t.deadline.is_(None), t.deadline, t.id)
        if region:
            query = query.where(t.region.contains(region, autoescape=True))
        if year is not None:
            query = query.where(t.year == year)
        if status:
            query = query.where(t.status == status)
        if document_id is not None:
            query = query.where(t.document_id == document_id)
        with database.engine.connect() as conn:
            items = [_row(r, _today(today)) for r in conn.execute(query)]
        if unit:
            items = [i for i in items if i["lead_unit"] == unit or unit in i["supporting_units"]]
        if light_:
            items = [i for i in items if i["light"] == light_]
        return items
    finally:
        if owned:
            database.close()


def by_unit(items: list[dict]) -> list[dict]:
    """Per lead unit: counts by status and by light, and its overdue items."""
    units: dict[str, dict] = {}
    for i in items:
        name = i["lead_unit"] or "(no lead unit)"
        u = units.setdefault(name, {"unit": name, "total": 0, "status": {s: 0 for s in STATUSES},
                                    "light": {c: 0 for c in ("red", "yellow", "green", "grey")}, "overdue": []})
        u["total"] += 1
        u["status"][i["status"]] += 1
        u["light"][i["light"]] += 1
        if i["light_reason"].startswith("overdue"):
            u["overdue"].append({"id": i["id"], "title": i["title"], "deadline": i["deadline"]})
    return sorted(units.values(), key=lambda u: (-u["light"]["red"], -u["total"], u["unit"]))


def items_by_record(db: Database, document_id: int) -> dict[str, dict]:
    """The items following records of one document, by record key."""
    return {i["record_key"]: i for i in list_items(db, document_id=document_id) if i["record_key"]}


def import_breakdown(db: Database | str | None, actor: str, data: bytes, name: str, document_id: int,
                     dry_run: bool = False, today: date | None = None) -> dict:
    """Read a task-breakdown sheet for the stored report ``document_id`` and create an item per
    row: matched to the report's target or task it words (``track.breakdown``), or free.

    Returns ``{"rows": [...], "created", "matched", "free", "skipped", "errors"}``; a row that
    cannot be read (a bad deadline) or whose record is already tracked is skipped with its
    reason and the others are imported.  ``dry_run`` only reports what would happen.
    """
    from ..track.breakdown import match, read_sheet
    from .queries import list_records

    database, owned = opened(db)
    try:
        with database.engine.connect() as conn:
            doc = conn.execute(select(documents.c.id, documents.c.region, documents.c.year_planned)
                               .where(documents.c.id == document_id)).first()
        if doc is None:
            raise NotFound(f"no document with id {document_id}")
        sheet = read_sheet(data, name, doc.year_planned)
        candidates = [r for r in list_records(database, document=document_id)
                      if r["id"] is not None and (r["type"] == "task" or r["kind"] == "target")]
        match(sheet.rows, candidates)
        with database.engine.connect() as conn:  # the free items already tracked for this report's region and year
            tracked = {r.title: r.id for r in conn.execute(select(tracking_items.c.title, tracking_items.c.id).where(
                tracking_items.c.region == doc.region, tracking_items.c.year == doc.year_planned))}
        out = {"sheet": name, "document_id": document_id, "rows": [], "created": 0, "matched": 0, "free": 0,
               "skipped": 0, "headings": sheet.headings}
        for row in sheet.rows:
            entry = {"line": row.line, "task": row.task, "lead_unit": row.lead_unit,
                     "supporting_units": row.supporting_units, "deadline": row.deadline.isoformat()
                     if row.deadline else None, "section": row.section, "record_id": row.record_id,
                     "score": row.score, "item_id": None, "outcome": None}
            out["rows"].append(entry)
            if row.error:
                entry["outcome"] = f"skipped: {row.error}"
                out["skipped"] += 1
                continue
            fields = {"title": row.task, "lead_unit": row.lead_unit, "supporting_units": row.supporting_units or [],
                      "deadline": row.deadline}
            if dry_run:
                entry["outcome"] = "would match" if row.record_id else "would be free"
                continue
            if row.record_id is None and row.task in tracked:
                entry["outcome"] = f"skipped: already tracked as item {tracked[row.task]}"
                out["skipped"] += 1
                continue
            try:
                item = create_item(database, actor, fields, record_id=row.record_id, region=doc.region,
                                   year=doc.year_planned, today=today)
            except Conflict as e:
                entry["outcome"] = f"skipped: {e}"
                out["skipped"] += 1
                continue
            entry["item_id"] = tracked[row.task] = item["id"]
            entry["outcome"] = "matched" if row.record_id else "free"
            out["created"] += 1
            out["matched" if row.record_id else "free"] += 1
        return out
    finally:
        if owned:
            database.close()


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
                {"id": r.id, "date": r.date, "status": r.status, "reason": r.reason, "percent": r.percent,
                 "value_reached": r.value_reached, "note": r.note, "evidence_url": r.evidence_url,
                 "author": r.author, "created_at": r.created_at.isoformat(timespec="seconds")})
    return items
