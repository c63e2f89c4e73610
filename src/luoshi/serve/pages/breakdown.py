"""生成分工方案: the drafted task breakdown of a stored report (:mod:`luoshi.track.draft`) as a
page and its JSON twin, as an XLSX download in the sheet layout the breakdown import reads,
and "create tracking items from this breakdown" (the draft imported as it stands, through
:func:`luoshi.store.tracking.import_breakdown`: each item linked to its record where the row
words one; rows already tracked are skipped, never duplicated).

Editor role for all three: the draft is a working paper of the office that issues it.  The
suggested units come from the department table (``LUOSHI_DEPARTMENTS`` names a deployment's own).
A report that cannot be found is a 404 (:func:`..errors.refused_as`: the store says "no stored
document with id …" as a plain refusal).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from ... import store
from ...errors import InputError
from ...store import tracking as tr
from ...store.users import User
from ...track.departments import load_departments
from ...track.draft import breakdown
from ...track.draft_sheet import Draft, draft_xlsx
from ..auth import editor
from ..errors import refused_as
from ..respond import Id, WebError, attachment, page, twin

router = APIRouter(tags=["tracking"], dependencies=[refused_as(404)])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _draft(request: Request, document_id: int) -> Draft:
    doc = store.load_document(request.app.state.db, document_id)
    try:
        table = load_departments()
    except InputError as e:  # a deployment's own table that cannot be read
        raise WebError(500, f"department table {e.source}: {e.reason}") from None
    return breakdown(doc, table)


def _name(draft: Draft) -> str:
    return f"{draft.region or ''}{draft.year}年政府工作报告分工方案.xlsx"


@twin(router, "/documents/{document_id:int}/breakdown")
def breakdown_page(request: Request, document_id: Id, user: User = editor):
    """The drafted breakdown: one row per work item of the plan part, with its deadline (stated
    or the planned year's end) and suggested lead and supporting units."""
    draft = _draft(request, document_id)
    data = {"document_id": document_id, **draft.to_dict()}
    return page(request, "breakdown.html", data, filename=_name(draft))


@router.get(
    "/documents/{document_id:int}/breakdown.xlsx", response_class=Response, responses={200: {"content": {XLSX: {}}}}
)
def breakdown_xlsx(request: Request, document_id: Id, user: User = editor):
    """The drafted breakdown as XLSX (a title row, then 序号, 工作任务, 牵头单位, 配合单位, 完成时限…)."""
    draft = _draft(request, document_id)
    return Response(draft_xlsx(draft), media_type=XLSX, headers=attachment(_name(draft)))


@router.post("/documents/{document_id}/breakdown/track")
async def track_breakdown(request: Request, document_id: Id, user: User = editor):
    """Create tracking items from the draft as it stands (an edited sheet goes through
    ``POST /tracking/import``); rows already tracked are skipped."""
    draft = await run_in_threadpool(_draft, request, document_id)
    data = draft_xlsx(draft)
    try:
        report = await run_in_threadpool(
            tr.import_breakdown, request.app.state.db, user.name, data, _name(draft), document_id
        )
    except InputError as e:  # the sheet reader says "sheet": name the draft's file
        raise InputError(_name(draft), e.reason) from None
    return page(request, "tracking_import.html", report)
