"""Importing reports into the store: files found, hashed, extracted in worker processes and
written by the store, one transaction per report.

Each command of the CLI calls one function here, on a database the caller opened::

    db = store.connect("reports.db")
    importing.import_paths(db, ["../shared/corpus"])   # luoshi import
    importing.reextract(db)                            # luoshi reextract

Modules: ``files`` (which files a folder holds), ``worker`` (one report → the plain dict the
store writes; the sha256 of its bytes), ``pool`` (worker processes, a bounded queue),
``importer`` (the runs: "unchanged" by hash, one transaction per report, failures one line
each), ``report`` (what a run says).  The store is called to write (:mod:`luoshi.store.documents`);
nothing in the store imports this package.
"""

from __future__ import annotations

from .files import SUFFIXES, find_files
from .importer import import_paths, reextract
from .report import FileResult, ImportReport

__all__ = ["FileResult", "ImportReport", "SUFFIXES", "find_files", "import_paths", "reextract"]
