"""Every page has a JSON twin, and every error one shape.

A page handler returns :func:`page` (template name + data); the same data is the JSON body
when the path ends in ``.json`` or the request asks for ``application/json`` first.
:func:`twin` registers a handler under both paths.  Errors are :class:`WebError` (or
FastAPI's own, or luoshi's own through the exception map of :mod:`.errors`), shown as an HTML
page or as ``{"error": {"status", "code", "message"}}`` (:func:`error_body`).
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Callable
from urllib.parse import quote

from fastapi import APIRouter, Path, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response

from .session import current_user

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "too_many_requests",
    500: "server_error",
    503: "unavailable",
}


ID_MAX = 2**31 - 1  # ids are 32-bit on PostgreSQL; a larger number names nothing
Id = Annotated[int, Path(ge=1, le=ID_MAX, description="an id")]


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
        # json.dumps for speed; what it cannot write (dates, dataclasses) as FastAPI would write it
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=jsonable_encoder)
        return Response(body, status_code=status, media_type="application/json")
    templates = request.app.state.templates
    context = {**data, "user": current_user(request), **extra}
    return templates.TemplateResponse(request, template, context, status_code=status)


def twin(router: APIRouter, path: str, **options) -> Callable:
    """Register a GET handler at ``path`` (HTML, hidden from the OpenAPI spec) and ``path.json``."""

    def register(handler: Callable) -> Callable:
        # the .json route first: ``/items/{id}`` would otherwise take ``/items/7.json`` as id "7.json"
        router.add_api_route(path + ".json", handler, methods=["GET"], response_class=JSONResponse, **options)
        router.add_api_route(
            path, handler, methods=["GET"], include_in_schema=False, response_class=Response, **options
        )
        return handler

    return register


async def read_body(request: Request) -> dict:
    """A change's fields from a JSON body or an HTML form (``csrf_token`` left out)."""
    kind = request.headers.get("content-type", "")
    if kind.startswith("application/json"):
        try:
            data = await request.json()
        except ValueError:
            raise WebError(400, "the body is not valid JSON") from None
        except RecursionError:  # [[[[… a hundred thousand deep: Python's parser gives up
            raise WebError(400, "the body is not valid JSON: it nests too deeply") from None
        if not isinstance(data, dict):
            raise WebError(422, "the body must be a JSON object")
        return data
    if kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        return {k: v for k, v in form.items() if k != "csrf_token"}
    if not kind and not await request.body():
        return {}
    raise WebError(415 if kind else 400, "send JSON (application/json) or a form")


_UNSAFE_IN_NAME = re.compile(r"[\x00-\x1f\x7f/\\]")  # control characters (CR, LF...) and path separators
_NOT_PLAIN = re.compile(r'[^\x20-\x7e]|["%;]')


def attachment(name: str) -> dict[str, str]:
    r"""The ``Content-Disposition`` header of every download, for a file named ``name``
    (RFC 6266): a plain-ASCII ``filename`` for old clients and the whole name, UTF-8 and
    percent-encoded, in ``filename*``.  Control characters (a CR/LF in a report's name would
    end the header) and path separators become ``_``.

    >>> print(attachment("宁波\r\nX: 1.gold.jsonl")["Content-Disposition"])
    attachment; filename="____X: 1.gold.jsonl"; filename*=UTF-8''%E5%AE%81%E6%B3%A2__X%3A%201.gold.jsonl
    """
    name = _UNSAFE_IN_NAME.sub("_", name) or "download"
    fallback = _NOT_PLAIN.sub("_", name)
    return {"Content-Disposition": f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"}
