"""Errors of the store: each one a :class:`luoshi.errors.LuoshiError` the CLI prints as one line."""
from __future__ import annotations

from ..errors import LuoshiError


class StoreError(LuoshiError):
    """The database cannot be opened or used as asked (bad URL, unreachable server,
    schema newer than this luoshi, unknown record or document); the message says what to do."""
