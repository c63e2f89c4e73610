"""The records page: every stored record in one table, with facets and full-text search.

Each filter state is a plain GET URL (``/records?region=浙江省&kind=target&q=就业``) and the
same state is JSON (``/records.json``), CSV (``/records.csv``, with a BOM for Excel) and XLSX
(``/records.xlsx``); the downloads hold every matching record, not a page.  The listing,
its facet counts and pages come from :mod:`luoshi.store.browse` (SQL, cached until the data
changes), with reviewers' corrections applied.
"""

from __future__ import annotations

import io
import math
from typing import Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response

from ...model import Kind, Measure, RecordType, Verdict
from ...output.formats import amount, csv_bytes, write_xlsx
from ..language import export_language
from ...store.browse import FACETS, RecordFilter, browse, matching
from ...store.memo import cached
from ...store.records import RECORD_COLUMNS
from ...extraction.topics import topic_ids, topics
from ...store.users import User
from ..auth import viewer
from ..respond import attachment, page, twin, wants_json

router = APIRouter(tags=["records"])

Topic = Literal[topic_ids()]  # type: ignore[valid-type]
PER_PAGE, MAX_PER_PAGE, MAX_DOWNLOAD = 50, 500, 100_000
COLUMNS = RECORD_COLUMNS + ("verdict",)
FILTERS = (
    "q",
    "region",
    "year",
    "kind",
    "type",
    "measure",
    "indicator",
    "indicator_id",
    "topic",
    "verdict",
    "document",
)
TITLES = {
    "region": "Region",
    "year": "Year",
    "kind": "Kind",
    "type": "Type",
    "measure": "Measure",
    "indicator": "Indicator",
    "verdict": "Verdict",
    "topic": "Topic",
    "q": "Search",
    "indicator_id": "Indicator id",
    "document": "Report",
}
LABELS = {
    "kind": {"target": "targets", "result": "results"},
    "type": {"indicator": "indicators", "task": "tasks"},
    "verdict": {"met": "met", "missed": "missed", "no_data": "no data"},
}


async def record_filter(
    q: str | None = Query(None, max_length=200, description="Full text: the evidence contains every word"),
    region: str | None = Query(None, max_length=100, description="The region's name contains this"),
    year: int | None = Query(None, ge=1900, le=2200, description="The record's year"),
    kind: Kind | None = None,
    type: RecordType | None = None,
    measure: Measure | None = None,
    indicator: str | None = Query(None, max_length=100, description="The indicator's name contains this"),
    indicator_id: str | None = Query(None, max_length=64, description="A canonical indicator id, e.g. gdp"),
    topic: Topic | None = None,  # type: ignore[valid-type]
    verdict: Verdict | None = Query(None, description="A linked target's or result's verdict"),
    document: str | None = Query(None, max_length=300, description="A report: id, file name or hash prefix"),
) -> RecordFilter:
    """The filters of a request (empty values are no filter)."""

    def text(value: str | None) -> str | None:
        return (value.strip() or None) if value is not None else None

    return RecordFilter(
        region=text(region),
        year=year,
        kind=kind,
        type=type,
        measure=measure,
        indicator=text(indicator),
        indicator_id=text(indicator_id),
        topic=topic,
        verdict=verdict,
        document=text(document),
        q=text(q),
    )


filters = Depends(record_filter)


@twin(router, "/records")
def records_page(
    request: Request,
    user: User = viewer,
    flt: RecordFilter = filters,
    number: int = Query(1, ge=1, alias="page", description="Page number, from 1"),
    per_page: int = Query(PER_PAGE, ge=1, le=MAX_PER_PAGE),
):
    """Stored records (corrections applied) matching the filters, a page at a time in document
    order, with facet counts: each facet counted with the other filters applied, not its own
    (``indicator``: the 30 commonest names, every filter applied)."""
    db = request.app.state.db

    def listing() -> dict:
        found = browse(db, flt, number, per_page)
        return {
            "filters": flt.applied(),
            "total": found["total"],
            "page": number,
            "per_page": per_page,
            "records": found["records"],
            "facets": found["facets"],
        }

    if wants_json(request):  # the body is kept until the data changes (plain JSON values: no jsonable_encoder)
        body = cached(db, ("records.json", flt, number, per_page), lambda: JSONResponse(listing()).body)
        return Response(body, media_type="application/json")
    data = listing()
    return page(request, "records.html", data, **_links(data))


@router.get("/records.csv", response_class=Response)
def records_csv(request: Request, user: User = viewer, flt: RecordFilter = filters):
    """Every record matching the filters (up to 100,000) as CSV: UTF-8 with a BOM, one column
    per field; text that a spreadsheet would take for a formula starts with an apostrophe."""
    rows = matching(request.app.state.db, flt, MAX_DOWNLOAD)
    return _download(csv_bytes(rows, COLUMNS, lang=export_language(request)), "csv", "text/csv; charset=utf-8")


@router.get("/records.xlsx", response_class=Response)
def records_xlsx(request: Request, user: User = viewer, flt: RecordFilter = filters):
    """Every record matching the filters (up to 100,000) as an Excel sheet."""
    out = io.BytesIO()
    write_xlsx(matching(request.app.state.db, flt, MAX_DOWNLOAD), COLUMNS, out, lang=export_language(request))
    return _download(out.getvalue(), "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _download(body: bytes, suffix: str, media_type: str) -> Response:
    return Response(body, media_type=media_type, headers=attachment(f"luoshi-records.{suffix}"))


# --- The HTML page's links: every one a whole filter state --------------------------------------


def state_url(state: dict, path: str = "/records", **changes) -> str:
    """The URL of a filter state (``state`` with ``changes``; None drops a filter), its
    parameters in a fixed order so that one state has one URL.

    >>> state_url({"region": "浙江省", "page": 3}, kind="target", page=None)
    '/records?region=%E6%B5%99%E6%B1%9F%E7%9C%81&kind=target'
    """
    merged = {**state, **changes}
    order = FILTERS + ("page", "per_page")
    query = [(k, merged[k]) for k in order if merged.get(k) is not None]
    return path + ("?" + urlencode(query) if query else "")


def _links(data: dict) -> dict:
    state = dict(data["filters"])
    if data["per_page"] != PER_PAGE:
        state["per_page"] = data["per_page"]
    topic_names = {t.id: t.zh for t in topics()}
    facet_lists = []
    for name in FACETS:
        chosen = state.get(name)
        items = [
            {
                "value": f["value"],
                "count": f["count"],
                "active": f["value"] == chosen,
                "label": topic_names.get(f["value"], f["value"])
                if name == "topic"
                else LABELS.get(name, {}).get(f["value"], f["value"]),
                "url": state_url(state, **{name: None if f["value"] == chosen else f["value"]}),
            }
            for f in data["facets"][name]
        ]
        facet_lists.append({"name": name, "title": TITLES[name], "items": items})
    names = {str(r["document_id"]): r["document"] for r in data["records"][:1]}  # a report id → its name
    chips = [
        {
            "name": k,
            "title": TITLES[k],
            "value": topic_names.get(v, v)
            if k == "topic"
            else names.get(str(v), v)
            if k == "document"
            else LABELS.get(k, {}).get(v, v),
            "url": state_url(state, **{k: None}),
        }
        for k, v in data["filters"].items()
    ]
    pages = max(1, math.ceil(data["total"] / data["per_page"]))
    number = data["page"]
    shown = sorted({1, pages, *range(max(1, number - 2), min(pages, number + 2) + 1)})
    return {
        "facet_lists": facet_lists,
        "chips": chips,
        "pages": pages,
        "page_links": [{"number": n, "url": state_url(state, page=n if n > 1 else None)} for n in shown],
        "prev_url": state_url(state, page=number - 1 if number > 2 else None) if number > 1 else None,
        "next_url": state_url(state, page=number + 1) if number < pages else None,
        "downloads": {
            **{f: state_url(data["filters"], f"/records.{f}") for f in ("csv", "xlsx")},
            "json": state_url(state, "/records.json", page=number if number > 1 else None),
        },
        "clear_url": "/records",
        "amount": amount,
    }
