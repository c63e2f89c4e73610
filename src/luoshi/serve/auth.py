"""Who is asking, and may they: sign-in, roles, CSRF tokens and a login rate limit.

* The session cookie (:mod:`.session`) holds the user's id, their ``session_epoch`` (a change
  of role or password bumps it and so signs every session out) and a CSRF token.
* :func:`require` is the dependency each handler names: ``Depends(require("editor"))``.
  Without a session a reader is let in only when the setting ``anonymous_read`` is ``yes``.
  An HTML request without a session is sent to ``/login``; JSON gets 401; a role too low 403.
* :func:`check_csrf` runs before every handler: a POST, PUT, PATCH or DELETE must carry the
  session's token in the ``X-CSRF-Token`` header or a ``csrf_token`` form field.
* Failed logins are limited per client address and per name (:class:`LoginLimiter`).
* ``/setup`` creates the first admin while there are no users at all.
"""
from __future__ import annotations

import hmac
import secrets
import time
from collections import defaultdict, deque
from typing import Callable
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from ..store import users as accounts
from ..store.errors import StoreError
from ..store.users import User
from .respond import WebError, page, wants_json

ANONYMOUS = User(0, "", "viewer")
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
router = APIRouter(tags=["session"])


class LoginLimiter:
    """At most ``attempts`` failed logins per ``window`` seconds per client address and per name."""

    def __init__(self, attempts: int = 5, window: float = 300.0):
        self.attempts, self.window = attempts, window
        self.failures: dict[str, deque] = defaultdict(deque)

    def _recent(self, key: str, now: float) -> deque:
        q = self.failures[key]
        while q and q[0] <= now - self.window:
            q.popleft()
        return q

    def retry_after(self, *keys: str) -> int:
        """Seconds until another attempt is allowed (0: now)."""
        now = time.monotonic()
        waits = [int(q[0] + self.window - now) + 1 for q in (self._recent(k, now) for k in keys)
                 if len(q) >= self.attempts]
        return max(waits, default=0)

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        for k in keys:
            self._recent(k, now).append(now)

    def succeeded(self, *keys: str) -> None:
        for k in keys:
            self.failures.pop(k, None)


def csrf_token(request: Request) -> str:
    """The session's CSRF token (made on first use)."""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


async def check_csrf(request: Request) -> None:
    if request.method not in UNSAFE:
        return
    sent = request.headers.get("x-csrf-token")
    if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        sent = form.get("csrf_token")
    expected = request.session.get("csrf")
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(sent, expected):
        raise WebError(403, "missing or wrong CSRF token: reload the page and try again")


def current_user(request: Request) -> User | None:
    """The signed-in user, or None."""
    if hasattr(request.state, "user"):
        return request.state.user
    user = None
    uid = request.session.get("uid")
    if isinstance(uid, int):
        found = accounts.get_user(request.app.state.db, uid)
        if found is not None and found.session_epoch == request.session.get("epoch"):
            user = found
        else:
            request.session.pop("uid", None)
    request.state.user = user
    return user


def anonymous_read(request: Request) -> bool:
    return accounts.get_setting(request.app.state.db, "anonymous_read") == "yes"


def require(role: str) -> Callable[[Request], User]:
    """A dependency: the user, who must have ``role`` (or a higher one)."""
    def dependency(request: Request) -> User:
        user = current_user(request)
        if user is None:
            if role == "viewer" and anonymous_read(request):
                return ANONYMOUS
            raise WebError(401, "sign in to see this page")
        if not user.can(role):
            raise WebError(403, f"this needs the {role} role; you are {user.role}")
        return user
    dependency.__name__ = f"require_{role}"
    return dependency


def safe_next(target: str | None) -> str:
    """A local path to go to after signing in (never another site)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def login_redirect(request: Request) -> RedirectResponse:
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(path)}", status_code=303)


@router.get("/session.json")
def session_info(request: Request) -> dict:
    """Who is signed in, their role, and the CSRF token to send with changes."""
    user = current_user(request)
    return {"user": None if user is None else {"name": user.name, "role": user.role},
            "csrf_token": csrf_token(request), "anonymous_read": anonymous_read(request)}


@router.get("/login", include_in_schema=False)
def login_page(request: Request, next: str = "/"):
    if accounts.count_users(request.app.state.db) == 0:
        return RedirectResponse("/setup", status_code=303)
    return page(request, "login.html", {"next": safe_next(next), "error": None})


@router.post("/login")
def login(request: Request, name: str = Form(...), password: str = Form(...), next: str = Form("/")):
    """Sign in.  Too many failures from one address or for one name → 429 for a while."""
    limiter: LoginLimiter = request.app.state.login_limiter
    client = request.client.host if request.client else "?"
    keys = (f"ip:{client}", f"name:{name}")
    wait = limiter.retry_after(*keys)
    if wait:
        raise WebError(429, f"too many failed sign-ins: try again in {wait} s", {"retry_after": wait})
    user = accounts.authenticate(request.app.state.db, name, password)
    if user is None:
        limiter.failed(*keys)
        if wants_json(request):
            raise WebError(401, "wrong name or password")
        return page(request, "login.html", {"next": safe_next(next), "error": "wrong name or password"},
                    status=401)
    limiter.succeeded(*keys)
    request.session.clear()  # a new session (and CSRF token) on every sign-in
    request.session.update(uid=user.id, epoch=user.session_epoch, csrf=secrets.token_urlsafe(32))
    if wants_json(request):
        return {"user": {"name": user.name, "role": user.role}, "csrf_token": request.session["csrf"]}
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request):
    request.session.clear()
    if wants_json(request):
        return {"user": None}
    return RedirectResponse("/login", status_code=303)


@router.get("/setup", include_in_schema=False)
def setup_page(request: Request):
    if accounts.count_users(request.app.state.db):
        return RedirectResponse("/login", status_code=303)
    return page(request, "setup.html", {"error": None})


@router.post("/setup")
def setup(request: Request, name: str = Form(...), password: str = Form(...)):
    """Create the first admin; refused once any user exists."""
    db = request.app.state.db
    if accounts.count_users(db):
        raise WebError(403, "setup is done: an admin adds users (luoshi users add)")
    try:
        user = accounts.add_user(db, name, password, "admin", actor=name)
    except StoreError as e:
        if wants_json(request):
            raise WebError(422, str(e)) from None
        return page(request, "setup.html", {"error": str(e)}, status=422)
    request.session.clear()
    request.session.update(uid=user.id, epoch=user.session_epoch, csrf=secrets.token_urlsafe(32))
    if wants_json(request):
        return {"user": {"name": user.name, "role": user.role}, "csrf_token": request.session["csrf"]}
    return RedirectResponse("/", status_code=303)


viewer = Depends(require("viewer"))
editor = Depends(require("editor"))
admin = Depends(require("admin"))
