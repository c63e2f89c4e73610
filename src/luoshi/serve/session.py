"""A session in a signed cookie (itsdangerous): HttpOnly, SameSite=Lax, Secure over HTTPS.

Like Starlette's SessionMiddleware (``request.session`` is a dict), except that the Secure
flag follows the request's scheme (behind a proxy, run uvicorn with ``--proxy-headers``) and
a session older than ``max_age`` seconds is dropped.
"""
from __future__ import annotations

import json
from base64 import b64decode, b64encode

import itsdangerous
from itsdangerous.exc import BadSignature
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection

COOKIE = "luoshi_session"


class SessionMiddleware:
    def __init__(self, app, secret_key: str, max_age: int = 8 * 3600):
        self.app = app
        self.signer = itsdangerous.TimestampSigner(secret_key)
        self.max_age = max_age

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
                scope["session"] = json.loads(b64decode(data))
                initial = True
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
