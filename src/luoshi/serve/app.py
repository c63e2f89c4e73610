"""The app: routers from :mod:`.pages`, templates and assets from the package, the exception
map of :mod:`.errors`, and the middleware (security headers, session, body limit)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from .. import __version__
from ..store import Database, connect
from ..store.users import User, secret_key
from ..track.evidence import local_or_web_link
from .auth import LoginLimiter, check_csrf, csrf_token, require
from .auth import router as auth_router
from .errors import install as install_errors
from .errors import render
from .headers import SecurityHeaders
from .limits import MAX_BODY, SESSION, BodyLimit
from ..locale import DEFAULT, LANGUAGES
from .language import COOKIE
from .language import install as install_languages
from .pages import ROUTERS
from .respond import WebError
from .session import SessionMiddleware, current_user

HERE = Path(str(resources.files("luoshi.serve")))


def create_app(
    db: Database,
    *,
    session_max_age: int = SESSION["idle"],
    session_lifetime: int = SESSION["absolute"],
    max_body: int = MAX_BODY,
    login_limits: dict | None = None,
) -> FastAPI:
    """The web app over ``db`` (an open database; the caller closes it).  A session ends when
    unused for ``session_max_age`` seconds or ``session_lifetime`` seconds after signing in;
    ``login_limits`` changes some of :data:`.limits.SIGN_IN`."""
    app = FastAPI(
        title="luoshi",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        description="Government work reports as structured, trackable commitments. Every HTML page "
        "has a JSON twin at the same path with `.json` (or `Accept: application/json`); "
        "changes need the session's CSRF token in `X-CSRF-Token` (GET /session.json).",
        dependencies=[Depends(check_csrf)],
    )
    app.state.db = db
    app.state.login_limiter = LoginLimiter(**(login_limits or {}))
    app.state.templates = _templates()
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(auth_router)
    app.add_api_route("/docs", docs, methods=["GET"], include_in_schema=False)
    app.add_api_route("/lang", switch_language, methods=["GET"], include_in_schema=False)
    for router in ROUTERS:
        app.include_router(router)
    # the last added runs first: headers on every answer, then the session, then the body limit
    # (inside the session, so that its 413 page knows who is signed in)
    app.add_middleware(BodyLimit, max_bytes=max_body, refuse=render)
    app.add_middleware(SessionMiddleware, secret_key=secret_key(db), max_age=session_max_age, lifetime=session_lifetime)
    app.add_middleware(SecurityHeaders)
    install_errors(app)
    return app


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(version=__version__, csrf_token=csrf_token, current_user=current_user, link_ok=link_ok)
    install_languages(templates.env)
    return templates


def docs(request: Request, user: User = Depends(require("viewer"))):
    """The API's documentation (Swagger UI, served from the package), for those who may read."""
    return request.app.state.templates.TemplateResponse(request, "docs.html", {})


def switch_language(request: Request, to: str = DEFAULT, next: str = "/"):
    """The language switch in the page header: remembered in a cookie for a year."""
    if to not in LANGUAGES:
        raise WebError(422, "to: choose zh_CN or en")
    back = next if next.startswith("/") and not next.startswith(("//", "/\\")) else "/"
    response = RedirectResponse(back, status_code=303)
    response.set_cookie(
        COOKIE, to, max_age=365 * 24 * 3600, samesite="lax", httponly=True, secure=request.url.scheme == "https"
    )
    return response


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
    return create_app(connect(None))
