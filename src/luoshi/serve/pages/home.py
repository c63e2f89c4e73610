"""The front page: the stored reports; on an empty database, an offer to load the sample."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse

from ... import store
from ...store import audit
from ...store.users import User
from ..auth import editor, viewer
from ..respond import page, twin, wants_json

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
    from ...cli import sample_path

    db = request.app.state.db
    report = await run_in_threadpool(store.import_paths, db, [sample_path()], workers=1)
    result = report.results[0] if report.results else None
    if result is not None and result.status == "imported":
        with db.write() as conn:
            audit.write(conn, user.name, "document.import", "document", result.document_id, None,
                        {"source": "sample", "records": result.records})
    data = {"status": result.status if result else "failed",
            "document_id": getattr(result, "document_id", None)}
    if wants_json(request):
        return data
    return RedirectResponse("/", status_code=303)
