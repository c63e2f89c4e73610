"""The editable fields of a tracking item, checked and normalised: units split, deadlines and
milestones read as dates (:mod:`luoshi.track.dates`), a status from :data:`luoshi.model.TRACKING_STATUSES`
(with a reason where it needs one)."""

from __future__ import annotations

from ...model import TRACKING_STATUSES as STATUSES
from ...track.dates import DeadlineError, parse_deadline
from ...track.light import NEEDS_REASON
from ..errors import StoreError

EDITABLE = ("title", "lead_unit", "supporting_units", "deadline", "milestones", "status", "reason")


def clean(fields: dict, year: int | None) -> dict:
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
                raise StoreError('a milestone is {"due": date, "text": what is due}')
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


def need_reason(item: dict) -> None:
    if item["status"] in NEEDS_REASON and not item.get("reason"):
        raise StoreError(f"say why the item is {item['status'].replace('_', ' ')} (a reason)")
