"""A session in a signed cookie (itsdangerous): HttpOnly, SameSite=Lax, Secure over HTTPS.

Like Starlette's SessionMiddleware (``request.session`` is a dict), except that the Secure
flag follows the request's scheme (behind a proxy, run uvicorn with ``--proxy-headers``).

Two lifetimes: the cookie is signed again with each response, so ``max_age`` is an idle
limit (a session unused that long is dropped); ``lifetime`` is an absolute one, counted from
the sign-in (the session's ``started``, set by :func:`.auth.start_session`).  A signed-in
session without a valid ``started`` is dropped too.  Signing out is revoked server side by
the user's session epoch: :func:`current_user` is the signed-in user only while the session's
epoch is the user's.
"""

from __future__ import annotations

import json
import time
from base64 import b64decode, b64encode

import itsdangerous
from itsdangerous.exc import BadSignature
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection, Request

from ..store import users as accounts
from ..store.users import User

COOKIE = "luoshi_session"


class SessionMiddleware:
    def __init__(self, app, secret_key: str, max_age: int = 8 * 3600, lifetime: int = 12 * 3600):
        self.app = app
        self.signer = itsdangerous.TimestampSigner(secret_key)
        self.max_age, self.lifetime = max_age, lifetime

    def _current(self, session) -> bool:
        """Whether a session may go on: not signed in, or signed in less than ``lifetime`` ago."""
        if not isinstance(session, dict):
            return False
        if "uid" not in session:
            return True
        started = session.get("started")
        return isinstance(started, int) and 0 <= time.time() - started <= self.lifetime

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        connection = HTTPConnection(scope)
        initial = False
        scope["session"] = {}
        cookie = connection.cookies.get(COOKIE)
        if cookie:
            try:
                data = self.signer.unsign(cookie.encode("utf-8"), max_age=self.max_age)
                session = json.loads(b64decode(data))
                initial = True
                if self._current(session):
                    scope["session"] = session
            except (BadSignature, ValueError):
                pass
        secure = scope.get("scheme") == "https"

        async def send_wrapper(message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                flags = f"path=/; Max-Age={self.max_age}; HttpOnly; SameSite=Lax" + ("; Secure" if secure else "")
                if scope["session"]:
                    data = b64encode(json.dumps(scope["session"]).encode("utf-8"))
                    headers.append("Set-Cookie", f"{COOKIE}={self.signer.sign(data).decode('utf-8')}; {flags}")
                elif initial:
                    headers.append("Set-Cookie", f"{COOKIE}=null; {flags.replace(str(self.max_age), '0')}")
            await send(message)

        await self.app(scope, receive, send_wrapper)


def current_user(request: Request) -> User | None:
    """The signed-in user, or None (kept on the request: asked once per request)."""
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
