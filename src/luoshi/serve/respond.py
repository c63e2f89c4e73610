"""Every page has a JSON twin, and every error one shape.

A page handler returns :func:`page` (template name + data); the same data is the JSON body
when the path ends in ``.json`` or the request asks for ``application/json`` first.
:func:`twin` registers a handler under both paths.  Errors are :class:`WebError` (or
FastAPI's own), shown as an HTML page or as ``{"error": {"status", "code", "message"}}``.
"""
from __future__ import annotations

from typing import Any, Callable

from fastapi import APIRouter, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response

CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
         409: "conflict", 413: "too_large", 422: "invalid", 429: "too_many_requests", 500: "server_error",
         503: "unavailable"}


class WebError(Exception):
    """An error a person can act on: ``status`` (HTTP), ``message``, optional ``details`` (JSON)."""

    def __init__(self, status: int, message: str, details: Any = None):
        super().__init__(message)
        self.status, self.message, self.details = status, message, details


def wants_json(request: Request) -> bool:
    """Whether the client asked for JSON: a ``.json`` path, or an ``Accept`` header that puts
    ``application/json`` before ``text/html``."""
    if request.url.path.endswith(".json") or request.url.path.startswith("/api/"):
        return True
    accept = request.headers.get("accept", "")
    if "application/json" not in accept:
        return False
    html = accept.find("text/html")
    return html < 0 or accept.find("application/json") < html


def error_body(status: int, message: str, details: Any = None) -> dict:
    body = {"status": status, "code": CODES.get(status, "error"), "message": message}
    if details is not None:
        body["details"] = details
    return {"error": body}


def page(request: Request, template: str, data: dict, status: int = 200, **extra) -> Response:
    """``data`` as JSON, or the template rendered with ``data`` (and ``extra``, HTML only)."""
    if wants_json(request):
        return JSONResponse(jsonable_encoder(data), status_code=status)
    from .auth import current_user

    templates = request.app.state.templates
    context = {**data, "user": current_user(request), **extra}
    return templates.TemplateResponse(request, template, context, status_code=status)


def twin(router: APIRouter, path: str, **options) -> Callable:
    """Register a GET handler at ``path`` (HTML, hidden from the OpenAPI spec) and ``path.json``."""
    def register(handler: Callable) -> Callable:
        router.add_api_route(path, handler, methods=["GET"], include_in_schema=False,
                             response_class=Response, **options)
        router.add_api_route(path + ".json", handler, methods=["GET"], response_class=JSONResponse, **options)
        return handler
    return register
