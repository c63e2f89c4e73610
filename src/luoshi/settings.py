"""Settings: every environment variable luoshi reads, read and checked here, and only here.

| variable | what it sets | default | used by |
|---|---|---|---|
| ``LUOSHI_DB`` | the database: a SQLite file or a ``postgresql://`` URL (``--db`` wins) | ``luoshi/luoshi.db`` in the user data folder | ``store/db.py``; ``luoshi serve --workers N`` sets it for its workers |
| ``XDG_DATA_HOME`` | the user data folder | ``~/.local/share`` | ``store/db.py`` |
| ``LUOSHI_DEPARTMENTS`` | a department table of the deployment's own (``--departments`` wins) | the bundled ``data/departments.tsv`` | ``track/departments.py`` |
| ``LUOSHI_MAX_BYTES`` | bytes a report file may hold (``--max-bytes`` wins) | 50 MB | ``ingest/read.py``, import, the upload page |
| ``LUOSHI_MAX_DOCX_BYTES`` | bytes a DOCX may expand to when unzipped | 200 MB | ``ingest/docx.py`` |
| ``LUOSHI_MAX_PDF_PAGES`` | pages of a PDF read; later ones are skipped with a warning | 300 | ``ingest/pdf.py`` |
| ``LUOSHI_BUSY_TIMEOUT`` | seconds a SQLite writer waits for another process's lock | 30 | ``store/db.py`` |
| ``LUOSHI_PG_CONNECT_TIMEOUT`` | seconds to reach a PostgreSQL server and log in | 10 | ``store/db.py`` |
| ``LUOSHI_PG_STATEMENT_TIMEOUT`` | seconds a PostgreSQL statement may run (0: no limit) | 10 | ``store/db.py`` |
| ``LUOSHI_PG_LOCK_TIMEOUT`` | seconds a PostgreSQL statement may wait for a lock (0: no limit) | 5 | ``store/db.py`` |

A variable is read each time it is needed (a command, a library call, a request), never
cached at import, so a changed value counts from the next use.  An empty value is the default.
Every number is checked one way (:func:`number`): a whole number where the setting counts
bytes or pages, finite, not below its least value; anything else is a :class:`SettingError`
naming the variable and what it takes::

    LUOSHI_BUSY_TIMEOUT is a number of seconds, not 'soon'

A size in MB is 1024 × 1024 bytes.  The web app's limits on requests, sign-ins and sessions
are not read from the environment: they are one table in ``serve/limits.py``.
``docs/limits.md`` lists every limit, what happens at it and how to change it.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

MB = 1024 * 1024
DATABASE = "LUOSHI_DB"
DEPARTMENTS = "LUOSHI_DEPARTMENTS"


class SettingError(InputError):
    """An environment variable holds a value its setting cannot take; ``source`` is the
    variable, and the message (``str``, and ``reason``) says what it takes."""

    def __init__(self, name: str, what: str, value: str):
        super().__init__(name, f"{name} is {what}, not {value!r}")

    def __str__(self) -> str:
        return self.reason


@dataclass(frozen=True)
class Number:
    """A setting that is a number: its default, the least value it takes, and whether it must
    be whole; ``what`` says what it is, for the message a bad value gets."""

    default: int | float
    what: str
    least: int | float = 0
    whole: bool = False


NUMBERS: dict[str, Number] = {
    "LUOSHI_MAX_BYTES": Number(50 * MB, "a whole number of bytes, 1 or more", least=1, whole=True),
    "LUOSHI_MAX_DOCX_BYTES": Number(200 * MB, "a whole number of bytes, 1 or more", least=1, whole=True),
    "LUOSHI_MAX_PDF_PAGES": Number(300, "a whole number of pages, 1 or more", least=1, whole=True),
    "LUOSHI_BUSY_TIMEOUT": Number(30.0, "a number of seconds"),
    "LUOSHI_PG_CONNECT_TIMEOUT": Number(10.0, "a number of seconds"),
    "LUOSHI_PG_STATEMENT_TIMEOUT": Number(10.0, "a number of seconds"),
    "LUOSHI_PG_LOCK_TIMEOUT": Number(5.0, "a number of seconds"),
}


def number(name: str) -> int | float:
    """The value of the numeric setting ``name`` (a key of :data:`NUMBERS`), else its default."""
    setting = NUMBERS[name]
    text = os.environ.get(name, "").strip()
    if not text:
        return setting.default
    try:
        value: int | float = int(text) if setting.whole else float(text)
    except ValueError:
        raise SettingError(name, setting.what, text) from None
    if not math.isfinite(value) or value < setting.least:
        raise SettingError(name, setting.what, text)
    return value


def max_bytes() -> int:
    """Bytes a report file may hold."""
    return int(number("LUOSHI_MAX_BYTES"))


def max_docx_bytes() -> int:
    """Bytes a DOCX may expand to when unzipped."""
    return int(number("LUOSHI_MAX_DOCX_BYTES"))


def max_pdf_pages() -> int:
    """Pages of a PDF that are read."""
    return int(number("LUOSHI_MAX_PDF_PAGES"))


def busy_timeout() -> float:
    """Seconds a SQLite writer waits for a lock another process holds."""
    return float(number("LUOSHI_BUSY_TIMEOUT"))


def pg_connect_timeout() -> float:
    """Seconds to reach a PostgreSQL server and log in."""
    return float(number("LUOSHI_PG_CONNECT_TIMEOUT"))


def pg_statement_timeout() -> float:
    """Seconds a PostgreSQL statement may run (0: no limit)."""
    return float(number("LUOSHI_PG_STATEMENT_TIMEOUT"))


def pg_lock_timeout() -> float:
    """Seconds a PostgreSQL statement may wait for a lock (0: no limit)."""
    return float(number("LUOSHI_PG_LOCK_TIMEOUT"))


def _text(name: str) -> str | None:
    return os.environ.get(name, "").strip() or None


def database() -> str | None:
    """``LUOSHI_DB``: the database when ``--db`` does not name one."""
    return _text(DATABASE)


def data_home() -> Path:
    """The user data folder: ``XDG_DATA_HOME``, else ``~/.local/share``."""
    return Path(_text("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def departments_file() -> str | None:
    """``LUOSHI_DEPARTMENTS``: the department table when ``--departments`` does not name one."""
    return _text(DEPARTMENTS)
