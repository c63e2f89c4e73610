"""Which database, and an engine for it.

``--db PATH|URL`` wins, then the environment variable ``LUOSHI_DB``, then a SQLite file in
the user data folder (``$XDG_DATA_HOME/luoshi/luoshi.db``, by default
``~/.local/share/luoshi/luoshi.db``).  A plain path is a SQLite file; ``postgresql://…`` uses
PostgreSQL through the pure-Python driver pg8000 (BSD) unless the URL names another driver
(``postgresql+psycopg://…``).

Waiting is bounded: a SQLite writer waits ``LUOSHI_BUSY_TIMEOUT`` seconds (default 30) for
another process's write lock, and connecting to PostgreSQL gives up after
``LUOSHI_PG_CONNECT_TIMEOUT`` seconds (default 10); both end in one clear
:class:`StoreError` (see :func:`.errors.database_error`).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.pool import StaticPool

from .errors import StoreError, open_error

ENV = "LUOSHI_DB"
BUSY_TIMEOUT = 30.0  # seconds a SQLite writer waits for a lock held by another process
PG_CONNECT_TIMEOUT = 10.0  # seconds to reach a PostgreSQL server and log in


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
        options["connect_args"] = {"timeout": pg_connect_timeout()}
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
        event.listen(engine, "connect", _pg_no_timeout)
    return engine


def _pg_no_timeout(dbapi_conn, _record) -> None:
    # pg8000's timeout bounds connecting and logging in, and would then bound every query
    # too: once connected, a long query may take as long as it needs.
    sock = getattr(dbapi_conn, "_usock", None)
    if sock is not None:
        sock.settimeout(None)


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
