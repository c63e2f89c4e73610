"""Which database, and the :class:`Database` every store function takes.

``--db PATH|URL`` wins, then the environment variable ``LUOSHI_DB``, then a SQLite file in
the user data folder (``$XDG_DATA_HOME/luoshi/luoshi.db``, by default
``~/.local/share/luoshi/luoshi.db``).  A plain path is a SQLite file; ``postgresql://…`` uses
PostgreSQL through the pure-Python driver pg8000 (BSD) unless the URL names another driver
(``postgresql+psycopg://…``).

Every write goes through :meth:`Database.write` (one transaction) or :meth:`Database.writer`
(a connection whose every transaction writes): on SQLite they begin with ``BEGIN IMMEDIATE``,
so a writer takes the write lock before it reads and waits for it (the busy timeout) instead
of failing when a read transaction cannot be upgraded.  Reads use ``engine.connect()``.

Waiting is bounded (the variables and their defaults: :mod:`luoshi.settings`): a SQLite writer
waits ``LUOSHI_BUSY_TIMEOUT`` seconds for another process's write lock; connecting to PostgreSQL
gives up after ``LUOSHI_PG_CONNECT_TIMEOUT`` seconds, a statement after
``LUOSHI_PG_STATEMENT_TIMEOUT`` and a wait for a lock after ``LUOSHI_PG_LOCK_TIMEOUT`` (0: none),
both enforced by the server; a server that
does not answer at all (stopped, frozen) is given up ``PG_SOCKET_MARGIN`` seconds after the
statement timeout.  Each ends in one clear :class:`StoreError` (see
:func:`.faults.database_error`), which the web app answers with 503.

The caller opens the database once (:func:`.engine.connect`: the CLI per command, the web app
at start) and hands the :class:`Database` to every store function, as sqlite-utils does.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError

from .. import settings

PG_SOCKET_MARGIN = 2.0  # after the statement timeout, seconds before a silent server is given up


def pg_answer_timeout() -> float | None:
    """Seconds to wait for any answer of a connected PostgreSQL server: the statement timeout
    and a margin for the server's own cancellation to arrive first (None: no statement timeout)."""
    statement = settings.pg_statement_timeout()
    return statement + PG_SOCKET_MARGIN if statement else None


def default_path() -> Path:
    """``$XDG_DATA_HOME/luoshi/luoshi.db`` (``~/.local/share/luoshi/luoshi.db`` when unset)."""
    return settings.data_home() / "luoshi" / "luoshi.db"


def resolve_url(db: str | os.PathLike | None = None) -> str:
    """The SQLAlchemy URL for ``db`` (a path or URL), ``LUOSHI_DB``, or the default file.

    >>> resolve_url("postgresql://u@localhost/luoshi")
    'postgresql+pg8000://u@localhost/luoshi'
    >>> resolve_url("sqlite://")
    'sqlite://'
    """
    value = str(db) if db is not None and str(db) else settings.database() or str(default_path())
    if "://" not in value:
        return "sqlite:///" + str(Path(value).expanduser().resolve())
    scheme, rest = value.split("://", 1)
    if scheme in ("postgresql", "postgres"):
        return "postgresql+pg8000://" + rest
    return value


def display(url: str) -> str:
    """The URL as shown to people: a SQLite file as its path, a password masked."""
    if url.startswith("sqlite:///"):
        return url[len("sqlite:///") :]
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


@dataclass
class Database:
    """An open database: its URL and engine.  ``dialect`` is ``"sqlite"`` or ``"postgresql"``."""

    url: str
    engine: Engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def shown(self) -> str:
        return display(self.url)

    def close(self) -> None:
        self.engine.dispose()

    def writer(self) -> Connection:
        """A connection whose every transaction is a write transaction (see :func:`writer`)."""
        return writer(self.engine)

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction: committed when the block ends, rolled back on an exception."""
        with self.writer() as conn, conn.begin():
            yield conn


def writer(engine: Engine) -> Connection:
    """A connection whose transactions begin as writes: ``BEGIN IMMEDIATE`` on SQLite (the
    write lock first, waiting up to the busy timeout, so that a transaction that reads and then
    writes is never refused the upgrade); an ordinary transaction on PostgreSQL."""
    return engine.connect().execution_options(sqlite_immediate=True)
