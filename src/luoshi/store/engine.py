"""Opening a database: an engine for its URL (the SQLite pragmas, PostgreSQL's bounded waits),
migrated to the newest schema (:mod:`.migrations`)."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.pool import StaticPool

from ..settings import busy_timeout, pg_connect_timeout, pg_lock_timeout, pg_statement_timeout
from .db import Database, pg_answer_timeout, resolve_url
from .errors import StoreError
from .faults import open_error
from .migrations import migrate


def _sqlite_pragmas(busy_seconds: float):
    """The hook run on each new SQLite connection, waiting ``busy_seconds`` for locks."""
    busy_ms = min(round(busy_seconds * 1000), 2**31 - 1)

    def pragmas(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None  # SQLAlchemy's "begin" event below emits BEGIN
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={busy_ms}")
        cur.execute(
            "PRAGMA journal_mode=WAL"
        )  # readers never block the importer; a killed writer leaves no partial commit
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
    return {
        "statement_timeout": str(round(pg_statement_timeout() * 1000)),
        "lock_timeout": str(round(pg_lock_timeout() * 1000)),
    }


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
