"""Which database, and an engine for it.

``--db PATH|URL`` wins, then the environment variable ``LUOSHI_DB``, then a SQLite file in
the user data folder (``$XDG_DATA_HOME/luoshi/luoshi.db``, by default
``~/.local/share/luoshi/luoshi.db``).  A plain path is a SQLite file; ``postgresql://…`` uses
PostgreSQL through the pure-Python driver pg8000 (BSD) unless the URL names another driver
(``postgresql+psycopg://…``).

Every write goes through :meth:`Database.write` (one transaction) or :meth:`Database.writer`
(a connection whose every transaction writes): on SQLite they begin with ``BEGIN IMMEDIATE``,
so a writer takes the write lock before it reads and waits for it (the busy timeout) instead
of failing when a read transaction cannot be upgraded.  Reads use ``engine.connect()``.

Waiting is bounded: a SQLite writer waits ``LUOSHI_BUSY_TIMEOUT`` seconds (default 30) for
another process's write lock; connecting to PostgreSQL gives up after
``LUOSHI_PG_CONNECT_TIMEOUT`` seconds (default 10), a statement after
``LUOSHI_PG_STATEMENT_TIMEOUT`` (default 10; 0: none) and a wait for a lock after
``LUOSHI_PG_LOCK_TIMEOUT`` (default 5; 0: none), both enforced by the server; a server that
does not answer at all (stopped, frozen) is given up ``PG_SOCKET_MARGIN`` seconds after the
statement timeout.  Each ends in one clear :class:`StoreError` (see
:func:`.errors.database_error`), which the web app answers with 503.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.pool import StaticPool

from .errors import StoreError, open_error

ENV = "LUOSHI_DB"
BUSY_TIMEOUT = 30.0  # seconds a SQLite writer waits for a lock held by another process
PG_CONNECT_TIMEOUT = 10.0  # seconds to reach a PostgreSQL server and log in
PG_STATEMENT_TIMEOUT = 10.0  # seconds a PostgreSQL statement may run (server side)
PG_LOCK_TIMEOUT = 5.0  # seconds a PostgreSQL statement may wait for a lock (server side)
PG_SOCKET_MARGIN = 2.0  # after the statement timeout, seconds before a silent server is given up


def _seconds(var: str, default: float) -> float:
    value = os.environ.get(var, "").strip()
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0 or seconds == float("inf"):
        raise StoreError(f"{var} is a number of seconds, not {value!r}")
    return seconds


def busy_timeout() -> float:
    """``LUOSHI_BUSY_TIMEOUT`` (seconds), else 30."""
    return _seconds("LUOSHI_BUSY_TIMEOUT", BUSY_TIMEOUT)


def pg_connect_timeout() -> float:
    """``LUOSHI_PG_CONNECT_TIMEOUT`` (seconds), else 10."""
    return _seconds("LUOSHI_PG_CONNECT_TIMEOUT", PG_CONNECT_TIMEOUT)


def pg_statement_timeout() -> float:
    """``LUOSHI_PG_STATEMENT_TIMEOUT`` (seconds, 0: none), else 10."""
    return _seconds("LUOSHI_PG_STATEMENT_TIMEOUT", PG_STATEMENT_TIMEOUT)


def pg_lock_timeout() -> float:
    """``LUOSHI_PG_LOCK_TIMEOUT`` (seconds, 0: none), else 5."""
    return _seconds("LUOSHI_PG_LOCK_TIMEOUT", PG_LOCK_TIMEOUT)


def pg_answer_timeout() -> float | None:
    """Seconds to wait for any answer of a connected PostgreSQL server: the statement timeout
    and a margin for the server's own cancellation to arrive first (None: no statement timeout)."""
    statement = pg_statement_timeout()
    return statement + PG_SOCKET_MARGIN if statement else None


def default_path() -> Path:
    """``$XDG_DATA_HOME/luoshi/luoshi.db`` (``~/.local/share/luoshi/luoshi.db`` when unset)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "luoshi" / "luoshi.db"


def resolve_url(db: str | os.PathLike | None = None) -> str:
    """The SQLAlchemy URL for ``db`` (a path or URL), ``LUOSHI_DB``, or the default file.

    >>> resolve_url("postgresql://u@localhost/luoshi")
    'postgresql+pg8000://u@localhost/luoshi'
    >>> resolve_url("sqlite://")
    'sqlite://'
    """
    value = str(db) if db is not None and str(db) else os.environ.get(ENV) or str(default_path())
    if "://" not in value:
        return "sqlite:///" + str(Path(value).expanduser().resolve())
    scheme, rest = value.split("://", 1)
    if scheme in ("postgresql", "postgres"):
        return "postgresql+pg8000://" + rest
    return value


def display(url: str) -> str:
    """The URL as shown to people: a SQLite file as its path, a password masked."""
    if url.startswith("sqlite:///"):
        return url[len("sqlite:///"):]
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


def _sqlite_pragmas(busy_seconds: float):
    """The hook run on each new SQLite connection, waiting ``busy_seconds`` for locks."""
    busy_ms = min(round(busy_seconds * 1000), 2**31 - 1)

    def pragmas(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None  # SQLAlchemy's "begin" event below emits BEGIN
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={busy_ms}")
        cur.execute("PRAGMA journal_mode=WAL")  # readers never block the importer; a killed writer leaves no partial commit
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()
    return pragmas


def create(url: str) -> Engine:
    """An engine for ``url``; a SQLite file's folder is created when missing."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise StoreError(f"not a database path or URL: {url!r}") from None
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise StoreError(f"unsupported database {backend!r}: give a SQLite file path or a postgresql:// URL")
    if backend == "sqlite" and parsed.database and parsed.database != ":memory:":
        folder = Path(parsed.database).parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreError(f"cannot create the folder {folder} for the database: {e.strerror or e}") from None
    options: dict = {"pool_pre_ping": True} if backend == "postgresql" else {}
    if backend == "postgresql" and parsed.get_driver_name() == "pg8000":
        options["connect_args"] = {"timeout": pg_connect_timeout(), "startup_params": _pg_timeouts()}
    if backend == "sqlite" and parsed.database in (None, "", ":memory:"):
        options["poolclass"] = StaticPool  # one in-memory database, shared by every use of the engine
    try:
        engine = create_engine(parsed, **options)
    except NoSuchModuleError:
        raise StoreError(f"no driver for {parsed.drivername!r}: install it, or use postgresql:// (pg8000)") from None
    except ImportError as e:
        raise StoreError(f"the database driver for {parsed.drivername!r} is not installed ({e.name})") from None
    if backend == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas(busy_timeout()))
        event.listen(engine, "begin", _sqlite_begin)
    elif "connect_args" in options:
        event.listen(engine, "do_connect", _pg_connect)
        event.listen(engine, "connect", _pg_answer_timeout(pg_answer_timeout()))
    return engine


def _pg_connect(dialect, _record, cargs, cparams):
    # pg8000 lets some socket errors through bare (a timeout on the first byte of an answer):
    # raised as its "network error", SQLAlchemy words them as database errors and drops the
    # connection, and the caller (the web app: 503) says the server cannot be reached.
    try:
        conn = dialect.loaded_dbapi.connect(*cargs, **cparams)
    except OSError as e:
        raise dialect.loaded_dbapi.InterfaceError("network error") from e
    if getattr(conn, "_sock", None) is not None:
        conn._sock = _NetworkErrors(conn._sock, dialect.loaded_dbapi.InterfaceError)
    return conn


class _NetworkErrors:
    """pg8000's socket file, every socket error raised as pg8000's ``network error``."""

    def __init__(self, file, error: type[Exception]):
        self._file, self._error = file, error

    def _call(self, name: str, *args):
        try:
            return getattr(self._file, name)(*args)
        except OSError as e:
            raise self._error("network error") from e

    def read(self, *args):
        return self._call("read", *args)

    def write(self, *args):
        return self._call("write", *args)

    def flush(self):
        return self._call("flush")

    def __getattr__(self, name: str):
        return getattr(self._file, name)


def _pg_timeouts() -> dict[str, str]:
    """The server-side bounds of every session (milliseconds; 0 turns one off)."""
    return {"statement_timeout": str(round(pg_statement_timeout() * 1000)),
            "lock_timeout": str(round(pg_lock_timeout() * 1000))}


def _pg_answer_timeout(seconds: float | None):
    # pg8000's timeout bounds connecting and logging in, and would then bound every query at
    # the connect timeout: once connected, a query may take up to the statement timeout (the
    # server cancels it then), and a server that does not even say so is given up a little later.
    def set_timeout(dbapi_conn, _record) -> None:
        sock = getattr(dbapi_conn, "_usock", None)
        if sock is not None:
            sock.settimeout(seconds)
    return set_timeout


def _sqlite_begin(conn) -> None:
    # pysqlite would otherwise start transactions itself, and not before DDL; this emits
    # BEGIN for every SQLAlchemy transaction, IMMEDIATE (write lock up front) for writers.
    immediate = conn.get_execution_options().get("sqlite_immediate")
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def connect(db: str | os.PathLike | None = None) -> Database:
    """Open (creating and migrating as needed) the database named by ``db``, ``LUOSHI_DB`` or
    the default file."""
    from .migrations import migrate

    url = resolve_url(db)
    engine = create(url)
    try:
        migrate(engine)
    except StoreError as e:  # migrate words a driver error as "cannot open"; say what it was
        engine.dispose()
        if isinstance(e.__context__, DBAPIError):
            raise open_error(e.__context__, url) from None
        raise
    except (DBAPIError, OSError) as e:  # OSError: a socket timeout pg8000 did not wrap
        engine.dispose()
        raise open_error(e, url) from None
    except BaseException:
        engine.dispose()
        raise
    return Database(url, engine)


def opened(db: "Database | str | os.PathLike | None") -> tuple[Database, bool]:
    """``(database, owned)``: an open :class:`Database` as given, or one opened here (owned,
    to be closed by the caller)."""
    if isinstance(db, Database):
        return db, False
    return connect(db), True
