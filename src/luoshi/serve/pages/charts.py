"""The scorecard and compare pages: targets against results, as a table and a bar chart.

* ``/scorecard?region=…&year=…`` — :func:`luoshi.store.scorecard`: every target a region set
  for a year, its result, gap and verdict; next to them the projects it planned and what the
  next year's report says of each (:func:`luoshi.store.projects.projects`).  Without a region and a year (or with only one of
  them), a chooser: every (region, year) with stored links, newest year first.
* ``/compare?indicator=…&year=…&measure=…`` — :func:`luoshi.store.compare`: one indicator
  across regions (``year`` defaults to the newest year with links for it).  Without an
  indicator, a chooser: the canonical ids (data/indicators.tsv) that have links.

Both have a JSON twin (``.json``): ``title``, ``tally`` (met, missed, no_data), ``rows``
(``LINK_COLUMNS`` dicts, as ``luoshi scorecard`` / ``luoshi compare`` list them) and ``chart``
(:func:`chart_data`: the numbers the chart is drawn from, column by column).  A region's
scorecard also has ``projects`` (:func:`luoshi.store.projects.projects`): the projects its
report of the year planned, with what the next year's report says of each — ``title``,
``tally`` (done, started, progressed, carried, not_mentioned) and ``rows`` (``PROJECT_COLUMNS``).

Mixed units: a report's targets mix growth rates (%), amounts (亿元), counts (个, 家) and
levels (%, such as a jobless rate), which no single axis can hold.  The chart draws one group:
the growth targets in percent (measure ``change``, unit ``%``) when there are any — the
headline targets, directly comparable with each other — else the largest group of one
measure and one unit.  Every row, charted or not, is in the table below the chart, which also
works without JavaScript.  A range target (5–5.5%) is a solid bar to the bound nearer zero
and a pale one on to the other bound.  Results are drawn in the target's unit (target + gap).

The chart is drawn by ``static/charts.js`` with Apache ECharts 6.1.0 (``static/vendor/
echarts.min.js`` from the npm package, Apache-2.0; its LICENSE and NOTICE, and the licences
of the parts it bundles — zrender, d3 — lie beside it): nothing is loaded from elsewhere.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request

from ... import store
from ...extraction.lexicon import rows as table_rows
from ...model import FOLLOW_STATUSES, VERDICTS, Measure
from ...store import Database, LinkListing
from ...store.coverage import indicator_regions, indicator_years, scorecard_tallies
from ...store.projects import projects
from ...store.scorecard import indicator_ids
from ...outline.metadata import region_order
from ...store.users import User
from ..auth import viewer
from ..errors import refused_as
from ..respond import WebError, page, twin
from .reader import view

# the store's refusals here are look-ups by name (no report of 火星 for 2025, unknown indicator id): 404
router = APIRouter(tags=["links"], dependencies=[refused_as(404)])
YEAR = Query(None, ge=1900, le=2200, description="The plan year whose targets are judged.")
CHARTED = ("change", "%")  # the group charted when a listing has any of it: growth targets in percent


def _tally(counts: Counter) -> dict[str, int]:
    return {v: counts.get(v, 0) for v in VERDICTS}


def scorecard_choices(db: Database, region: str | None = None, year: int | None = None) -> list[dict]:
    """Every (region, year) with links — of the region's latest reports of the year and the
    next, as :func:`luoshi.store.scorecard` takes them — with its tally, newest year first."""
    choices = []
    for (name, y), counts in scorecard_tallies(db, region, year).items():
        choices.append(
            {
                "region": name,
                "year": y,
                "targets": sum(counts.values()),
                "tally": _tally(counts),
                "href": "/scorecard?" + urlencode({"region": name, "year": y}),
            }
        )
    choices.sort(key=lambda c: (-c["year"], region_order(c["region"])))  # official order within a year
    return choices


def indicator_names() -> dict[str, str]:
    """Canonical id → its first name in data/indicators.tsv (gdp → 地区生产总值)."""
    return {row[0]: row[2].split(",")[0] for row in table_rows("indicators.tsv") if len(row) > 2}


def compare_choices(db: Database) -> list[dict]:
    """The canonical indicators with links, in the order of data/indicators.tsv: their years
    (newest first) and how many regions the newest year has."""
    found = indicator_regions(db)
    names = indicator_names()
    choices = []
    for ident in indicator_ids():
        if ident in found:
            years = sorted(found[ident], reverse=True)
            choices.append(
                {
                    "indicator": ident,
                    "name": names.get(ident, ident),
                    "years": years,
                    "regions": found[ident][years[0]],
                    "href": "/compare?" + urlencode({"indicator": ident, "year": years[0]}),
                }
            )
    return choices


def _result_in_target_unit(row: dict) -> float | None:
    if row["result_value"] is None:
        return None
    if row["result_unit"] == row["unit"]:
        return row["result_value"]
    return None if row["gap"] is None else round(row["target_value"] + row["gap"], 10)


def charted_group(rows: list[dict]) -> tuple[str, str | None] | None:
    """The (measure, unit) the chart draws: growth in percent when any, else the largest group."""
    groups = Counter((r["measure"], r["unit"]) for r in rows if r["target_value"] is not None)
    if not groups:
        return None
    return CHARTED if CHARTED in groups else groups.most_common(1)[0][0]


def chart_data(rows: list[dict], category: Literal["indicator", "region"]) -> dict:
    """The chart's data, one list per column with one entry per charted row: ``categories``
    (the axis labels: indicator names, or regions), ``target`` and ``target_max`` (a range's
    upper bound, else None), ``result`` (in the target's unit), ``verdict``, the texts of the
    table (``target_text``, ``result_text``, ``gap``, ``rule``, ``target_evidence``,
    ``result_evidence``) and ``rows`` (the charted rows' indexes in ``rows``); besides, the
    group's ``measure`` and ``unit``, and ``left_out`` (the rows the table alone lists)."""
    group = charted_group(rows)
    picked = [
        i for i, r in enumerate(rows) if group and (r["measure"], r["unit"]) == group and r["target_value"] is not None
    ]
    labels = [rows[i][category] or "—" for i in picked]
    if category == "region":  # a region with two targets of one indicator: say which is which
        repeated = {label for label, n in Counter(labels).items() if n > 1}
        labels = [
            f"{label} · {rows[i]['indicator']}" if label in repeated else label for label, i in zip(labels, picked)
        ]
    column = {
        "target": lambda r: r["target_value"],
        "target_max": lambda r: r["target_value_max"],
        "result": _result_in_target_unit,
        "verdict": lambda r: r["verdict"],
        "target_text": lambda r: r["target"],
        "result_text": lambda r: r["result"],
        "gap": lambda r: r["gap"],
        "rule": lambda r: r["rule"],
        "target_evidence": lambda r: r["target_evidence"] or "",
        "result_evidence": lambda r: r["result_evidence"] or "",
    }
    return {
        "measure": group[0] if group else None,
        "unit": group[1] if group else None,
        "categories": labels,
        **{name: [get(rows[i]) for i in picked] for name, get in column.items()},
        "rows": picked,
        "left_out": len(rows) - len(picked),
    }


def _body(listing: LinkListing, category: Literal["indicator", "region"]) -> dict:
    return {
        "title": listing.title,
        "tally": listing.tally,
        "rows": listing.rows,
        "chart": chart_data(listing.rows, category),
    }


@lru_cache(maxsize=1)
def main_target_markers() -> tuple[str, ...]:
    """``data/main_targets.tsv``: the words that open a report's 主要预期目标 passage."""
    return tuple(row[0] for row in table_rows("main_targets.tsv"))


def main_target_rows(db, rows: list[dict]) -> list[int]:
    """The indices of ``rows`` whose target stands in its report's main expected targets
    passage (the paragraph holding a marker of ``data/main_targets.tsv``)."""
    markers = main_target_markers()
    passages: dict[int, tuple[list[tuple[int, int]], dict]] = {}
    out = []
    for i, r in enumerate(rows):
        document, target = r.get("old_document_id"), r.get("target_id")
        if document is None or target is None:
            continue
        if document not in passages:
            data = view(db, document).data
            text, spans, at = data["text"], [], 0
            for paragraph in text.split("\n"):
                if any(m in paragraph for m in markers):
                    spans.append((at, at + len(paragraph)))
                at += len(paragraph) + 1
            passages[document] = (spans, {rec.get("id"): rec.get("start") for rec in data["records"]})
        spans, starts = passages[document]
        start = starts.get(target)
        if start is not None and any(a <= start < b for a, b in spans):
            out.append(i)
    return out


@twin(router, "/scorecard")
def scorecard_page(
    request: Request,
    region: str | None = Query(None, max_length=200, description="A region, or part of its name."),
    year: int | None = YEAR,
    user: User = viewer,
):
    """A region's targets for a year with their results and verdicts; without both, the choices."""
    db = request.app.state.db
    region = (region or "").strip() or None
    if region is None or year is None:
        return page(
            request, "scorecard.html", {"region": region, "year": year, "choices": scorecard_choices(db, region, year)}
        )
    listing = store.scorecard(db, region, year)
    name = listing.rows[0]["region"] if listing.rows else region
    planned = projects(db, region, year)
    return page(
        request,
        "scorecard.html",
        {
            "region": name,
            "year": year,
            **_body(listing, "indicator"),
            "projects": {"title": planned.title, "tally": planned.tally, "rows": planned.rows},
        },
        main_rows=main_target_rows(db, listing.rows),
        statuses=FOLLOW_STATUSES,
    )


@twin(router, "/compare")
def compare_page(
    request: Request,
    indicator: str | None = Query(
        None, max_length=200, description="A canonical id (gdp, cpi…), or part of a target's name."
    ),
    year: int | None = YEAR,
    measure: Measure | None = Query(None, description="One kind of target."),
    user: User = viewer,
):
    """One indicator's targets for a year across regions; without an indicator, the choices."""
    db = request.app.state.db
    indicator = (indicator or "").strip() or None
    if indicator is None:
        return page(request, "compare.html", {"indicator": None, "choices": compare_choices(db)})
    years = indicator_years(db, indicator)
    if year is None:
        if not years:
            raise WebError(404, f"no stored targets of {indicator!r} have been linked to results yet")
        year = years[0]
    listing = store.compare(db, indicator, year, measure=measure)
    return page(
        request,
        "compare.html",
        {
            "indicator": indicator,
            "name": indicator_names().get(indicator),
            "year": year,
            "measure": measure,
            "years": years,
            **_body(listing, "region"),
        },
    )
