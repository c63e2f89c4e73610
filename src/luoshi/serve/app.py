"""The app: routers from :mod:`.pages`, templates and assets from the package, error pages."""
from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..errors import LuoshiError
from ..store import Database
from ..store.faults import database_error
from ..store.users import secret_key
from . import auth
from . import locale as i18n
from ..track.evidence import local_or_web_link
from .headers import SecurityHeaders
from .limits import SESSION
from .respond import WebError, error_body, wants_json
from .session import BodyLimit, SessionMiddleware

log = logging.getLogger("luoshi.serve")
HERE = Path(str(resources.files("luoshi.serve")))


MAX_BODY = 20 * 1024 * 1024  # the largest request body: a breakdown sheet (10 MB) with room to spare


def create_app(db: Database, *, session_max_age: int = SESSION["idle"], session_lifetime: int = SESSION["absolute"],
               max_body: int = MAX_BODY, login_limits: dict | None = None) -> FastAPI:
    """The web app over ``db`` (an open database; the caller closes it).  A session ends when
    unused for ``session_max_age`` seconds or ``session_lifetime`` seconds after signing in;
    ``login_limits`` changes some of :data:`.limits.SIGN_IN`."""
    from .pages import ROUTERS

    app = FastAPI(title="luoshi", version=__version__, docs_url=None, redoc_url=None,
                  description="Government work reports as structured, trackable commitments. Every HTML page "
                              "has a JSON twin at the same path with `.json` (or `Accept: application/json`); "
                              "changes need the session's CSRF token in `X-CSRF-Token` (GET /session.json).",
                  dependencies=[Depends(auth.check_csrf)])
    app.state.db = db
    app.state.login_limiter = auth.LoginLimiter(**(login_limits or {}))
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(version=__version__)
    templates.env.globals["csrf_token"] = auth.csrf_token
    templates.env.globals["current_user"] = auth.current_user
    templates.env.globals["link_ok"] = link_ok
    i18n.install(templates.env)
    app.state.templates = templates
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(auth.router)

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request, user: auth.User = Depends(auth.require("viewer"))):
        """The API's documentation (Swagger UI, served from the package), for those who may read."""
        return templates.TemplateResponse(request, "docs.html", {})

    @app.get("/lang", include_in_schema=False)
    def switch_language(request: Request, to: str = i18n.DEFAULT, next: str = "/"):
        """The language switch in the page header: remembered in a cookie for a year."""
        if to not in i18n.LANGUAGES:
            raise WebError(422, "to: choose zh_CN or en")
        back = next if next.startswith("/") and not next.startswith(("//", "/\\")) else "/"
        response = RedirectResponse(back, status_code=303)
        response.set_cookie(i18n.COOKIE, to, max_age=365 * 24 * 3600, samesite="lax", httponly=True,
                            secure=request.url.scheme == "https")
        return response

    for router in ROUTERS:
        app.include_router(router)
    app.add_middleware(SessionMiddleware, secret_key=secret_key(db), max_age=session_max_age,
                       lifetime=session_lifetime)
    app.add_middleware(BodyLimit, max_bytes=max_body)
    app.add_middleware(SecurityHeaders)
    _errors(app)
    return app


def link_ok(url: str | None) -> bool:
    """Whether a stored link may be shown as a link (``http(s)://…`` or a path on this site):
    one stored before links were checked, such as ``//evil.example``, is shown as text."""
    try:
        return bool(url) and bool(local_or_web_link(url))
    except ValueError:
        return False


def from_environment() -> FastAPI:
    """The app over the database ``LUOSHI_DB`` names: what each process of ``luoshi serve
    --workers N`` runs."""
    from .. import store

    return create_app(store.connect(None))


def _error(request: Request, status: int, message: str, details=None):
    if status == 401 and not wants_json(request) and request.method == "GET":
        return auth.login_redirect(request)
    if wants_json(request):
        return JSONResponse(jsonable_encoder(error_body(status, message, details)), status_code=status)
    return request.app.state.templates.TemplateResponse(
        request, "error.html", {"status": status, "message": message}, status_code=status)


def _errors(app: FastAPI) -> None:
    @app.exception_handler(WebError)
    async def web_error(request: Request, e: WebError):
        response = _error(request, e.status, e.message, e.details)
        if e.status in (429, 503) and isinstance(e.details, dict) and "retry_after" in e.details:
            response.headers["Retry-After"] = str(e.details["retry_after"])
        return response

    @app.exception_handler(LuoshiError)
    async def luoshi_error(request: Request, e: LuoshiError):
        return _error(request, 400, str(e))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, e: StarletteHTTPException):
        messages = {404: "no such page", 405: "this page does not take that method"}
        message = e.detail if isinstance(e.detail, str) and e.detail not in ("Not Found", "Method Not Allowed") \
            else messages.get(e.status_code, str(e.detail))
        response = _error(request, e.status_code, message)
        if isinstance(response, RedirectResponse):
            return response
        for k, v in (e.headers or {}).items():
            response.headers[k] = v
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, e: RequestValidationError):
        problems = [{"where": ".".join(str(p) for p in err.get("loc", ())), "problem": err.get("msg", "")}
                    for err in e.errors()]
        first = problems[0] if problems else {"where": "", "problem": "invalid request"}
        return _error(request, 422, f"{first['where']}: {first['problem']}", problems)

    @app.exception_handler(DBAPIError)
    async def database(request: Request, e: DBAPIError):  # locked, disk full, server gone: say so
        clear = database_error(e, request.app.state.db.url)
        if clear is None:
            log.exception("database error serving %s %s", request.method, request.url.path)
            return _error(request, 500, "something went wrong on the server; the log has the details")
        return _error(request, 503, str(clear))

    @app.exception_handler(OverflowError)
    async def overflow(request: Request, e: OverflowError):  # a number too large for the database
        return _error(request, 422, "a number in the request is too large")

    @app.exception_handler(Exception)
    async def crash(request: Request, e: Exception):  # pragma: no cover - a bug; logged with its trace
        log.exception("error serving %s %s", request.method, request.url.path)
        return _error(request, 500, "something went wrong on the server; the log has the details")
