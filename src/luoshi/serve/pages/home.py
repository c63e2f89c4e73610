"""The front page: the stored reports; on an empty database, an offer to load the sample; a
report added from the browser (``/documents/new``: :func:`luoshi.importing.import_paths`, as
``luoshi import``, audited in the import's own transaction)."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from starlette.datastructures import UploadFile

from ... import settings, store
from ...importing import SUFFIXES, import_paths
from ...store.users import User
from ..auth import editor, viewer
from ...data import sample_path
from ..respond import WebError, page, twin, wants_json

router = APIRouter(tags=["documents"])


@twin(router, "/")
def home(request: Request, user: User = viewer):
    """The stored reports, newest year first."""
    docs = store.list_documents(request.app.state.db)
    docs.sort(key=lambda d: (-(d["year"] or 0), d["region"] or "", d["id"]))
    return page(request, "home.html", {"documents": docs})


@router.post("/sample")
async def load_sample(request: Request, user: User = editor):
    """Import the bundled sample report (Ningbo 2024)."""
    db = request.app.state.db
    report = await run_in_threadpool(
        import_paths, db, [sample_path()], workers=1, actor=user.name, origin={"source": "sample"}
    )
    result = report.results[0] if report.results else None
    data = {"status": result.status if result else "failed", "document_id": getattr(result, "document_id", None)}
    if wants_json(request):
        return data
    return RedirectResponse("/", status_code=303)


@twin(router, "/documents/new")
def new_document(request: Request, user: User = editor):
    """The form that adds a report (TXT, PDF, HTML, DOCX) from the browser."""
    return page(request, "upload.html", {"suffixes": list(SUFFIXES), "max_bytes": settings.max_bytes()})


_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')


def upload_name(filename: str) -> str:
    r"""The stored name of an uploaded file: its last path part, no control characters or path
    separators, at most 200 characters (its suffix kept).

    >>> upload_name("C:\\报告\\浙江省2025年政府工作报告.docx"), upload_name("../../x\r\n.txt"), upload_name("")
    ('浙江省2025年政府工作报告.docx', 'x__.txt', 'report')
    """
    name = _UNSAFE_NAME.sub("_", re.split(r"[\\/]", filename or "")[-1]).strip(" .") or "report"
    stem, dot, suffix = name.rpartition(".")
    if dot and len(suffix) <= 5 and len(name) > 200:
        return stem[:194] + "." + suffix
    return name[:200]


@router.post("/documents")
async def upload_document(request: Request, user: User = editor):
    """Import one uploaded report with the store's import (same size limit, same one-line
    errors as ``luoshi import``), then open its reader; a report already stored says which."""
    form = await request.form()
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise WebError(422, "choose a report file to add")
    name = upload_name(upload.filename)
    db = request.app.state.db
    with tempfile.TemporaryDirectory(prefix="luoshi-upload-") as folder:
        path = Path(folder) / name
        with path.open("wb") as out:
            while chunk := await upload.read(1 << 20):
                out.write(chunk)
        report = await run_in_threadpool(
            import_paths, db, [str(path)], workers=1, actor=user.name, origin={"source": "upload", "name": name}
        )
    result = report.results[0]
    detail = result.detail.replace(str(path), name) if result.detail else ""
    data = {
        "status": result.status,
        "document_id": result.document_id,
        "name": name,
        "detail": detail,
        "records": result.records,
    }
    if result.status == "imported":
        if wants_json(request):
            return data
        return RedirectResponse(f"/documents/{result.document_id}", status_code=303)
    if result.status == "unchanged":
        stored = next((d for d in store.list_documents(db) if d["id"] == result.document_id), None)
        data["stored"] = {
            "id": result.document_id,
            "name": stored["name"] if stored else None,
            "title": stored.get("title") if stored else None,
        }
        raise WebError(409, f"{name}: already stored as {data['stored']['name'] or result.document_id}", data)
    raise WebError(422, f"{name}: {detail}", data)
