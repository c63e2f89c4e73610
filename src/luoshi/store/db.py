"""Which database, and an engine for it.

``--db PATH|URL`` wins, then the environment variable ``LUOSHI_DB``, then a SQLite file in
the user data folder (``$XDG_DATA_HOME/luoshi/luoshi.db``, by default
``~/.local/share/luoshi/luoshi.db``).  A plain path is a SQLite file; ``postgresql://…`` uses
PostgreSQL through the pure-Python driver pg8000 (BSD) unless the URL names another driver
(``postgresql+psycopg://…``).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.pool import StaticPool

from .errors import StoreError

ENV = "LUOSHI_DB"


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


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    dbapi_conn.isolation_level = None  # SQLAlchemy's "begin" event below emits BEGIN
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA journal_mode=WAL")  # readers never block the importer; a killed writer leaves no partial commit
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def create(url: str) -> Engine:
    """An engine for ``url``; a SQLite file's folder is created when missing."""
    try:
        parsed = make_url(url)
    except ArgumentError:
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
    if backend == "sqlite" and parsed.database in (None, "", ":memory:"):
        options["poolclass"] = StaticPool  # one in-memory database, shared by every use of the engine
    try:
        engine = create_engine(parsed, **options)
    except NoSuchModuleError:
        raise StoreError(f"no driver for {parsed.drivername!r}: install it, or use postgresql:// (pg8000)") from None
    except ImportError as e:
        raise StoreError(f"the database driver for {parsed.drivername!r} is not installed ({e.name})") from None
    if backend == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


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
