"""The headers every answer carries: a Content-Security-Policy that lets a page run only the
app's own scripts (no inline script, no other site's), no framing by another site, and no
content-type sniffing.

The app's pages need no inline script: page data travels in ``<script type="application/json">``
blocks (data, never run) and behaviour in ``/static/*.js``.  Inline ``style`` attributes are
allowed (``style-src-attr``): ECharts and the chart tooltips set them; ``<style>`` blocks are
not (each page's styles are in ``/static/*.css``).  The API page (``/docs``) loads Swagger UI
from ``/static/vendor``, not from a CDN.
"""

from __future__ import annotations

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "style-src-attr": "'unsafe-inline'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
HEADERS = {
    "content-security-policy": "; ".join(f"{k} {v}" for k, v in CSP.items()),
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


class SecurityHeaders:
    """Adds :data:`HEADERS` to every HTTP answer (errors and static files included) that does
    not set them itself."""

    def __init__(self, app):
        self.app = app
        self.headers = [(k.encode(), v.encode()) for k, v in HEADERS.items()]

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_wrapper(message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers") or ()}
                message["headers"] = list(message.get("headers") or ()) + [
                    (k, v) for k, v in self.headers if k not in present
                ]
            await send(message)

        await self.app(scope, receive, send_wrapper)
