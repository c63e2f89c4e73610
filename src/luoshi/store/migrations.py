"""Schema versions: a ``schema_migrations`` table records which steps a database has had.

Opening a database applies the missing steps in order, each in its own transaction (SQLite
DDL is transactional here, see :mod:`.db`; PostgreSQL takes an advisory lock so two importers
starting at once do not both migrate).  To change the schema, append a step to ``MIGRATIONS``
that alters the tables, and change :mod:`.schema` to match; never edit a step that shipped.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    Table,
    Text,
    and_,
    delete,
    func,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from . import schema
from .db import writer
from .errors import StoreError

_meta = MetaData()
schema_migrations = Table(
    "schema_migrations",
    _meta,
    Column("version", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)

_PG_LOCK = 0x6C756F736869  # "luoshi"


def _v1(conn: Connection) -> None:
    schema.metadata.create_all(
        conn, tables=[schema.documents, schema.sections, schema.records, schema.corrections, schema.passages]
    )
    if conn.dialect.name == "sqlite":
        # External-content FTS5 over passages.tokens (the words are stored once, in passages);
        # detail=none: the search ANDs words and checks the text itself, so no positions are kept.
        conn.exec_driver_sql(
            "CREATE VIRTUAL TABLE passage_fts USING fts5(tokens, content='passages', content_rowid='id', detail=none)"
        )
    else:
        conn.exec_driver_sql(
            "CREATE INDEX ix_passages_fts ON passages USING gin (to_tsvector('simple'::regconfig, tokens))"
        )


def _v2(conn: Connection) -> None:
    # Documents stored before this step have no link_runs row: the next import or reextract links them.
    schema.metadata.create_all(conn, tables=[schema.links, schema.link_runs])


def _v3(conn: Connection) -> None:
    schema.metadata.create_all(conn, tables=[schema.users, schema.settings])


def _v4(conn: Connection) -> None:
    schema.metadata.create_all(conn, tables=[schema.tracking_items, schema.progress_updates, schema.audit_log])


def _v5(conn: Connection) -> None:
    # One item per record.  Items made twice for one record by simultaneous requests (before this
    # step) are kept as free-standing items, with their history; the oldest keeps the record.
    t = schema.tracking_items
    first = (
        select(func.min(t.c.id))
        .where(t.c.document_id.is_not(None), t.c.record_key.is_not(None))
        .group_by(t.c.document_id, t.c.record_key)
    )
    conn.execute(
        update(t)
        .where(and_(t.c.document_id.is_not(None), t.c.record_key.is_not(None), t.c.id.not_in(first)))
        .values(document_id=None, record_key=None)
    )
    conn.exec_driver_sql("DROP INDEX IF EXISTS ix_tracking_items_record")
    conn.exec_driver_sql(
        "CREATE UNIQUE INDEX IF NOT EXISTS ux_tracking_items_record ON tracking_items (document_id, record_key)"
    )


def _v6(conn: Connection) -> None:
    # A database made by step 1 of this version already has the column (create_all uses .schema).
    if "doc_type" not in {c["name"] for c in inspect(conn).get_columns("documents")}:
        conn.exec_driver_sql("ALTER TABLE documents ADD COLUMN doc_type VARCHAR(24) NOT NULL DEFAULT 'work_report'")


def _v7(conn: Connection) -> None:
    schema.metadata.create_all(conn, tables=[schema.follows])
    # Documents linked before this step have no follow-through: forgetting their runs links them again.
    conn.execute(delete(schema.link_runs))


MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "documents, sections, records, corrections, passages and the full-text index", _v1),
    (2, "links between consecutive years' reports, and which linker made them", _v2),
    (3, "users of the web app and its settings", _v3),
    (4, "tracking items, their progress updates, and the audit log", _v4),
    (5, "one tracking item per record (a unique index on document and record key)", _v5),
    (6, "the document type of each report (work report, statistical bulletin, budget report …)", _v6),
    (7, "the follow-through of each planned project in the next year's report", _v7),
]
LATEST = MIGRATIONS[-1][0]


def current_version(conn: Connection) -> int:
    schema_migrations.create(conn, checkfirst=True)
    return conn.execute(select(func.coalesce(func.max(schema_migrations.c.version), 0))).scalar_one()


def _up_to_date(engine: Engine) -> bool:
    """Whether the schema is already the newest, read without taking the write lock (so opening
    a database for reading does not wait behind a long write)."""
    try:
        with engine.connect() as conn, conn.begin():
            if not engine.dialect.has_table(conn, schema_migrations.name):
                return False
            return conn.execute(select(func.max(schema_migrations.c.version))).scalar() == LATEST
    except DBAPIError:
        return False  # the locked path below says what is wrong


def migrate(engine: Engine) -> int:
    """Bring the database to the newest schema; return its version."""
    if _up_to_date(engine):
        return LATEST
    try:
        with writer(engine) as conn, conn.begin():
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK})")
            version = current_version(conn)
            if version > LATEST:
                raise StoreError(
                    f"the database has schema version {version}, newer than this luoshi "
                    f"knows ({LATEST}): upgrade luoshi"
                )
            if conn.dialect.name == "sqlite" and version < 1:
                _require_fts5(conn)
            for number, name, step in MIGRATIONS:
                if number > version:
                    step(conn)
                    conn.execute(
                        insert(schema_migrations).values(
                            version=number, name=name, applied_at=datetime.now(timezone.utc)
                        )
                    )
                    version = number
            return version
    except DBAPIError as e:
        raise StoreError(f"cannot open the database: {_first_line(e)}") from None


def _require_fts5(conn: Connection) -> None:
    options = {r[0] for r in conn.exec_driver_sql("PRAGMA compile_options")}
    if "ENABLE_FTS5" not in options:
        raise StoreError(
            "this Python's SQLite has no FTS5 full-text search: use a Python built with FTS5 (most are), or PostgreSQL"
        )


def _first_line(e: Exception) -> str:
    text = str(getattr(e, "orig", None) or e)
    return text.strip().splitlines()[0] if text.strip() else type(e).__name__
