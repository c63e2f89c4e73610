"""The tables (SQLAlchemy Core), as of the newest migration in :mod:`.migrations`.

* ``documents`` — one row per distinct file content (``content_hash`` = sha256 of the bytes):
  where it came from, its metadata from the outline, the outline itself (JSON), the raw and
  cleaned text, the offset map (packed, see :mod:`.offsets`), and which extractor made it.
* ``sections`` — the headings (parts, sections, items) with their spans and topic.
* ``records`` — every field of ``shared/spec/records.md`` plus the document, the record's
  place and stable ``key`` in its document, its topic and the extractor version.
* ``corrections`` — reviewers' fixes, rejections and additions, keyed by document and record
  key; re-extraction replaces ``records`` but never touches this table.
* ``passages`` — the paragraphs of the cleaned text with their segmented words, which the
  full-text index covers (an FTS5 table on SQLite, a GIN index on PostgreSQL).
* ``links`` — every one-year target of a document linked to the result the next year's
  report of the same region gives (shared/spec/linking.md): the two documents, the target's
  and result's stable record keys and the records themselves (JSON, as linked: corrections
  applied), verdict, gap, rule, and the region and year a listing filters on.  Links are
  derived data: they are recomputed whenever either document is imported, re-extracted or
  corrected (:mod:`.links`), never edited.
* ``follows`` — every project the plan part of a document names for its plan year, with what
  the next year's report of the same region says of it (shared/spec/follow.md): the two
  documents, the task's stable record key and the task itself (JSON, as followed), its status
  and progress against the promise, and what was found (JSON: the name, verb, clause, span and
  part) with the key of the task record of NEW that holds it.  Derived data, kept with the
  links (:mod:`.links`, :mod:`.follows`).
* ``link_runs`` — which linker version last linked each document; a document missing here
  or linked by another version is linked again by the next import or ``reextract``.
* ``users`` — people who sign in to ``luoshi serve``: name, role (admin, editor, viewer),
  argon2 password hash, and a ``session_epoch`` bumped to sign out every session at once.
* ``settings`` — the web app's settings (``anonymous_read``) and its cookie-signing secret.
* ``tracking_items`` — what a supervision office follows: a record (document + stable key) or
  a free-standing item, with lead and supporting units, deadline, milestones, status and a
  ``version`` that every change bumps (two editors never overwrite each other unseen).
* ``progress_updates`` — the dated reports on an item (status, percent or value, note, link).
* ``audit_log`` — every change made through luoshi: who, when, what, before → after; rows are
  only ever added.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()


def _document_fk() -> Column:
    return Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False)


documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("source", Text, nullable=False),  # the path as given to `luoshi import`
    Column("name", Text, nullable=False),  # its file name
    Column("format", String(16), nullable=False),
    Column("title", Text),
    Column("region", Text),
    Column("level", String(16)),
    Column("year_delivered", Integer),
    Column("year_reviewed", Integer),
    Column("year_planned", Integer),
    Column("speaker", Text),
    Column("date", String(10)),
    Column("doc_type", String(24), nullable=False, server_default="work_report"),
    Column("outline", Text, nullable=False),  # JSON of OutlineNode.to_dict()
    Column("warnings", Text, nullable=False),  # JSON list
    Column("raw", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("offsets", Text, nullable=False),  # packed offset map (offsets.pack)
    Column("n_records", Integer, nullable=False),
    Column("extractor_version", String(64), nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    Column("extracted_at", DateTime(timezone=True), nullable=False),
    Index("ix_documents_region", "region"),
    Index("ix_documents_year", "year_planned"),
)

sections = Table(
    "sections",
    metadata,
    Column("id", Integer, primary_key=True),
    _document_fk(),
    Column("ord", Integer, nullable=False),
    Column("level", Integer, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("title", Text, nullable=False),
    Column("path", Text, nullable=False),  # the same heading path as records.section
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("role", String(16)),
    Column("year", Integer),
    Column("topic", String(32)),
    Index("ix_sections_document", "document_id"),
)

records = Table(
    "records",
    metadata,
    Column("id", Integer, primary_key=True),
    _document_fk(),
    Column("ord", Integer, nullable=False),  # place in the document (document order)
    Column("key", Text, nullable=False),  # stable across re-extraction (corrections.record_key)
    Column("type", String(16), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("year", Integer),
    Column("indicator", Text),
    Column("measure", String(16)),
    Column("value", Float),
    Column("value_max", Float),
    Column("unit", Text),
    Column("qualifier", String(16)),
    Column("estimated", Boolean),
    Column("scope", Text),
    Column("indicator_id", String(64)),
    Column("action", String(16)),
    Column("object", Text),
    Column("verb", Text),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("evidence", Text, nullable=False),
    Column("section", Text, nullable=False),
    Column("topic", String(32)),
    Column("extractor_version", String(64), nullable=False),
    Index("ix_records_document", "document_id", "ord"),
    Index("ix_records_year", "year"),
    Index("ix_records_indicator_id", "indicator_id"),
    Index("ix_records_topic", "topic"),
)

corrections = Table(
    "corrections",
    metadata,
    Column("id", Integer, primary_key=True),
    _document_fk(),
    Column("action", String(8), nullable=False),  # fix | reject | add
    Column("record_key", Text),  # the corrected record's key (None for an addition)
    Column("fields", Text, nullable=False),  # JSON: the fields a fix sets, or the added record
    Column("reviewer", Text, nullable=False),
    Column("note", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_corrections_document", "document_id", "record_key"),
)

passages = Table(
    "passages",
    metadata,
    Column("id", Integer, primary_key=True),
    _document_fk(),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("section", Text, nullable=False),
    Column("topic", String(32)),
    Column("text", Text, nullable=False),
    Column("tokens", Text, nullable=False),  # segmented words, space-separated (segment.tokens)
    Index("ix_passages_document", "document_id"),
)

RECORD_COLUMNS = tuple(c.name for c in records.columns)


links = Table(
    "links",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("old_document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("new_document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("ord", Integer, nullable=False),  # the target's place among OLD's targets
    Column("region", Text, nullable=False),  # OLD's (and NEW's) region
    Column("year", Integer, nullable=False),  # the target year: OLD's plan year, the year NEW reviews
    Column("indicator", Text, nullable=False),  # the target's name
    Column("indicator_id", String(64)),
    Column("measure", String(16), nullable=False),
    Column("target_key", Text),  # records.key in OLD (None: a record a reviewer added)
    Column("result_key", Text),  # records.key in NEW (None: no result, or an added record)
    Column("target", Text, nullable=False),  # JSON: the target record as linked (records.md fields)
    Column("result", Text),  # JSON, or None when NEW reports no result
    Column("verdict", String(8), nullable=False),  # met | missed | no_data
    Column("gap", Float),
    Column("rule", Text, nullable=False),
    Index("ix_links_old", "old_document_id", "ord"),
    Index("ix_links_new", "new_document_id"),
    Index("ix_links_year", "year", "indicator_id"),
)

link_runs = Table(
    "link_runs",
    metadata,
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("linker_version", String(64), nullable=False),
    Column("linked_at", DateTime(timezone=True), nullable=False),
)


follows = Table(
    "follows",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("old_document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("new_document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("ord", Integer, nullable=False),  # the task's place among OLD's planned tasks
    Column("region", Text, nullable=False),
    Column("year", Integer, nullable=False),  # OLD's plan year, the year NEW reviews
    Column("object", Text, nullable=False),  # the project's name as OLD writes it
    Column("action", String(16), nullable=False),  # what OLD promised: start | complete | advance | plan | other
    Column("task_key", Text),  # records.key in OLD (None: a task a reviewer added)
    Column("task", Text, nullable=False),  # JSON: the task record as followed (records.md fields)
    Column("status", String(16), nullable=False),  # done | started | progressed | carried | not_mentioned
    Column("progress", String(16), nullable=False),  # ahead | on_track | behind | unknown
    Column("found", Text),  # JSON: object, verb, evidence, start, end, part; None when not mentioned
    Column("found_key", Text),  # records.key of NEW's task record holding the mention, if one does
    Index("ix_follows_old", "old_document_id", "ord"),
    Index("ix_follows_new", "new_document_id"),
)


users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("role", String(8), nullable=False),  # admin | editor | viewer
    Column("password_hash", Text, nullable=False),  # argon2id
    Column("session_epoch", Integer, nullable=False, default=0),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

settings = Table(
    "settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

tracking_items = Table(
    "tracking_items",
    metadata,
    Column("id", Integer, primary_key=True),
    # the record followed (None: a free-standing item); the record key survives re-extraction
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="SET NULL")),
    Column("record_key", Text),
    Column("title", Text, nullable=False),  # the task or target as the office words it
    Column("region", Text),
    Column("year", Integer),
    Column("lead_unit", Text),  # 牵头单位
    Column("supporting_units", Text, nullable=False),  # JSON list: 配合单位
    Column("deadline", String(10)),  # ISO date
    Column("milestones", Text, nullable=False),  # JSON list of {"due": ISO date, "text": ...}
    Column("status", String(16), nullable=False),  # not_started | on_track | behind | done | dropped
    Column("reason", Text),  # why behind or dropped
    Column("percent", Float),  # latest progress reported
    Column("value_reached", Float),
    Column("version", Integer, nullable=False),  # optimistic concurrency: bumped by every change
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ux_tracking_items_record", "document_id", "record_key", unique=True),  # one item per record
    Index("ix_tracking_items_lead", "lead_unit"),
)

progress_updates = Table(
    "progress_updates",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("item_id", Integer, ForeignKey("tracking_items.id", ondelete="CASCADE"), nullable=False),
    Column("date", String(10), nullable=False),  # ISO date the progress refers to
    Column("status", String(16), nullable=False),
    Column("reason", Text),
    Column("percent", Float),
    Column("value_reached", Float),
    Column("note", Text),
    Column("evidence_url", Text),
    Column("author", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_progress_item", "item_id", "date"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", Text, nullable=False),  # the user's name ("cli" for the command line)
    Column("action", String(32), nullable=False),  # e.g. item.create, item.update, progress.add, user.add
    Column("entity", String(16), nullable=False),  # item | user | setting | correction
    Column("entity_id", Text),
    Column("before", Text),  # JSON, or None for a creation
    Column("after", Text),  # JSON, or None for a deletion
    Index("ix_audit_entity", "entity", "entity_id"),
)
