"""Every limit on what one request may hold, in one table: the most characters of each text
field and the most entries of each list.  The request bodies (:mod:`.bodies`) and the
corrections API take their limits from here, and ``docs/limits.md`` lists them with the
message a request over one gets (HTTP 422 naming the field).  The most bytes of a request
body (:data:`MAX_BODY`; a report uploaded from the browser: the import's own limit) are kept
by :class:`BodyLimit` (HTTP 413).

A limit bounds what one change can add to the database and to the pages that show it (the
audit log shows each change in full): a tracked item's title is a sentence or a paragraph
of a work report, a unit the name of an office.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

from starlette.requests import Request
from starlette.responses import Response

from .. import settings
from ..errors import InputError
from ..ingest.read import too_large


class Limit(NamedTuple):
    most: int
    what: str  # "characters" or "entries"
    fields: str  # where the field is sent (for docs/limits.md)


LIMITS: dict[str, Limit] = {
    # tracking items (POST /tracking/items, /tracking/items/{id})
    "title": Limit(2000, "characters", "tracking item"),
    "lead_unit": Limit(100, "characters", "tracking item"),
    "supporting_units": Limit(50, "entries", "tracking item (a list, or one text split at 、，；)"),
    "supporting_unit": Limit(100, "characters", "each supporting unit"),
    "supporting_units_text": Limit(5000, "characters", "supporting units sent as one text"),
    "deadline": Limit(40, "characters", "tracking item, milestone (due)"),
    "milestones": Limit(100, "entries", "tracking item"),
    "milestone_text": Limit(500, "characters", "each milestone (text)"),
    "milestones_text": Limit(50000, "characters", "milestones sent as one text (the HTML form)"),
    "reason": Limit(2000, "characters", "tracking item, progress update"),
    "region": Limit(100, "characters", "new tracking item"),
    # progress updates (POST /tracking/items/{id}/progress)
    "note": Limit(5000, "characters", "progress update"),
    "evidence_url": Limit(2000, "characters", "progress update"),
    "date": Limit(40, "characters", "progress update"),
    # users and settings (POST /login, /setup, /admin/users, /admin/users/{name}, /admin/settings)
    "user_name": Limit(64, "characters", "sign-in, setup, new user"),
    "password": Limit(1024, "characters", "sign-in, setup, new user, changed password"),
    # corrections (POST /api/records/{id}/fix, /api/documents/{id}/records)
    "indicator": Limit(200, "characters", "correction"),
    "object": Limit(200, "characters", "correction"),
    "unit": Limit(40, "characters", "correction"),
    "scope": Limit(100, "characters", "correction"),
    "indicator_id": Limit(64, "characters", "correction"),
    "verb": Limit(40, "characters", "correction"),
    "section": Limit(2000, "characters", "correction"),
    "topic": Limit(40, "characters", "correction"),
    "evidence": Limit(20000, "characters", "correction (must be the text at start:end)"),
    "correction_note": Limit(2000, "characters", "correction (note)"),
}


def most(name: str) -> int:
    """The limit called ``name``.

    >>> most("title"), most("supporting_units")
    (2000, 50)
    """
    return LIMITS[name].most


# --- Signing in (POST /login) and sessions ------------------------------------------------------
# Failed sign-ins are counted before the password is checked (argon2id: about 64 MiB and a
# fraction of a second each), so a burst of guesses is refused at once instead of hashed.
SIGN_IN = {
    "window": 300,  # seconds over which failures are counted
    "per_name_and_address": 5,  # failures for one name from one address → 429 for that pair only
    "per_address": 20,  # failures from one address, whatever the names → 429 for that address
    "name_free": 10,  # failures for one name from any address before the back-off starts
    "name_backoff_max": 60,  # then each attempt for that name waits 2, 4, 8 … s after the last, up to this
    "hash_slots": 2,  # passwords checked at once (more wait their turn)
    "hash_wait": 10,  # seconds a sign-in waits for a slot before 503
}
SESSION = {
    "idle": 8 * 3600,  # a session unused this long ends
    "absolute": 12 * 3600,  # a session ends this long after signing in, however much it is used
}


# --- Request bodies ---------------------------------------------------------------------------
MB = 1024 * 1024
MAX_BODY = 20 * MB  # the largest request body but an uploaded report: a breakdown sheet (10 MB) with room to spare
UPLOADS = ("/documents",)  # POST: a report file, taken up to the import's own limit (LUOSHI_MAX_BYTES, 50 MB)
FORM_ROOM = 64 * 1024  # the form around an uploaded file: its boundaries, part headers and CSRF token


class BodyLimit:
    """Refuse a request body over its limit (413), by its Content-Length or, without one, as it
    streams in, so that no request can make the app hold more than that.

    The limit is ``max_bytes``, except for a report uploaded to :data:`UPLOADS`: the limit of
    ``luoshi import`` (``LUOSHI_MAX_BYTES``: :func:`luoshi.settings.max_bytes`) and :data:`FORM_ROOM`, and
    a larger one is refused with the import's own reason (``file is 60 MB, over the 50 MB limit
    …``), which the page shows in its language.  ``refuse(request, status, message)`` makes the
    answer (the app's one error shape: :func:`.errors.render`)."""

    def __init__(self, app, max_bytes: int, refuse: Callable[[Request, int, str], Response]):
        self.app, self.max_bytes, self.refuse = app, max_bytes, refuse

    def _upload_limit(self, scope) -> int | None:
        """The import's limit when ``scope`` uploads a report, else None."""
        if scope["method"] != "POST" or scope["path"] not in UPLOADS:
            return None
        try:
            return settings.max_bytes()
        except InputError:  # a bad LUOSHI_MAX_BYTES: the import says so
            return None

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        upload = self._upload_limit(scope)
        limit = self.max_bytes if upload is None else upload + FORM_ROOM
        declared = dict(scope.get("headers") or ()).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refused(scope, receive, send, upload, int(declared), exact=True)
            return
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _TooLarge()
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await self._refused(scope, receive, send, upload, seen, exact=False)

    async def _refused(self, scope, receive, send, upload: int | None, size: int, exact: bool) -> None:
        if upload is None:
            message = f"the request is larger than {self.max_bytes // MB} MB"
        else:  # as `luoshi import` says it; only a streamed body's size is not known in full
            message = too_large(size, upload)
            message = message if exact else message.replace("file is ", "file is more than ", 1)
        response = self.refuse(Request(scope, receive), 413, message)
        await response(scope, receive, send)


class _TooLarge(Exception):
    pass
