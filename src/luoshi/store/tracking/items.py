"""Tracking items: create, change (against the version the editor saw), read and list them.

Every write is one transaction that also appends one audit entry (:mod:`..audit`); a change
against an older version raises :class:`..errors.Conflict` with the item as it is now and
what changed since.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

from sqlalchemy import and_, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from ...model import LIGHTS
from ...model import TRACKING_STATUSES as STATUSES
from ...track.light import light, why
from ..audit import changed
from ..audit import write as audit_write
from ..db import Database
from ..errors import Conflict, NotFound, StoreError
from ..schema import audit_log, documents, records, tracking_items
from .fields import clean, need_reason

ITEM_COLUMNS = (
    "id",
    "title",
    "region",
    "year",
    "lead_unit",
    "supporting_units",
    "deadline",
    "status",
    "reason",
    "percent",
    "value_reached",
    "light",
    "light_reason",
    "document_id",
    "record_id",
    "record_key",
    "version",
    "updated_by",
    "updated_at",
)


def today_or(today: date | None) -> date:
    return today or date.today()


def _row(r, today: date) -> dict:
    m = dict(r._mapping)
    item = {
        k: m.get(k)
        for k in (
            "id",
            "title",
            "region",
            "year",
            "lead_unit",
            "deadline",
            "status",
            "reason",
            "percent",
            "value_reached",
            "document_id",
            "record_key",
            "version",
            "created_by",
            "updated_by",
        )
    }
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
    record_id = (
        select(records.c.id)
        .where(records.c.document_id == tracking_items.c.document_id, records.c.key == tracking_items.c.record_key)
        .limit(1)
        .scalar_subquery()
    )
    return select(tracking_items, record_id.label("record_id"))


def snapshot(item: dict) -> dict:
    """The stored fields of an item, as audited."""
    return {
        k: item.get(k)
        for k in (
            "title",
            "region",
            "year",
            "lead_unit",
            "supporting_units",
            "deadline",
            "milestones",
            "status",
            "reason",
            "percent",
            "value_reached",
            "document_id",
            "record_key",
            "version",
        )
    }


def get(conn: Connection, item_id: int, today: date) -> dict:
    r = conn.execute(_select().where(tracking_items.c.id == item_id)).first()
    if r is None:
        raise NotFound(f"no tracking item {item_id}")
    return _row(r, today)


def create_item(
    db: Database,
    actor: str,
    fields: dict,
    *,
    record_id: int | None = None,
    region: str | None = None,
    year: int | None = None,
    today: date | None = None,
) -> dict:
    """A new item, following record ``record_id`` (its evidence is the default title) or free.

    A record is followed by at most one item (a unique index on document and record key): asking
    again, even at the same moment, raises :class:`Conflict` with the item that follows it.
    """
    try:
        with db.write() as conn:
            return _create(conn, actor, fields, record_id, region, year, today_or(today))
    except IntegrityError:  # another request made the record's item after this one looked
        with db.engine.connect() as conn:
            taken = _record_item(conn, record_id) if record_id is not None else None
            if taken is None:
                raise
            raise Conflict(
                f"record {record_id} is already tracked as item {taken}", current=get(conn, taken, today_or(today))
            ) from None


def _record_item(conn: Connection, record_id: int) -> int | None:
    """The id of the item following record ``record_id``, if any."""
    t = tracking_items.c
    return conn.execute(
        select(t.id)
        .join(records, and_(records.c.document_id == t.document_id, records.c.key == t.record_key))
        .where(records.c.id == record_id)
    ).scalar()


def _create(
    conn: Connection, actor: str, fields: dict, record_id: int | None, region: str | None, year: int | None, today: date
) -> dict:
    document_id = key = None
    if record_id is not None:
        document_id, key, region, year, fields = _of_record(conn, record_id, region, year, fields, today)
    item = {
        "title": None,
        "lead_unit": None,
        "supporting_units": [],
        "deadline": None,
        "milestones": [],
        "status": "not_started",
        "reason": None,
    }
    item.update(clean(fields, year))
    if not item["title"]:
        raise StoreError("an item needs a title")
    need_reason(item)
    now = datetime.now(timezone.utc)
    values = {
        **item,
        "supporting_units": json.dumps(item["supporting_units"], ensure_ascii=False),
        "milestones": json.dumps(item["milestones"], ensure_ascii=False),
    }
    item_id = conn.execute(
        insert(tracking_items).values(
            **values,
            document_id=document_id,
            record_key=key,
            region=region,
            year=year,
            percent=None,
            value_reached=None,
            version=1,
            created_by=actor,
            created_at=now,
            updated_by=actor,
            updated_at=now,
        )
    ).inserted_primary_key[0]
    created = get(conn, item_id, today)
    audit_write(conn, actor, "item.create", "item", item_id, None, snapshot(created), now)
    return created


def update_item(db: Database, actor: str, item_id: int, version: int, changes: dict, today: date | None = None) -> dict:
    """Apply ``changes`` (fields of ``EDITABLE``) to the item, if it is still at ``version``."""
    with db.write() as conn:
        before = get(conn, item_id, today_or(today))
        check_version(conn, before, version)
        changes = clean(changes, before["year"])
        after = {**before, **changes}
        need_reason(after)
        if not changed(snapshot(before), snapshot(after)):
            return before
        now = datetime.now(timezone.utc)
        values = dict(changes)
        for k in ("supporting_units", "milestones"):
            if k in values:
                values[k] = json.dumps(values[k], ensure_ascii=False)
        save(conn, item_id, version, values, actor, now)
        current = get(conn, item_id, today_or(today))
        audit_write(conn, actor, "item.update", "item", item_id, snapshot(before), snapshot(current), now)
        return current


def check_version(conn: Connection, item: dict, version: int) -> None:
    if version != item["version"]:
        since = _changes_since(conn, item["id"], version)
        who = ", ".join(sorted({e["actor"] for e in since})) or "someone"
        raise Conflict(
            f"item {item['id']} was changed by {who} since you opened it (your version {version}, "
            f"now {item['version']}): review their change and save again",
            current=item,
            changes=_merged_changes(since),
        )


def _changes_since(conn: Connection, item_id: int, version: int) -> list[dict]:
    rows = conn.execute(
        select(audit_log)
        .where(audit_log.c.entity == "item", audit_log.c.entity_id == str(item_id))
        .order_by(audit_log.c.id)
    ).all()
    out = []
    for r in rows:
        before = json.loads(r.before) if r.before else {}
        if before.get("version", 0) >= version:
            out.append({"actor": r.actor, "at": r.at, "changed": changed(before, json.loads(r.after or "{}"))})
    return out


def _merged_changes(since: list[dict]) -> dict:
    merged: dict = {}
    for e in since:
        for k, (old, new) in e["changed"].items():
            if k != "version":
                merged[k] = {"before": merged.get(k, {"before": old})["before"], "after": new, "by": e["actor"]}
    return merged


def save(conn: Connection, item_id: int, version: int, values: dict, actor: str, now: datetime) -> None:
    done = conn.execute(
        update(tracking_items)
        .where(tracking_items.c.id == item_id, tracking_items.c.version == version)
        .values(**values, version=version + 1, updated_by=actor, updated_at=now)
    )
    if done.rowcount != 1:  # pragma: no cover - the write transaction rules it out on SQLite
        raise Conflict(f"item {item_id} changed while saving: reload it and save again")


def list_items(
    db: Database,
    *,
    unit: str | None = None,
    region: str | None = None,
    year: int | None = None,
    status: str | None = None,
    light_: str | None = None,
    document_id: int | None = None,
    today: date | None = None,
) -> list[dict]:
    """Items, soonest deadline first; ``unit`` matches the lead or a supporting unit."""
    if status is not None and status not in STATUSES:
        raise StoreError(f"unknown status {status!r}; choose one of {', '.join(STATUSES)}")
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
    with db.engine.connect() as conn:
        items = [_row(r, today_or(today)) for r in conn.execute(query)]
    if unit:
        items = [i for i in items if i["lead_unit"] == unit or unit in i["supporting_units"]]
    if light_:
        items = [i for i in items if i["light"] == light_]
    return items


def by_unit(items: list[dict]) -> list[dict]:
    """Per lead unit: counts by status and by light, and its overdue items."""
    units: dict[str, dict] = {}
    for i in items:
        name = i["lead_unit"] or "(no lead unit)"
        u = units.setdefault(
            name,
            {
                "unit": name,
                "total": 0,
                "status": {s: 0 for s in STATUSES},
                "light": {c: 0 for c in LIGHTS},
                "overdue": [],
            },
        )
        u["total"] += 1
        u["status"][i["status"]] += 1
        u["light"][i["light"]] += 1
        if i["light_reason"].startswith("overdue"):
            u["overdue"].append({"id": i["id"], "title": i["title"], "deadline": i["deadline"]})
    return sorted(units.values(), key=lambda u: (-u["light"]["red"], -u["total"], u["unit"]))


def items_by_record(db: Database, document_id: int) -> dict[str, dict]:
    """The items following records of one document, by record key."""
    return {i["record_key"]: i for i in list_items(db, document_id=document_id) if i["record_key"]}


def _of_record(
    conn: Connection, record_id: int, region: str | None, year: int | None, fields: dict, today: date
) -> tuple:
    """An item of a record: its document, stable key, region and year (unless given) and title
    (its evidence, unless given); a record already tracked is a Conflict with that item."""
    rec = conn.execute(
        select(
            records.c.document_id,
            records.c.key,
            records.c.evidence,
            records.c.year,
            records.c.kind,
            documents.c.region,
        )
        .join(documents, documents.c.id == records.c.document_id)
        .where(records.c.id == record_id)
    ).first()
    if rec is None:
        raise NotFound(f"no record with id {record_id}")
    taken = _record_item(conn, record_id)
    if taken is not None:
        raise Conflict(f"record {record_id} is already tracked as item {taken}", current=get(conn, taken, today))
    return rec.document_id, rec.key, region or rec.region, year or rec.year, {"title": rec.evidence, **fields}
