"""``luoshi serve``: the web app (FastAPI, Jinja2 templates, assets served from the package).

``create_app(db)`` builds the app over an open :class:`luoshi.store.Database`.  Modules:
``app`` (assembly), ``respond`` (every page also as JSON: ``.json`` or ``Accept:
application/json``; one error shape), ``session`` (signed session cookie), ``auth`` (sign-in,
roles, CSRF, rate limit), and one module per area under ``pages``.
"""
from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
