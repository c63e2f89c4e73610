"""Administration (admin role): users and roles, settings, and the audit log."""

from __future__ import annotations

from typing import Annotated, Optional

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from ...output.formats import csv_bytes
from ..language import export_language
from ...store import audit
from ...store import users as accounts
from ...store.users import ROLES, User
from ..auth import admin
from ..bodies import NewUser, Settings, UserChange, documented, validated
from ..limits import most
from ..respond import WebError, attachment, page, read_body, twin, wants_json

router = APIRouter(tags=["admin"])


def _back(request: Request, data: dict, path: str):
    return data if wants_json(request) else RedirectResponse(path, status_code=303)


@twin(router, "/admin/users")
def users_page(request: Request, user: User = admin):
    """The users, their roles, and the settings."""
    db = request.app.state.db
    return page(
        request,
        "admin_users.html",
        {"users": accounts.list_users(db), "settings": {k: accounts.get_setting(db, k) for k in accounts.SETTINGS}},
        roles=ROLES,
    )


@router.post("/admin/users", openapi_extra=documented(NewUser))
async def add_user(request: Request, user: User = admin):
    """Add a user: ``name``, ``password`` (8+ characters), ``role``."""
    body = validated(NewUser, {k: v for k, v in (await read_body(request)).items() if v != ""})
    new = await run_in_threadpool(
        accounts.add_user, request.app.state.db, body.name, body.password, body.role, user.name
    )
    return _back(request, {"name": new.name, "role": new.role}, "/admin/users")


@router.post("/admin/users/{name}", openapi_extra=documented(UserChange))
async def change_user(request: Request, name: Annotated[str, Path(max_length=most("user_name"))], user: User = admin):
    """Change a user's ``role``, ``password`` or ``disabled`` (their sessions end)."""
    body = validated(UserChange, {k: v for k, v in (await read_body(request)).items() if v != ""})
    if name == user.name and (body.disabled or body.role not in (None, "admin")):
        raise WebError(422, "you cannot demote or disable yourself: ask another admin")
    await run_in_threadpool(
        accounts.set_user,
        request.app.state.db,
        name,
        role=body.role,
        password=body.password,
        disabled=body.disabled,
        actor=user.name,
    )
    return _back(request, {"name": name, "changed": True}, "/admin/users")


@router.post("/admin/settings", openapi_extra=documented(Settings))
async def change_settings(request: Request, user: User = admin):
    """Change settings: ``anonymous_read`` (yes | no)."""
    body = validated(Settings, await read_body(request))
    for key, value in body.model_dump(exclude_none=True).items():
        accounts.set_setting(request.app.state.db, key, value, actor=user.name)
    return _back(request, {k: accounts.get_setting(request.app.state.db, k) for k in accounts.SETTINGS}, "/admin/users")


@twin(router, "/admin/audit")
def audit_page(
    request: Request,
    entity: Optional[str] = None,
    entity_id: Optional[str] = None,
    actor: Optional[str] = None,
    limit: int = Query(500, ge=1, le=100_000),
    user: User = admin,
):
    """The audit log, newest first."""
    rows = audit.entries(request.app.state.db, entity=entity, entity_id=entity_id, actor=actor, limit=limit)
    for r in rows:
        r["changed"] = {k: {"before": b, "after": a} for k, (b, a) in audit.changed(r["before"], r["after"]).items()}
    return page(
        request,
        "admin_audit.html",
        {"entries": rows, "filters": {"entity": entity, "entity_id": entity_id, "actor": actor}},
    )


@router.get("/admin/audit.csv", response_class=Response, responses={200: {"content": {"text/csv": {}}}})
def audit_csv(request: Request, entity: Optional[str] = None, actor: Optional[str] = None, user: User = admin):
    """The whole audit log (or a filtered part) as CSV with a BOM, for spreadsheets."""
    rows = audit.entries(request.app.state.db, entity=entity, actor=actor)
    return Response(
        csv_bytes(rows, audit.COLUMNS, lang=export_language(request)),
        media_type="text/csv; charset=utf-8",
        headers=attachment("audit.csv"),
    )
