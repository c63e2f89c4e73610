"""A session in a signed cookie (itsdangerous): HttpOnly, SameSite=Lax, Secure over HTTPS.

Like Starlette's SessionMiddleware (``request.session`` is a dict), except that the Secure
flag follows the request's scheme (behind a proxy, run uvicorn with ``--proxy-headers``).

Two lifetimes: the cookie is signed again with each response, so ``max_age`` is an idle
limit (a session unused that long is dropped); ``lifetime`` is an absolute one, counted from
the sign-in (the session's ``started``, set by :func:`.auth.start_session`).  A signed-in
session without a valid ``started`` is dropped too.  Signing out is revoked server side by
the user's session epoch (:func:`.auth.current_user`).
"""
from __future__ import annotations

import json
import time
from base64 import b64decode, b64encode

import itsdangerous
from itsdangerous.exc import BadSignature
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection

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


class BodyLimit:
    """Refuse a request body over ``max_bytes`` (413), by its Content-Length or, without one,
    as it streams in, so that no request can make the app hold more than that in memory."""

    def __init__(self, app, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or ()).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _too_large(send, self.max_bytes)
            return
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge()
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await _too_large(send, self.max_bytes)


class _TooLarge(Exception):
    pass


async def _too_large(send, limit: int) -> None:
    body = json.dumps({"error": {"status": 413, "code": "too_large",
                                 "message": f"the request is larger than {limit // (1024 * 1024)} MB"}}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
