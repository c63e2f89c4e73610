"""Who is asking, and may they: sign-in, roles, CSRF tokens and a login rate limit.

* The session cookie (:mod:`.session`) holds the user's id, their ``session_epoch`` (a change
  of role or password bumps it and so signs every session out) and a CSRF token;
  :func:`.session.current_user` reads it.
* :func:`require` is the dependency each handler names: ``Depends(require("editor"))``.
  Without a session a reader is let in only when the setting ``anonymous_read`` is ``yes``.
  An HTML request without a session is sent to ``/login``; JSON gets 401; a role too low 403.
* :func:`check_csrf` runs before every handler: a POST, PUT, PATCH or DELETE must carry the
  session's token in the ``X-CSRF-Token`` header or a ``csrf_token`` form field.
* Failed logins are counted before the password is checked, per (name, address), per address,
  and per name with a back-off; few passwords are checked at once (:class:`LoginLimiter`).
* Signing out ends every copy of the session cookie (the user's epoch moves on); a session
  also ends some hours after signing in, however much it is used (:mod:`.session`).
* ``/setup`` creates the first admin while there are no users at all.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import defaultdict, deque
from contextlib import contextmanager
from typing import Annotated, Callable
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from ..store import users as accounts
from ..store.errors import StoreError
from ..store.users import User
from .limits import SIGN_IN, most
from .respond import WebError, page, wants_json
from .session import current_user

ANONYMOUS = User(0, "", "viewer")
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
router = APIRouter(tags=["session"])


class LoginLimiter:
    """Failed sign-ins, counted *before* the password is checked (:data:`.limits.SIGN_IN`).

    :meth:`begin` counts an attempt as failed at once, under a lock, and says how long to wait
    if one limit is reached; :meth:`succeeded` takes a correct one back.  So a hundred
    simultaneous guesses for one name check ``per_name_and_address`` passwords, not a hundred.

    * ``per_name_and_address`` failures for a name from one address lock that pair only: five
      wrong passwords for ``admin`` from one place do not lock the real admin out elsewhere;
    * ``per_address`` failures from one address, whatever the names;
    * for a name, from any address: after ``name_free`` failures, each attempt waits 2, 4, 8 …
      seconds after the last (at most ``name_backoff_max``): a slower, global back-off.

    A sign-in clears its own (name, address) count only, never another name's.
    ``hash_slots`` bounds the passwords checked at once (:meth:`hashing`)."""

    def __init__(self, attempts: int | None = None, window: float | None = None, **limits):
        settings = {**SIGN_IN, **limits}
        if attempts is not None:
            settings["per_name_and_address"] = attempts
        if window is not None:
            settings["window"] = window
        self.limits = settings
        self.window = settings["window"]
        self.failures: dict[tuple, deque] = defaultdict(deque)
        self.lock = threading.Lock()
        self.slots = threading.BoundedSemaphore(settings["hash_slots"])
        self._calls = 0

    def _recent(self, key: tuple, now: float) -> deque:
        q = self.failures[key]
        while q and q[0] <= now - self.window:
            q.popleft()
        return q

    def _wait(self, name: str, address: str, now: float) -> int:
        lim, waits = self.limits, []
        for key, limit in (
            (("pair", name, address), lim["per_name_and_address"]),
            (("address", address), lim["per_address"]),
        ):
            q = self._recent(key, now)
            if len(q) >= limit:
                waits.append(q[-limit] + self.window - now)
        q = self._recent(("name", name), now)
        over = len(q) - lim["name_free"]
        if over >= 0:
            waits.append(q[-1] + min(2 ** (over + 1), lim["name_backoff_max"]) - now)
        return max([int(w) + 1 for w in waits if w > 0], default=0)

    def _keys(self, name: str, address: str) -> tuple:
        return ("pair", name, address), ("address", address), ("name", name)

    def begin(self, name: str, address: str) -> tuple[int, float]:
        """``(seconds to wait, 0)`` when a limit is reached, else ``(0, stamp)``: the attempt is
        counted as failed until :meth:`succeeded` is called with ``stamp``."""
        with self.lock:
            now = time.monotonic()
            self._calls += 1
            if self._calls % 1000 == 0:  # forget names and addresses with no recent failure
                for key in [k for k, q in self.failures.items() if not q or q[-1] <= now - self.window]:
                    del self.failures[key]
            wait = self._wait(name, address, now)
            if wait:
                return wait, 0.0
            for key in self._keys(name, address):
                self.failures[key].append(now)
            return 0, now

    def succeeded(self, name: str, address: str, stamp: float) -> None:
        """The attempt ``stamp`` was right: not a failure; the (name, address) count starts again."""
        with self.lock:
            self.failures.pop(("pair", name, address), None)
            for key in self._keys(name, address)[1:]:
                q = self.failures.get(key)
                if q is not None and stamp in q:
                    q.remove(stamp)

    def cancel(self, name: str, address: str, stamp: float) -> None:
        """The attempt ``stamp`` was not checked at all (no slot): not a failure."""
        with self.lock:
            for key in self._keys(name, address):
                q = self.failures.get(key)
                if q is not None and stamp in q:
                    q.remove(stamp)

    @contextmanager
    def hashing(self):
        """A slot to check a password in; 503 when none frees up within ``hash_wait`` seconds."""
        if not self.slots.acquire(timeout=self.limits["hash_wait"]):
            raise WebError(
                503, "the server is busy checking other sign-ins: try again in a few seconds", {"retry_after": 2}
            )
        try:
            yield
        finally:
            self.slots.release()


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
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        sent = form.get("csrf_token")
    expected = request.session.get("csrf")
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(sent, expected):
        raise WebError(403, "missing or wrong CSRF token: reload the page and try again")


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
    return {
        "user": None if user is None else {"name": user.name, "role": user.role},
        "csrf_token": csrf_token(request),
        "anonymous_read": anonymous_read(request),
    }


@router.get("/login", include_in_schema=False)
def login_page(request: Request, next: str = "/"):
    if accounts.count_users(request.app.state.db) == 0:
        return RedirectResponse("/setup", status_code=303)
    return page(request, "login.html", {"next": safe_next(next), "error": None})


Name = Annotated[str, Form(max_length=most("user_name"))]
Password = Annotated[str, Form(max_length=most("password"))]


def start_session(request: Request, user: User) -> None:
    """A new session (and CSRF token) for ``user``, stamped with the time it began: it ends
    ``SESSION["absolute"]`` seconds later however much it is used (:mod:`.session`)."""
    request.session.clear()
    request.session.update(
        uid=user.id, epoch=user.session_epoch, csrf=secrets.token_urlsafe(32), started=int(time.time())
    )


@router.post("/login")
def login(request: Request, name: Name, password: Password, next: str = Form("/")):
    """Sign in.  Too many failures for a name from one address, from one address, or for a
    name from anywhere → 429 for a while (:class:`LoginLimiter`)."""
    limiter: LoginLimiter = request.app.state.login_limiter
    client = request.client.host if request.client else "?"
    wait, stamp = limiter.begin(name, client)
    if wait:
        raise WebError(429, f"too many failed sign-ins: try again in {wait} s", {"retry_after": wait})
    try:
        with limiter.hashing():
            user = accounts.authenticate(request.app.state.db, name, password)
    except Exception:  # not checked (no slot free, the database unreachable): not a failure
        limiter.cancel(name, client, stamp)
        raise
    if user is None:
        if wants_json(request):
            raise WebError(401, "wrong name or password")
        return page(request, "login.html", {"next": safe_next(next), "error": "wrong name or password"}, status=401)
    limiter.succeeded(name, client, stamp)
    start_session(request, user)
    if wants_json(request):
        return {"user": {"name": user.name, "role": user.role}, "csrf_token": request.session["csrf"]}
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request):
    """Sign out: this session ends, and so does every copy of its cookie (the user's session
    epoch moves on, which ends their other sessions too)."""
    user = current_user(request)
    if user is not None:
        accounts.end_sessions(request.app.state.db, user.name)
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
def setup(request: Request, name: Name, password: Password):
    """Create the first admin; refused once any user exists."""
    db = request.app.state.db
    if accounts.count_users(db):
        raise WebError(403, "setup is done: an admin adds users (luoshi users add)")
    try:
        with request.app.state.login_limiter.hashing():
            user = accounts.add_user(db, name, password, "admin", actor=name, first=True)
    except accounts.SetupDone:  # another first run won the race: the check and insert are one transaction
        raise WebError(403, "setup is done: an admin adds users (luoshi users add)") from None
    except StoreError as e:  # refused (a short password…): JSON gets the error shape, the form itself again
        if wants_json(request):
            raise
        return page(request, "setup.html", {"error": str(e)}, status=422)
    start_session(request, user)
    if wants_json(request):
        return {"user": {"name": user.name, "role": user.role}, "csrf_token": request.session["csrf"]}
    return RedirectResponse("/", status_code=303)


viewer = Depends(require("viewer"))
editor = Depends(require("editor"))
admin = Depends(require("admin"))
