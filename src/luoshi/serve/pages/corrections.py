"""Reviewers' corrections: the API the reader calls to fix, reject, add and undo, the list of
corrections, and their export in the gold files' format (:func:`luoshi.store.gold.export_gold`).

Changes need the editor role; the reviewer recorded is the signed-in user.  A record or
document that does not exist is 404, a bad field 422 (Pydantic's checks, then the store's: the
store's errors go through the app's exception map, :mod:`..errors`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from ...model import Action, Kind, Measure, Qualifier, RecordType
from ...store import corrections as corr
from ...store import gold
from ...store.users import User
from ..auth import editor, viewer
from ..limits import most
from ..respond import WebError, attachment, page, twin

router = APIRouter(tags=["corrections"])
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]  # the ids of the store's tables


class RecordFields(BaseModel):
    """A record's fields (shared/spec/records.md); a fix sends only those it changes.  The
    evidence is always the cleaned text at ``start:end``: the server sets it."""

    model_config = ConfigDict(extra="forbid", strict=True)

    type: RecordType | None = None
    kind: Kind | None = None
    year: int | None = None
    indicator: str | None = Field(None, max_length=most("indicator"))
    measure: Measure | None = None
    value: float | None = Field(None, allow_inf_nan=False)
    value_max: float | None = Field(None, allow_inf_nan=False)
    unit: str | None = Field(None, max_length=most("unit"))
    qualifier: Qualifier | None = None
    estimated: bool | None = None
    scope: str | None = Field(None, max_length=most("scope"))
    indicator_id: str | None = Field(None, max_length=most("indicator_id"))
    action: Action | None = None
    object: str | None = Field(None, max_length=most("object"))
    verb: str | None = Field(None, max_length=most("verb"))
    start: int | None = Field(None, ge=0)
    end: int | None = Field(None, ge=0)
    evidence: str | None = Field(None, max_length=most("evidence"))
    section: str | None = Field(None, max_length=most("section"))
    topic: str | None = Field(None, max_length=most("topic"))


class NewRecord(RecordFields):
    """A record a reviewer adds: its type, kind and span at least (and ``indicator``,
    ``measure``, ``value`` for an indicator; ``action``, ``object`` for a task)."""

    type: RecordType
    kind: Kind
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Note(BaseModel):
    note: str | None = Field(None, max_length=most("correction_note"))


class Fix(Note):
    fields: RecordFields


class Addition(Note):
    fields: NewRecord


class Changed(BaseModel):
    correction_id: int
    record: dict[str, Any] | None = Field(None, description="The record as listings now show it.")


class Removed(BaseModel):
    correction_id: int
    removed: dict[str, Any] = Field(description="The correction undone, as /corrections.json lists it.")


def _change(request: Request, user: User, action: str, note: str | None, **target) -> dict:
    db = request.app.state.db
    correction_id = corr.add_correction(db, action, reviewer=user.name, note=note, anchored=True, **target)
    return {"correction_id": correction_id, "record": corr.corrected_record(db, correction_id)}


@router.post("/api/records/{record_id}/fix", response_model=Changed)
def fix_record(request: Request, record_id: Id, body: Fix, user: User = editor):
    """Set some of a record's fields (a new span: both ``start`` and ``end``)."""
    return _change(
        request, user, "fix", body.note, record_id=record_id, fields=body.fields.model_dump(exclude_unset=True)
    )


@router.post("/api/records/{record_id}/reject", response_model=Changed)
def reject_record(request: Request, record_id: Id, body: Note | None = None, user: User = editor):
    """Reject a record: listings and exports leave it out (``rejected=true`` shows it)."""
    return _change(request, user, "reject", body.note if body else None, record_id=record_id)


@router.post("/api/documents/{document_id}/records", response_model=Changed)
def add_record(request: Request, document_id: Id, body: Addition, user: User = editor):
    """Add a record the extractor missed, from a span of the cleaned text (0 ≤ start < end ≤
    its length); its evidence, section and topic are read from the text."""
    return _change(
        request, user, "add", body.note, document_id=document_id, fields=body.fields.model_dump(exclude_unset=True)
    )


@router.delete("/api/corrections/{correction_id}", response_model=Removed)
def undo_correction(request: Request, correction_id: Id, user: User = editor):
    """Undo a correction (the record shows as extracted again)."""
    removed = corr.remove_correction(request.app.state.db, correction_id, user.name)
    return {"correction_id": correction_id, "removed": removed}


@twin(router, "/corrections")
def corrections_page(request: Request, document: str | None = None, reviewer: str | None = None, user: User = viewer):
    """Corrections, newest first; ``document`` (id or name) and ``reviewer`` filter them."""
    rows = corr.list_corrections(request.app.state.db, document=document or None, reviewer=reviewer or None)
    docs = {r["document_id"]: r["document"] for r in rows}
    return page(
        request,
        "corrections.html",
        {
            "corrections": rows,
            "filters": {"document": document, "reviewer": reviewer},
            "exports": [
                {"document_id": i, "document": name, "url": f"/api/corrections/export.jsonl?document={i}"}
                for i, name in sorted(docs.items())
            ],
        },
    )


@router.get(
    "/api/corrections/export.jsonl",
    response_class=Response,
    responses={
        200: {
            "content": {"application/x-ndjson": {}},
            "description": "One record a line, as in shared/eval/*.gold.jsonl.",
        }
    },
)
def export_gold(
    request: Request,
    user: User = viewer,
    document: str = Query(..., description="The report: its id, or (part of) its file name."),
):
    """A report's records, corrections applied, in the gold files' format (score.py reads it)."""
    found = gold.export_gold(request.app.state.db, document)
    if len(found) > 1:
        names = ", ".join(f"{d['name']} (id {d['id']})" for d, _ in found)
        raise WebError(400, f"{document!r} names {len(found)} reports: {names}; give an id")
    doc, rows = found[0]
    return Response(gold.gold_jsonl(rows), media_type="application/x-ndjson", headers=attachment(gold.gold_name(doc)))
