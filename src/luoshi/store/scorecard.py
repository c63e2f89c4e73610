"""``luoshi scorecard`` and ``luoshi compare``: the stored links (:mod:`.links`) as listings.

* :func:`scorecard` — every target one region set for a year, with its result, gap and
  verdict, from that year's report and the next year's (which reviews it);
* :func:`compare` — one indicator's targets of a year across every region, sorted by verdict
  (met, missed, no data), then by how far the result beat the target.

Where a region has several stored reports of one year (the same report as PDF and text, say),
the most recently imported one counts.  Rows are flat (``LINK_COLUMNS``); ``luoshi link ID1
ID2 --format jsonl`` gives the nested format of shared/spec/linking.md.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select

from ..extraction.lexicon import rows as table_rows
from ..link.match import canonical_id, direction
from ..link.verdict import rule_for, target_direction
from ..model import VERDICTS
from ..output.formats import amount
from .db import Database
from .errors import StoreError
from .filters import check_choice, document_conditions, document_year
from .links import relink_stale, stale_documents
from .restore import make_record
from .rows import pair_rows
from .schema import documents, links

LINK_COLUMNS = (
    "region",
    "year",
    "indicator",
    "indicator_id",
    "measure",
    "target",
    "result",
    "verdict",
    "gap",
    "unit",
    "rule",
    "target_value",
    "target_value_max",
    "target_qualifier",
    "result_value",
    "result_unit",
    "estimated",
    "target_id",
    "result_id",
    "target_evidence",
    "result_evidence",
    "old_document_id",
    "old_document",
    "new_document_id",
    "new_document",
)
_ID = re.compile(r"[a-z][a-z0-9_]*")


@dataclass
class LinkListing:
    """Rows of ``LINK_COLUMNS`` and what they are (``title``)."""

    title: str
    rows: list[dict] = field(default_factory=list)

    @property
    def tally(self) -> dict[str, int]:
        counts = Counter(r["verdict"] for r in self.rows)
        return {v: counts.get(v, 0) for v in VERDICTS}

    def tally_line(self) -> str:
        """``12 met, 3 missed, 4 no data (19 targets)``."""
        t = self.tally
        return (
            f"{t['met']} met, {t['missed']} missed, {t['no_data']} no data "
            f"({len(self.rows)} target{'s' if len(self.rows) != 1 else ''})"
        )


def _num(x):
    return int(x) if isinstance(x, float) and x.is_integer() else x


def margin(row: dict) -> float | None:
    """How far the result beat the target, in the target's unit: the gap, turned round for a
    ceiling (unemployment 5.1% against 5.5%: 0.4).  None without a result."""
    if row["gap"] is None:
        return None
    target = make_record(row["_target"])
    side = rule_for(target, target_direction(target, direction(row["indicator_id"]))).side
    return row["gap"] if side == "floor" else -row["gap"]


def fresh(db: Database) -> None:
    """Link documents linked by an older luoshi (or never) before listing their links: every
    listing of links (here and :mod:`.coverage`) calls it first."""
    with db.engine.connect() as conn:
        stale = bool(stale_documents(conn))
    if stale:
        relink_stale(db)


def _query(where):
    return pair_rows(links, "target_key", "result_key", "target_id", "result_id", where)


def _row(r) -> dict:
    m = r._mapping
    target = json.loads(m["target"])
    result = json.loads(m["result"]) if m["result"] else None
    return {
        "region": m["region"],
        "year": m["year"],
        "indicator": m["indicator"],
        "indicator_id": m["indicator_id"],
        "measure": m["measure"],
        "target": amount(target),
        "result": amount(result),
        "verdict": m["verdict"],
        "gap": _num(m["gap"]),
        "unit": target.get("unit"),
        "rule": m["rule"],
        "target_value": target.get("value"),
        "target_value_max": target.get("value_max"),
        "target_qualifier": target.get("qualifier"),
        "result_value": result.get("value") if result else None,
        "result_unit": result.get("unit") if result else None,
        "estimated": result.get("estimated") if result else None,
        "target_id": m["target_id"],
        "result_id": m["result_id"],
        "target_evidence": target.get("evidence"),
        "result_evidence": result.get("evidence") if result else None,
        "old_document_id": m["old_document_id"],
        "old_document": m["old_document"],
        "new_document_id": m["new_document_id"],
        "new_document": m["new_document"],
        "_target": target,
    }


def _one_region(conn, region: str, year: int) -> str:
    found = sorted(
        {
            r
            for r in conn.execute(
                select(documents.c.region).where(*document_conditions(region, year)).distinct()
            ).scalars()
            if r
        }
    )
    if not found:
        raise StoreError(
            f"no stored report of a region matching {region!r} for {year}: import it "
            "(luoshi docs lists the stored reports)"
        )
    if region in found:
        return region
    if len(found) > 1:
        raise StoreError(f"{region!r} matches several regions ({', '.join(found)}): name one")
    return found[0]


def _latest(conn, region: str, year: int) -> tuple[int, str] | None:
    row = conn.execute(
        select(documents.c.id, documents.c.name)
        .where(documents.c.region == region, document_year() == year)
        .order_by(documents.c.id.desc())
        .limit(1)
    ).first()
    return (row.id, row.name) if row else None


def scored_pair(conn, region: str, year: int) -> tuple[str, tuple[int, str], tuple[int, str]]:
    """``(region's name, (id, name) of its latest report of year, of year + 1)``: the pair a
    scorecard reads; ``region`` as :func:`scorecard` takes it.  Refused when either is missing."""
    name = _one_region(conn, region, year)
    old = _latest(conn, name, year)
    new = _latest(conn, name, year + 1)
    if new is None:
        raise StoreError(
            f"no stored report of {name} for {year + 1}, which reviews {year}: import it to judge the targets of {year}"
        )
    return name, old, new


def _latest_pairs(conn, year: int) -> dict[str, tuple[int, int]]:
    """Region → (latest report of ``year``, latest of ``year + 1``), where both are stored."""
    y = document_year()
    query = (
        select(documents.c.region, y.label("year"), func.max(documents.c.id).label("id"))
        .where(documents.c.region.is_not(None), y.in_((year, year + 1)))
        .group_by(documents.c.region, y)
    )
    found: dict[str, dict[int, int]] = {}
    for r in conn.execute(query):
        found.setdefault(r.region, {})[r.year] = r.id
    return {region: (ids[year], ids[year + 1]) for region, ids in found.items() if len(ids) == 2}


def scorecard(db: Database, region: str, year: int) -> LinkListing:
    """Every target ``region`` set for ``year`` (in its report of that year) with the result
    its report of ``year + 1`` gives, the gap and the verdict, in the report's order.

    ``region`` is matched as by ``luoshi docs --region`` (浙江 finds 浙江省) and must name one
    region.  Both reports must be stored.
    """
    fresh(db)
    with db.engine.connect() as conn:
        name, old, new = scored_pair(conn, region, year)
        rows = [
            _row(r)
            for r in conn.execute(_query([links.c.old_document_id == old[0], links.c.new_document_id == new[0]]))
        ]
    listing = LinkListing(f"{name} {year}: targets of {old[1]}, results from {new[1]}", rows)
    for row in rows:
        row.pop("_target")
    return listing


def indicator_condition(indicator: str):
    """``(SQL condition on links, label)``: a canonical id (``gdp``), a name the indicator
    table knows (地区生产总值 → gdp), else a part of the target's name."""
    value = indicator.strip()
    if not value:
        raise StoreError("give an indicator: an id such as gdp, or part of a name")
    if direction(value):
        return links.c.indicator_id == value, value
    known = canonical_id(make_record({"type": "indicator", "kind": "target", "indicator": value}))
    if known:
        return links.c.indicator_id == known, known
    if _ID.fullmatch(value):
        raise StoreError(
            f"unknown indicator id {value!r}; ids are {', '.join(indicator_ids())} "
            "(or give part of an indicator's name)"
        )
    return links.c.indicator.contains(value, autoescape=True), value


def indicator_ids() -> list[str]:
    """The canonical ids of ``data/indicators.tsv``, in its order."""
    return [row[0] for row in table_rows("indicators.tsv")]


def compare(db: Database, indicator: str, year: int, measure: str | None = None) -> LinkListing:
    """One indicator's targets for ``year`` in every region whose reports of ``year`` and
    ``year + 1`` are stored: sorted by verdict (met, missed, no data), then by how far the
    result beat the target (:func:`margin`: the gap, turned round for a ceiling), then region.

    ``indicator`` is a canonical id (``gdp``), a name the indicator table knows (地区生产总值),
    or part of a target's name; ``measure`` (change, quantity, rank) keeps one kind of target.
    """
    check_choice("measure", measure)
    condition, label = indicator_condition(indicator)
    where = [links.c.year == year, condition]
    if measure:
        where.append(links.c.measure == measure)
    fresh(db)
    with db.engine.connect() as conn:
        latest = _latest_pairs(conn, year)
        rows = [
            row
            for row in map(_row, conn.execute(_query(where)))
            if latest.get(row["region"]) == (row["old_document_id"], row["new_document_id"])
        ]
    for r in rows:
        r["_margin"] = margin(r)
    rows.sort(key=lambda r: (VERDICTS.index(r["verdict"]), r["_margin"] is None, -(r["_margin"] or 0), r["region"]))
    for r in rows:
        r.pop("_target")
        r.pop("_margin")
    n = len({r["region"] for r in rows})
    return LinkListing(f"{label} {year}: {n} region{'s' if n != 1 else ''}", rows)
