"""The store: reports, their records and reviewers' corrections in SQLite or PostgreSQL.

Each command of the CLI calls one function here::

    db = store.connect("reports.db")               # or a postgresql:// URL; None: LUOSHI_DB or the default file
    store.import_paths(db, ["../shared/corpus"])   # luoshi import
    store.reextract(db)                            # luoshi reextract
    store.list_documents(db, region="浙江")        # luoshi docs
    store.list_records(db, year=2025, topic="agriculture")   # luoshi records
    store.search(db, "粮食")                       # luoshi search
    store.scorecard(db, "浙江", 2025)              # luoshi scorecard (links are stored on import)
    store.compare(db, "gdp", 2025)                 # luoshi compare
    store.load_document(db, "12")                  # a stored report as a luoshi.Document (luoshi link 12 13)

Modules: ``db`` (which database, engine), ``schema`` and ``migrations`` (tables, versions),
``extraction`` and ``pool`` (workers), ``write`` (one document per transaction), ``importer``,
``queries``, ``corrections``, ``search``, ``segment`` (words), ``topics`` (policy areas),
``offsets`` (the packed offset map), ``restore`` (a stored report as a Document), ``links``
(links kept up to date), ``scorecard`` (scorecard and compare).
"""
from __future__ import annotations

from .corrections import add_correction
from .db import Database, connect, default_path, display, resolve_url
from .errors import StoreError
from .extraction import extractor_version
from .importer import FileResult, ImportReport, find_files, import_paths, reextract
from .links import linker_version, relink_stale
from .queries import DOCUMENT_COLUMNS, RECORD_COLUMNS, list_documents, list_records
from .restore import load_document
from .scorecard import LINK_COLUMNS, LinkListing, compare, scorecard
from .search import SEARCH_COLUMNS, highlight, search
from .topics import topics

__all__ = ["DOCUMENT_COLUMNS", "Database", "FileResult", "ImportReport", "LINK_COLUMNS", "LinkListing",
           "RECORD_COLUMNS", "SEARCH_COLUMNS", "StoreError", "add_correction", "compare", "connect", "default_path",
           "display", "extractor_version", "find_files", "highlight", "import_paths", "linker_version",
           "list_documents", "list_records", "load_document", "reextract", "relink_stale", "resolve_url",
           "scorecard", "search", "topics"]
