"""Errors of the store: each one a :class:`luoshi.errors.LuoshiError` the CLI prints as one line.

What a failure of the database itself (locked, disk full, server gone) is worded as lives in
:mod:`.faults`.
"""

from __future__ import annotations

from ..errors import LuoshiError


class StoreError(LuoshiError):
    """The database cannot be opened or used as asked (bad URL, unreachable server,
    schema newer than this luoshi, unknown record or document); the message says what to do."""


class NotFound(StoreError):
    """The thing asked for (a document, record, item, user) does not exist."""


class Conflict(StoreError):
    """A change was made against an old version: ``current`` is the item as it is now, and
    ``changes`` the fields another change made since the version the caller saw."""

    def __init__(self, message: str, current: dict | None = None, changes: dict | None = None):
        super().__init__(message)
        self.current, self.changes = current, changes or {}
