"""``luoshi serve``: the web app (FastAPI, Jinja2 templates, assets served from the package).

``create_app(db)`` builds the app over an open :class:`luoshi.store.Database`.  Modules:
``app`` (assembly), ``respond`` (every page also as JSON: ``.json`` or ``Accept:
application/json``; one error shape), ``errors`` (the exception map: every error answered once,
in that shape), ``session`` (signed session cookie, who is signed in), ``auth`` (sign-in, roles,
CSRF, rate limit), ``limits`` (what a request may hold), ``bodies`` (typed request bodies),
``headers`` (security headers), ``locale`` (Chinese and English), and one module per area under
``pages``.  Nothing here imports this package's ``__init__``: it only re-exports ``create_app``.
"""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
