"""The exception map: every error a request can end in, answered once, in one shape.

:func:`install` registers the app's exception handlers; each answer goes through
:func:`render`, as an HTML page (``error.html``, in the page's language) or as
:func:`.respond.error_body` JSON, by the request's ``.json`` or ``Accept``.

luoshi's own errors are answered by :data:`STATUS` (the first class of the error's MRO found
there), so a page handler calls the store and lets its errors through:

* :class:`~luoshi.store.errors.NotFound` → 404; :class:`~luoshi.store.errors.Conflict` → 409,
  with the item as it is now and the other change (``details``: ``current``, ``changes``);
* :class:`~luoshi.errors.InputError` (a file or sheet sent that cannot be read) → 422;
* any other :class:`~luoshi.store.errors.StoreError` → 422 (the store refuses what was asked),
  or the status a route declares with :func:`refused_as` (the scorecard's and the breakdown's
  look-ups by name: 404), or 503 when it stands for a database that cannot be used now
  (locked, disk full, server gone: raised while handling the driver's error);
* any other :class:`~luoshi.errors.LuoshiError` → 400.

Besides: :class:`.respond.WebError` (its own status), FastAPI's 404/405 and validation errors
(422 naming the field), the driver's errors (503 when :func:`~luoshi.store.faults.database_error`
names the cause, else 500), a number too large for the database (422), and anything else (500,
logged with its trace).  A 401 on an HTML GET is a redirect to the sign-in page.
"""

from __future__ import annotations

import logging

from fastapi import Depends, FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import InputError, LuoshiError
from ..store.errors import Conflict, NotFound, StoreError
from ..store.faults import database_error
from .auth import login_redirect
from .respond import WebError, error_body, wants_json

log = logging.getLogger("luoshi.serve")

STATUS: dict[type[LuoshiError], int] = {
    NotFound: 404,  # the document, record, item or user asked for does not exist
    Conflict: 409,  # changed by someone else since the version the change was made against
    InputError: 422,  # a file or sheet sent that cannot be read: its one-line reason
    StoreError: 422,  # the store refuses what was asked (see refused_as, and 503 below)
    LuoshiError: 400,
}
HTTP_MESSAGES = {404: "no such page", 405: "this page does not take that method"}
CRASH = "something went wrong on the server; the log has the details"


def render(request: Request, status: int, message: str, details=None) -> Response:
    """The error ``status`` with ``message`` as JSON (``details`` too) or as the error page; a
    401 on an HTML GET is the sign-in page, which comes back here afterwards."""
    if status == 401 and not wants_json(request) and request.method == "GET":
        return login_redirect(request)
    if wants_json(request):
        return JSONResponse(jsonable_encoder(error_body(status, message, details)), status_code=status)
    return request.app.state.templates.TemplateResponse(
        request, "error.html", {"status": status, "message": message}, status_code=status
    )


def refused_as(status: int):
    """A route dependency: on this route a plain :class:`StoreError` (neither NotFound nor
    Conflict) is answered with ``status`` instead of 422.  The scorecard's, the compare page's
    and the breakdown's store calls are look-ups by name ("no stored report of 火星 for 2025",
    "unknown indicator id"): there, a refusal means nothing answers to that name (404)."""

    def declare(request: Request) -> None:
        request.state.store_refusal = status

    return Depends(declare)


def status_of(request: Request, e: LuoshiError) -> int:
    """The HTTP status of luoshi's error ``e`` on ``request`` (:data:`STATUS`, :func:`refused_as`)."""
    kind = next(k for k in type(e).__mro__ if k in STATUS)
    if kind is StoreError:
        cause = e.__context__  # the store's one line for a locked, full or gone database (not a duplicate name)
        if isinstance(cause, DBAPIError) and database_error(cause) is not None:
            return 503
        return getattr(request.state, "store_refusal", STATUS[StoreError])
    return STATUS[kind]


async def luoshi_error(request: Request, e: LuoshiError) -> Response:
    details = {"current": e.current, "changes": e.changes} if isinstance(e, Conflict) else None
    return render(request, status_of(request, e), str(e), details)


async def web_error(request: Request, e: WebError) -> Response:
    response = render(request, e.status, e.message, e.details)
    if e.status in (429, 503) and isinstance(e.details, dict) and "retry_after" in e.details:
        response.headers["Retry-After"] = str(e.details["retry_after"])
    return response


async def http_error(request: Request, e: StarletteHTTPException) -> Response:
    message = (
        e.detail
        if isinstance(e.detail, str) and e.detail not in ("Not Found", "Method Not Allowed")
        else HTTP_MESSAGES.get(e.status_code, str(e.detail))
    )
    response = render(request, e.status_code, message)
    if isinstance(response, RedirectResponse):
        return response
    for k, v in (e.headers or {}).items():
        response.headers[k] = v
    return response


async def invalid(request: Request, e: RequestValidationError) -> Response:
    problems = [
        {"where": ".".join(str(p) for p in err.get("loc", ())), "problem": err.get("msg", "")} for err in e.errors()
    ]
    first = problems[0] if problems else {"where": "", "problem": "invalid request"}
    return render(request, 422, f"{first['where']}: {first['problem']}", problems)


async def database(request: Request, e: DBAPIError) -> Response:
    """Locked, disk full, server gone: said in one line (503); any other driver error is a bug."""
    clear = database_error(e, request.app.state.db.url)
    if clear is None:
        log.exception("database error serving %s %s", request.method, request.url.path)
        return render(request, 500, CRASH)
    return render(request, 503, str(clear))


async def overflow(request: Request, e: OverflowError) -> Response:  # a number too large for the database
    return render(request, 422, "a number in the request is too large")


async def crash(request: Request, e: Exception) -> Response:  # pragma: no cover - a bug; logged with its trace
    log.exception("error serving %s %s", request.method, request.url.path)
    return render(request, 500, CRASH)


HANDLERS = {
    WebError: web_error,
    LuoshiError: luoshi_error,
    StarletteHTTPException: http_error,
    RequestValidationError: invalid,
    DBAPIError: database,
    OverflowError: overflow,
    Exception: crash,
}


def install(app: FastAPI) -> None:
    """Register :data:`HANDLERS` on ``app``."""
    for kind, handler in HANDLERS.items():
        app.add_exception_handler(kind, handler)
