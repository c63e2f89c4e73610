"""One exception root for luoshi.

``LuoshiError`` is the root.  ``InputError`` is the user's problem (a file that is
missing, empty, binary, too large, of an unknown format, encrypted, scanned…): the
CLI prints it as one line naming the file and exits with status 2.  Anything else
that escapes is an internal bug.
"""

from __future__ import annotations


class LuoshiError(Exception):
    """Root of every error luoshi raises on purpose."""


class InputError(LuoshiError):
    """A document cannot be read; ``reason`` says why in one line."""

    def __init__(self, source: str, reason: str):
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")
