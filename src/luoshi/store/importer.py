"""``luoshi import`` and ``luoshi reextract``: reports in, one transaction per document.

A file whose bytes (sha256) are already stored is "unchanged" and not read further; every
other file is extracted in a worker process and written here in its own transaction, so a
killed import leaves whole documents or none, and running it again picks up where it stopped.
A file that cannot be read is "failed" with its reason; the others go on.  A file over the
size limit is refused by its size, before it is hashed; the worker reads each file once and
stores the hash of the bytes it extracted, and refuses a file whose bytes changed since they
were hashed here (one still being written).  A database error (locked, disk full, server gone)
ends the run with one :class:`StoreError`: the report being written is rolled back, the ones
before it are kept.

A document's links to the reports of its region for the years before and after are computed
in its own transaction (:mod:`.links`); when the run ends, documents linked by an older linker
(or stored before links existed) are linked again.
"""
from __future__ import annotations

import json
import os
import time
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from typing import Callable, Iterable, Iterator

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError, IntegrityError

from ..ingest.read import max_bytes_default, too_large
from . import pool
from .db import Database, opened
from .errors import StoreError, database_error
from .extraction import extract_file, extract_raw, extractor_version, file_hash
from .links import placement, relink_safely, relink_stale
from .schema import corrections, documents, records
from .write import insert_document, replace_extraction

SUFFIXES = (".txt", ".pdf", ".html", ".htm", ".docx")  # what a folder is searched for


@dataclass
class FileResult:
    """What happened to one file (or stored document): ``status`` is ``imported``,
    ``unchanged``, ``refreshed``, ``current`` or ``failed``; ``detail`` says why or what."""

    path: str
    status: str
    detail: str = ""
    document_id: int | None = None
    records: int = 0


@dataclass
class ImportReport:
    database: str
    results: list[FileResult] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "failed"]

    def summary(self, statuses: Iterable[str] = ("imported", "unchanged", "failed")) -> str:
        parts = [f"{self.count(s)} {s}" for s in statuses]
        n = sum(r.records for r in self.results)
        return ", ".join(parts) + (f" ({n} records)" if n else "") + f" in {self.seconds:.1f} s"


Callback = Callable[[FileResult], None]


def find_files(paths: Iterable[str | os.PathLike]) -> tuple[list[str], list[FileResult]]:
    """The report files named by ``paths``: files as given, folders searched recursively for
    ``.txt .pdf .html .htm .docx`` (hidden files and folders skipped).  Missing paths come
    back as failures."""
    files: list[str] = []
    missing: list[FileResult] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for f in sorted(path.rglob("*")):
                rel = f.relative_to(path).parts
                if f.is_file() and f.suffix.lower() in SUFFIXES and not any(x.startswith(".") for x in rel):
                    files.append(str(f))
        elif path.is_file():
            files.append(str(path))
        else:
            missing.append(FileResult(str(p), "failed", "no such file or folder"))
    return list(dict.fromkeys(files)), missing


def import_paths(db: Database | str | None, paths: Iterable[str | os.PathLike], workers: int | None = None,
                 on_start: Callable[[int], None] | None = None, on_result: Callable[[FileResult], None] | None = None
                 ) -> ImportReport:
    """Import report files and folders into ``db``; see the module docstring."""
    limit = max_bytes_default()  # a bad LUOSHI_MAX_BYTES is said before anything is opened
    database, owned = opened(db)
    t0 = time.perf_counter()
    report = ImportReport(database.shown)
    files, missing = find_files(paths)
    if on_start:
        on_start(len(files) + len(missing))

    def emit(result: FileResult) -> None:
        report.results.append(result)
        if on_result:
            on_result(result)

    for m in missing:
        emit(m)
    in_flight: dict[str, str] = {}
    try:
        with database.writer() as conn:
            def jobs() -> Iterator[pool.Job]:
                for path in files:
                    try:
                        too_big = too_large(os.stat(path).st_size, limit)  # refused before hashing
                        digest = None if too_big else file_hash(path)
                    except OSError as e:
                        emit(FileResult(path, "failed", f"cannot be read: {e.strerror or e}"))
                        continue
                    if too_big:
                        emit(FileResult(path, "failed", too_big))
                        continue
                    stored = conn.execute(select(documents.c.id, documents.c.name)
                                          .where(documents.c.content_hash == digest)).first()
                    conn.rollback()  # end the read transaction before the writes
                    if stored is not None:
                        emit(FileResult(path, "unchanged", _same(path, stored.name), stored.id))
                    elif digest in in_flight:
                        emit(FileResult(path, "unchanged", _same(path, Path(in_flight[digest]).name)))
                    else:
                        in_flight[digest] = path  # until written: the same bytes twice in one run
                        # the worker reads the file once and refuses it if its bytes are not these
                        yield partial(extract_file, expected_hash=digest), path, (path, digest)

            neighbours: dict = {}  # restored reports this run links new ones with (see links.relink)

            def write(p: dict, ctx: tuple[str, str]) -> None:
                path, digest = ctx
                in_flight.pop(digest, None)
                if "error" in p:
                    emit(FileResult(path, "failed", p["error"]))
                    return
                now = datetime.now(timezone.utc)
                try:
                    with conn.begin():
                        doc_id = insert_document(conn, p, now)
                        problem = relink_safely(conn, doc_id, now=now, written=p, cache=neighbours)
                except IntegrityError:  # another import stored the same bytes meanwhile
                    conn.rollback()
                    stored = conn.execute(select(documents.c.id, documents.c.name)
                                          .where(documents.c.content_hash == p["content_hash"])).first()
                    conn.rollback()
                    emit(FileResult(path, "unchanged", _same(path, stored.name if stored else ""),
                                    stored.id if stored else None))
                    return
                said = [f"warning: {w}" for w in p.get("warnings") or []] + ([problem] if problem else [])
                emit(FileResult(path, "imported", "; ".join(said), document_id=doc_id, records=len(p["records"])))

            pool.run(jobs(), write, 1 if len(files) <= 1 else workers)  # one file: no pool to start
            relink_stale(conn)
    except BrokenProcessPool:
        raise StoreError(f"a worker process died; {report.count('imported')} documents were imported and "
                         "are kept: run the import again to continue") from None
    except DBAPIError as e:  # locked, disk full, server gone: the report being written is rolled back
        raise _stopped(e, database, report, "imported") from None
    finally:
        report.seconds = time.perf_counter() - t0
        if owned:
            database.close()
    return report


def _stopped(e: DBAPIError, database: Database, report: ImportReport, status: str) -> Exception:
    """The one line for a database that stopped a run (locked, disk full, server gone), saying
    what was kept; any other database error is a bug and comes back as it is."""
    done = report.count(status)
    clear = database_error(e, database.url, f"{done} document(s) {status} before this are kept" if done else "")
    return e if clear is None else clear


def _same(path: str, name: str) -> str:
    return "" if Path(path).name == name else f"same content as {name}"


def reextract(db: Database | str | None, everything: bool = False, workers: int | None = None,
              on_start: Callable[[int], None] | None = None, on_result: Callable[[FileResult], None] | None = None
              ) -> ImportReport:
    """Extract the stored documents again (those made by another extractor version, or all
    with ``everything``) from their stored raw text.  Corrections are kept; a fix or rejection
    whose record is no longer extracted is reported.  Each refreshed document's links are
    computed again with it, and stale links (an older linker) after the run."""
    database, owned = opened(db)
    t0 = time.perf_counter()
    report = ImportReport(database.shown)
    version = extractor_version()

    def emit(result: FileResult) -> None:
        report.results.append(result)
        if on_result:
            on_result(result)

    try:
        with database.writer() as conn:
            rows = conn.execute(select(documents.c.id, documents.c.source, documents.c.extractor_version)
                                .order_by(documents.c.id)).all()
            conn.rollback()
            if on_start:
                on_start(len(rows))

            def jobs() -> Iterator[pool.Job]:
                for row in rows:
                    if not everything and row.extractor_version == version:
                        emit(FileResult(row.source, "current", document_id=row.id))
                        continue
                    d = conn.execute(select(documents.c.raw, documents.c.format, documents.c.content_hash,
                                            documents.c.warnings).where(documents.c.id == row.id)).one()
                    conn.rollback()
                    yield extract_raw, {"document_id": row.id, "source": row.source, "raw": d.raw,
                                        "format": d.format, "content_hash": d.content_hash,
                                        "warnings": json.loads(d.warnings)}, row

            def write(p: dict, row) -> None:
                if "error" in p:
                    emit(FileResult(row.source, "failed", p["error"], row.id))
                    return
                with conn.begin():
                    now = datetime.now(timezone.utc)
                    was = placement(conn, row.id)
                    replace_extraction(conn, row.id, p, now)
                    problem = relink_safely(conn, row.id, now=now, was=was)
                    lost = _unmatched_corrections(conn, row.id)
                detail = "; ".join(filter(None, [f"{lost} correction(s) no longer match a record" if lost else "",
                                                 problem]))
                emit(FileResult(row.source, "refreshed", detail, row.id, len(p["records"])))

            pool.run(jobs(), write, workers)
            relink_stale(conn)
    except BrokenProcessPool:
        raise StoreError("a worker process died; the documents refreshed so far are kept: "
                         "run reextract again to continue") from None
    except DBAPIError as e:
        raise _stopped(e, database, report, "refreshed") from None
    finally:
        report.seconds = time.perf_counter() - t0
        if owned:
            database.close()
    return report


def _unmatched_corrections(conn, doc_id: int) -> int:
    keys = select(records.c.key).where(records.c.document_id == doc_id)
    return conn.execute(select(func.count()).select_from(corrections).where(
        corrections.c.document_id == doc_id, corrections.c.record_key.is_not(None),
        corrections.c.record_key.not_in(keys))).scalar_one()
