"""Every limit on what one request may hold, in one table: the most characters of each text
field and the most entries of each list.  The request bodies (:mod:`.bodies`) and the
corrections API take their limits from here, and ``docs/limits.md`` lists them with the
message a request over one gets (HTTP 422 naming the field).

A limit bounds what one change can add to the database and to the pages that show it (the
audit log shows each change in full): a tracked item's title is a sentence or a paragraph
of a work report, a unit the name of an office.
"""
from __future__ import annotations

from typing import NamedTuple


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
