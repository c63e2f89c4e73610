"""``luoshi import`` and ``luoshi reextract``: reports in, one transaction per document.

A file whose bytes (sha256) are already stored is "unchanged" and not read further; every
other file is extracted in a worker process (:mod:`.worker`, :mod:`.pool`) and written here in
its own transaction by the store (:func:`luoshi.store.documents.add_document`), so a killed
import leaves whole documents or none, and running it again picks up where it stopped.  A file
that cannot be read is "failed" with its reason; the others go on.  A file over the size limit
is refused by its size, before it is hashed; the worker reads each file once and stores the
hash of the bytes it extracted, and refuses a file whose bytes changed since they were hashed
here (one still being written).  A database error (locked, disk full, server gone) ends the
run with one :class:`StoreError`: the report being written is rolled back, the ones before it
are kept.

A document's links to the reports of its region for the years before and after are computed
in its own transaction (:mod:`luoshi.store.links`); when the run ends, documents linked by an
older linker (or stored before links existed) are linked again.  An import made by a person
(the web app's upload) names them (``actor``): the audit entry is written in the document's
own transaction.
"""

from __future__ import annotations

import os
import time
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from typing import Callable, Iterable, Iterator

from sqlalchemy.engine import Connection, Row
from sqlalchemy.exc import DBAPIError, IntegrityError

from .. import settings
from ..ingest.read import too_large
from ..store.db import Database
from ..store.documents import add_document, extraction_versions, refresh_document, stored_raw, with_hash
from ..store.errors import StoreError
from ..store.faults import database_error
from ..store.links import relink_stale_with
from ..store.versions import extractor_version
from .files import find_files, same
from .pool import Job, run
from .report import Callback, FileResult, ImportReport
from .worker import extract_file, extract_raw, file_hash


def import_paths(
    db: Database,
    paths: Iterable[str | os.PathLike],
    workers: int | None = None,
    on_start: Callable[[int], None] | None = None,
    on_result: Callback | None = None,
    *,
    actor: str | None = None,
    origin: dict | None = None,
) -> ImportReport:
    """Import report files and folders into ``db``; see the module docstring.  ``actor``: the
    person importing, whose audit entry (``document.import``, with ``origin`` and the record
    count) each imported document gets; None (the CLI) writes none."""
    limit = settings.max_bytes()  # a bad LUOSHI_MAX_BYTES is said before anything is opened
    report = ImportReport(db.shown)
    with _running(
        db,
        report,
        "imported",
        "a worker process died; {done} documents were imported and are kept: run the import again to continue",
    ):
        files, missing = find_files(paths)
        if on_start:
            on_start(len(files) + len(missing))
        emit = _emitter(report, on_result)
        for m in missing:
            emit(m)
        with db.writer() as conn:
            batch = _Import(conn, emit, limit, actor, origin)
            run(batch.jobs(files), batch.write, 1 if len(files) <= 1 else workers)  # one file: no pool to start
            relink_stale_with(conn)
    return report


def reextract(
    db: Database,
    everything: bool = False,
    workers: int | None = None,
    on_start: Callable[[int], None] | None = None,
    on_result: Callback | None = None,
) -> ImportReport:
    """Extract the stored documents again (those made by another extractor version, or all
    with ``everything``) from their stored raw text.  Corrections are kept; a fix or rejection
    whose record is no longer extracted is reported.  Each refreshed document's links are
    computed again with it, and stale links (an older linker) after the run."""
    report = ImportReport(db.shown)
    with _running(
        db,
        report,
        "refreshed",
        "a worker process died; the documents refreshed so far are kept: run reextract again to continue",
    ):
        with db.writer() as conn:
            rows = extraction_versions(conn)
            conn.rollback()
            if on_start:
                on_start(len(rows))
            batch = _Reextract(conn, _emitter(report, on_result), everything)
            run(batch.jobs(rows), batch.write, workers)
            relink_stale_with(conn)
    return report


def _emitter(report: ImportReport, on_result: Callback | None) -> Callback:
    """Add a result to ``report`` and tell ``on_result``."""

    def emit(result: FileResult) -> None:
        report.results.append(result)
        if on_result:
            on_result(result)

    return emit


@contextmanager
def _running(db: Database, report: ImportReport, status: str, died: str) -> Iterator[None]:
    """Time the run; a dead worker or a database that stopped it (locked, disk full, server
    gone) ends it with one line saying what was kept (``died`` names ``{done}``)."""
    t0 = time.perf_counter()
    try:
        yield
    except BrokenProcessPool:
        raise StoreError(died.format(done=report.count(status))) from None
    except DBAPIError as e:  # the report being written is rolled back
        raise _stopped(e, db, report, status) from None
    finally:
        report.seconds = time.perf_counter() - t0


def _stopped(e: DBAPIError, db: Database, report: ImportReport, status: str) -> Exception:
    """The one line for a database that stopped a run (locked, disk full, server gone), saying
    what was kept; any other database error is a bug and comes back as it is."""
    done = report.count(status)
    clear = database_error(e, db.url, f"{done} document(s) {status} before this are kept" if done else "")
    return e if clear is None else clear


class _Import:
    """One ``luoshi import`` on a writer connection: the pool's jobs (a file each, unless its
    bytes are stored or too many) and the writing of their results, one transaction each."""

    def __init__(self, conn: Connection, emit: Callback, limit: int | None, actor: str | None, origin: dict | None):
        self.conn, self.emit, self.limit, self.actor, self.origin = conn, emit, limit, actor, origin
        self.in_flight: dict[str, str] = {}  # hash → path, until written: the same bytes twice in one run
        self.neighbours: dict = {}  # restored reports this run links new ones with (see store.links.relink)

    def jobs(self, files: list[str]) -> Iterator[Job]:
        for path in files:
            digest = self._hashed(path)
            if digest is None:
                continue
            stored = with_hash(self.conn, digest)
            self.conn.rollback()  # end the read transaction before the writes
            if stored is not None:
                self.emit(FileResult(path, "unchanged", same(path, stored.name), stored.id))
            elif digest in self.in_flight:
                self.emit(FileResult(path, "unchanged", same(path, Path(self.in_flight[digest]).name)))
            else:
                self.in_flight[digest] = path
                # the worker reads the file once and refuses it if its bytes are not these
                yield partial(extract_file, expected_hash=digest), path, (path, digest)

    def _hashed(self, path: str) -> str | None:
        """The file's sha256, or None when it failed (said): unreadable, or refused by its size
        before it is read."""
        try:
            too_big = too_large(os.stat(path).st_size, self.limit)
            digest = None if too_big else file_hash(path)
        except OSError as e:
            self.emit(FileResult(path, "failed", f"cannot be read: {e.strerror or e}"))
            return None
        if too_big:
            self.emit(FileResult(path, "failed", too_big))
        return digest

    def write(self, p: dict, ctx: tuple[str, str]) -> None:
        path, digest = ctx
        self.in_flight.pop(digest, None)
        if "error" in p:
            self.emit(FileResult(path, "failed", p["error"]))
            return
        try:
            with self.conn.begin():
                doc_id, problem = add_document(
                    self.conn,
                    p,
                    datetime.now(timezone.utc),
                    neighbours=self.neighbours,
                    actor=self.actor,
                    origin=self.origin,
                )
        except IntegrityError:  # another import stored the same bytes meanwhile
            self.conn.rollback()
            stored = with_hash(self.conn, p["content_hash"])
            self.conn.rollback()
            self.emit(
                FileResult(path, "unchanged", same(path, stored.name if stored else ""), stored.id if stored else None)
            )
            return
        said = [f"warning: {w}" for w in p.get("warnings") or []] + ([problem] if problem else [])
        self.emit(FileResult(path, "imported", "; ".join(said), document_id=doc_id, records=len(p["records"])))


class _Reextract:
    """One ``luoshi reextract`` on a writer connection: the pool's jobs (a stored document's raw
    text each, unless it is current) and the writing of their results, one transaction each."""

    def __init__(self, conn: Connection, emit: Callback, everything: bool):
        self.conn, self.emit, self.everything = conn, emit, everything
        self.version = extractor_version()

    def jobs(self, rows: list[Row]) -> Iterator[Job]:
        for row in rows:
            if not self.everything and row.extractor_version == self.version:
                self.emit(FileResult(row.source, "current", document_id=row.id))
                continue
            stored = stored_raw(self.conn, row.id)
            self.conn.rollback()
            yield extract_raw, {"document_id": row.id, "source": row.source, **stored}, row

    def write(self, p: dict, row: Row) -> None:
        if "error" in p:
            self.emit(FileResult(row.source, "failed", p["error"], row.id))
            return
        with self.conn.begin():
            detail = refresh_document(self.conn, row.id, p, datetime.now(timezone.utc))
        self.emit(FileResult(row.source, "refreshed", detail, row.id, len(p["records"])))
