"""Tracking: items with lead units, deadlines, progress and traffic lights; views by unit;
the breakdown-sheet import; the tracking sheet as XLSX and as a printable page.

Reading needs the viewer role, changes the editor role.  Every change names the item's
``version`` it was made against; a stale one gets 409 with the item as it is now and the
other editor's change (HTML: the item page again, with the conflict shown).  The store's other
errors go through the app's exception map (:mod:`..errors`): unknown → 404, refused → 422.
"""

from __future__ import annotations

from datetime import date
from typing import Optional

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response

from ... import store
from ...errors import InputError
from ...store import tracking as tr
from ...store.errors import Conflict, NotFound, StoreError
from ...model import LIGHTS, Light, TrackingStatus
from ...model import TRACKING_STATUSES as STATUSES
from ...store.users import User
from ...track.report import STATUS_ZH, tracking_xlsx
from ..auth import editor, viewer
from ..bodies import ItemChange, NewItem, Progress, documented, validated
from ..respond import ID_MAX, Id, WebError, attachment, page, read_body, twin, wants_json

router = APIRouter(tags=["tracking"])
MAX_SHEET = 10 * 1024 * 1024


def _filters(
    unit: Optional[str] = None,
    region: Optional[str] = None,
    year: Optional[int] = Query(None, ge=1949, le=2100),
    status: Optional[TrackingStatus] = None,
    light: Optional[Light] = None,
) -> dict:
    """The filters of a tracking list (a dependency of every page that lists items): those given."""
    return {
        k: v
        for k, v in {"unit": unit, "region": region, "year": year, "status": status, "light": light}.items()
        if v not in (None, "")
    }


def _items(request: Request, f: dict) -> list[dict]:
    return tr.list_items(
        request.app.state.db,
        unit=f.get("unit"),
        region=f.get("region"),
        year=f.get("year"),
        status=f.get("status"),
        light_=f.get("light"),
    )


@twin(router, "/tracking")
def tracking(
    request: Request,
    f: dict = Depends(_filters),
    user: User = viewer,
):
    """Tracked items (soonest deadline first) with counts by light, and the filters applied."""
    items = _items(request, f)
    counts = {c: sum(1 for i in items if i["light"] == c) for c in LIGHTS}
    documents = store.list_documents(request.app.state.db) if user.can("editor") else []
    return page(
        request,
        "tracking.html",
        {"filters": f, "items": items, "lights": counts, "total": len(items)},
        documents=documents,
        statuses=STATUSES,
        status_zh=STATUS_ZH,
    )


@twin(router, "/tracking/units")
def units(
    request: Request,
    region: Optional[str] = None,
    year: Optional[int] = Query(None, ge=1949, le=2100),
    user: User = viewer,
):
    """Per lead unit: items by status and light, and the overdue ones."""
    f = _filters(None, region, year, None, None)
    return page(
        request,
        "tracking_units.html",
        {"filters": f, "units": tr.by_unit(_items(request, f))},
        statuses=STATUSES,
        status_zh=STATUS_ZH,
    )


@twin(router, "/tracking/items/{item_id}")
def item_page(request: Request, item_id: Id, user: User = viewer):
    """One item with its progress updates and, if it follows a record, that record."""
    return _item_page(request, item_id)


def _item_page(
    request: Request, item_id: int, status: int = 200, conflict: dict | None = None, error: str | None = None
):
    item = tr.get_item(request.app.state.db, item_id)
    return page(
        request,
        "tracking_item.html",
        {"item": item},
        status=status,
        statuses=STATUSES,
        status_zh=STATUS_ZH,
        conflict=conflict,
        error=error,
    )


@router.post("/tracking/items", openapi_extra=documented(NewItem))
async def create(request: Request, user: User = editor):
    """Track a record (``record_id``) or a free-standing item (``title``, ``region``, ``year``)
    with ``lead_unit``, ``supporting_units``, ``deadline``, ``milestones``, ``status``."""
    data = {k: v for k, v in (await read_body(request)).items() if v != "" or k == "title"}
    body = validated(NewItem, data)
    fields = body.model_dump(exclude_unset=True, exclude={"record_id", "region", "year"})
    item = await run_in_threadpool(
        tr.create_item,
        request.app.state.db,
        user.name,
        fields,
        record_id=body.record_id,
        region=body.region or None,
        year=body.year,
    )
    if wants_json(request):
        return item
    return RedirectResponse(f"/tracking/items/{item['id']}", status_code=303)


@router.post("/tracking/items/{item_id}", openapi_extra=documented(ItemChange))
async def update(request: Request, item_id: Id, user: User = editor):
    """Change an item's fields; ``version`` is the version the change was made against."""
    data = await read_body(request)
    if data.get("version") in (None, ""):
        raise WebError(422, "say which version of the item the change is made against (version)")
    try:
        body = validated(ItemChange, data)
    except RequestValidationError as e:
        return _refused(request, item_id, e)
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    return await _change(
        request, item_id, tr.update_item, request.app.state.db, user.name, item_id, body.version, changes
    )


@router.post("/tracking/items/{item_id}/progress", openapi_extra=documented(Progress))
async def progress(request: Request, item_id: Id, user: User = editor):
    """Report progress: ``date``, ``status``, ``percent`` or ``value_reached``, ``note``,
    ``evidence_url``, ``reason`` (needed when behind or dropped); ``version`` optional."""
    try:
        body = validated(Progress, {k: v for k, v in (await read_body(request)).items() if v != ""})
    except RequestValidationError as e:
        return _refused(request, item_id, e)
    update_ = body.model_dump(exclude_unset=True, exclude={"version"})
    return await _change(
        request, item_id, tr.add_progress, request.app.state.db, user.name, item_id, update_, body.version
    )


def _refused(request: Request, item_id: int, e: RequestValidationError):
    """A field refused: JSON gets the error (422); the HTML form, the item's page with it."""
    if wants_json(request):
        raise e
    first = e.errors()[0]
    where = ".".join(str(p) for p in first["loc"][1:])
    return _item_page(request, item_id, status=422, error=f"{where}: {first['msg']}")


async def _change(request: Request, item_id: int, store_call, *args):
    """Run a change to an item; answer with the item (JSON) or its page.  JSON gets the store's
    errors in the app's shape (a conflict: 409 with the other change); the HTML form gets the
    item's page again with the conflict (409) or the store's refusal (422) shown on it."""
    try:
        item = await run_in_threadpool(store_call, *args)
    except StoreError as e:
        if wants_json(request) or isinstance(e, NotFound):
            raise
        if isinstance(e, Conflict):
            return _item_page(request, item_id, status=409, conflict={"message": str(e), "changes": e.changes})
        return _item_page(request, item_id, status=422, error=str(e))
    if wants_json(request):
        return item
    return RedirectResponse(f"/tracking/items/{item_id}", status_code=303)


@router.post("/tracking/import")
async def import_sheet(
    request: Request,
    file: UploadFile = File(...),
    document_id: int = Form(..., ge=1, le=ID_MAX),
    dry_run: bool = Form(False),
    user: User = editor,
):
    """Import a task-breakdown sheet (XLSX or CSV: task, lead unit, supporting units,
    deadline) for a stored report: rows matching its records follow them, the rest are free."""
    data = await file.read(MAX_SHEET + 1)
    if len(data) > MAX_SHEET:
        raise WebError(413, f"the sheet is larger than {MAX_SHEET // (1024 * 1024)} MB")
    try:
        report = await run_in_threadpool(
            tr.import_breakdown, request.app.state.db, user.name, data, file.filename or "sheet", document_id, dry_run
        )
    except InputError as e:  # the sheet reader says "sheet": name the file that was sent
        raise InputError(file.filename or "sheet", e.reason) from None
    return page(request, "tracking_import.html", report)


@router.get(
    "/tracking/report.xlsx",
    response_class=Response,
    responses={200: {"content": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}},
)
def report_xlsx(
    request: Request,
    f: dict = Depends(_filters),
    user: User = viewer,
):
    """The tracking sheet (督查台账) of the filtered items as XLSX."""
    items = tr.attach_progress(request.app.state.db, _items(request, f))
    title = " ".join(str(v) for v in (f.get("region"), f.get("year"), f.get("unit")) if v) or "luoshi"
    data = tracking_xlsx(items, f"{title} 督查台账", date.today())
    return Response(
        data,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers=attachment("tracking.xlsx"),
    )


@router.get("/tracking/report", include_in_schema=False)
def report_page(
    request: Request,
    f: dict = Depends(_filters),
    user: User = viewer,
):
    """The tracking sheet as a printable page."""
    items = tr.attach_progress(request.app.state.db, _items(request, f))
    items.sort(key=lambda i: (i["lead_unit"] or "~", i["deadline"] or "9999", i["id"]))
    return page(
        request,
        "tracking_print.html",
        {"filters": f, "items": items, "today": date.today().isoformat()},
        status_zh=STATUS_ZH,
    )
