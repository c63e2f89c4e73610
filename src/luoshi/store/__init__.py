"""The store: reports, their records and reviewers' corrections in SQLite or PostgreSQL.

The caller opens the database once and hands the :class:`Database` to every function (the
CLI opens it per command, the web app at start, as sqlite-utils does); each command of the
CLI calls one function here, or of :mod:`luoshi.importing` (which writes through the store)::

    db = store.connect("reports.db")               # or a postgresql:// URL; None: LUOSHI_DB or the default file
    importing.import_paths(db, ["../shared/corpus"])   # luoshi import (luoshi.importing)
    store.list_documents(db, region="浙江")        # luoshi docs
    store.list_records(db, year=2025, topic="agriculture")   # luoshi records
    store.search(db, "粮食")                       # luoshi search
    store.add_correction(db, "fix", record_id=42, fields={"value": 5.5}, reviewer="wang")
    store.scorecard(db, "浙江", 2025)              # luoshi scorecard (links are stored on import)
    store.compare(db, "gdp", 2025)                 # luoshi compare
    store.load_document(db, "12")                  # a stored report as a luoshi.Document (luoshi link 12 13)
    db.close()

Modules, by what they keep:

* the database — ``db`` (which one; :class:`Database`), ``engine`` (opening it: :func:`connect`),
  ``schema`` and ``migrations`` (tables, versions), ``errors`` and ``faults`` (one line for
  each failure), ``versions`` (which code made the stored data), ``memo`` (the data's
  generation, and what is kept until it changes);
* documents — ``documents`` (listing; what an import asks and writes), ``write`` and ``bulk``
  (one document's rows), ``offsets`` (the packed offset map), ``restore`` (a stored report as
  a Document), ``reading`` (one report with everything about it, for the reader);
* records and corrections — ``rows`` (a record's stored row and stable key), ``records``
  (listing), ``browse`` (filtered pages with facet counts), ``overlay`` (corrections as every
  reading applies them), ``corrections`` (fix, reject, add, undo), ``gold`` (export as gold
  files), ``filters`` (shared filters), ``search`` and ``segment`` (full text), ``topics`` (from extraction);
* links — ``links`` (kept up to date), ``follows`` (the follow-through of planned projects,
  kept with them), ``scorecard`` (scorecard and compare), ``projects`` (the follow-through as
  the pages read it), ``coverage`` (which regions, years and indicators have links);
* people — ``tracking`` (items, progress, breakdown sheets), ``users`` (and settings),
  ``audit`` (the log, written in each change's own transaction).
"""

from __future__ import annotations

from ..extraction.topics import topics
from .corrections import add_correction
from .db import Database, default_path, display, resolve_url
from .documents import DOCUMENT_COLUMNS, list_documents
from .engine import connect
from .errors import Conflict, NotFound, StoreError
from .faults import database_error
from .links import relink_stale
from .records import RECORD_COLUMNS, list_records
from .restore import load_document
from .scorecard import LINK_COLUMNS, LinkListing, compare, scorecard
from .search import SEARCH_COLUMNS, highlight, search
from .versions import extractor_version, linker_version

__all__ = [
    "Conflict",
    "DOCUMENT_COLUMNS",
    "Database",
    "LINK_COLUMNS",
    "LinkListing",
    "NotFound",
    "RECORD_COLUMNS",
    "SEARCH_COLUMNS",
    "StoreError",
    "add_correction",
    "compare",
    "connect",
    "database_error",
    "default_path",
    "display",
    "extractor_version",
    "highlight",
    "linker_version",
    "list_documents",
    "list_records",
    "load_document",
    "relink_stale",
    "resolve_url",
    "scorecard",
    "search",
    "topics",
]
