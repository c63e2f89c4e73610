"""The work done in an import worker: one report → one plain dict ready to be written.

Workers of the process pool call :func:`extract_file` (a path) or :func:`extract_raw` (the
raw text of a stored document, for ``luoshi reextract``); both return a dict and never raise:
a report that cannot be read comes back as ``{"path": …, "error": reason}``.
"""
from __future__ import annotations

import bisect
import hashlib
from functools import lru_cache
from importlib import metadata as pkg_metadata
from pathlib import Path

from .. import __version__
from ..errors import InputError
from ..model import INDICATOR_FIELDS, TASK_FIELDS, Document, Record
from . import offsets as offset_map
from .segment import tokens
from .topics import topic_for

PASSAGE_TOPIC_CHARS = 200  # a paragraph without a topical heading or lead: its opening decides

# What decides the records of a document: any change here makes `luoshi reextract` refresh it.
_VERSIONED = ("ingest/*.py", "clean/*.py", "outline/*.py", "extraction/*.py", "data/*.tsv", "model.py",
              "pipeline.py", "store/extraction.py", "store/segment.py", "store/topics.py")


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """``luoshi version + hash of the extraction code, rule tables and segmenter``, e.g.
    ``0.1.0+3f2a9c01de``."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for pattern in _VERSIONED:
        for path in sorted(root.glob(pattern)):
            h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    try:
        h.update(pkg_metadata.version("rjieba").encode())
    except pkg_metadata.PackageNotFoundError:  # pragma: no cover - a dependency
        pass
    return f"{__version__}+{h.hexdigest()[:10]}"


def file_hash(path: str | Path) -> str:
    """sha256 of the file's bytes (hex)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def extract_file(path: str, expected_hash: str | None = None) -> dict:
    """Read, extract, segment and label one report file.

    The file is read once and the hash stored is that of the very bytes extracted.  When
    ``expected_hash`` (what the importer hashed a moment before) differs from it, the file is
    changing under us (still being written or copied) and comes back as an error.
    """
    from ..ingest.read import read_bytes, read_file
    from ..pipeline import build, records

    try:
        data = read_file(path)
        content_hash = hashlib.sha256(data).hexdigest()
        if expected_hash is not None and content_hash != expected_hash:
            return {"path": path, "error": "the file changed while being imported (is it still being "
                                           "written?): import it again when it is complete"}
        doc = build(read_bytes(data, source=str(path), suffix=Path(path).suffix.lower()))
        doc.records = records(doc)
    except InputError as e:
        return {"path": path, "error": e.reason}
    except OSError as e:
        return {"path": path, "error": f"cannot be read: {e.strerror or e}"}
    except Exception as e:  # a bug in one report must not stop the import of the others
        return {"path": path, "error": f"internal error: {type(e).__name__}: {e}"}
    return payload(doc, content_hash, path)


def extract_raw(job: dict) -> dict:
    """Re-run cleaning, outline and extraction over a stored document's raw text."""
    from ..ingest import RawText
    from ..pipeline import build, records

    try:
        doc = build(RawText(text=job["raw"], format=job["format"], source=job["source"],
                            warnings=list(job.get("warnings") or [])))
        doc.records = records(doc)
    except Exception as e:
        return {"path": job["source"], "document_id": job["document_id"],
                "error": f"internal error: {type(e).__name__}: {e}"}
    out = payload(doc, job["content_hash"], job["source"])
    out["document_id"] = job["document_id"]
    return out


class _Leads:
    """The lead sentence of the paragraph at a position."""

    def __init__(self, doc: Document):
        pars = [n for n in doc.outline.walk() if n.kind == "paragraph"]
        self.starts = [p.start for p in pars]
        self.pars = pars

    def at(self, pos: int) -> str | None:
        i = bisect.bisect_right(self.starts, pos) - 1
        if i >= 0 and pos <= self.pars[i].end:
            return self.pars[i].lead
        return None


def _deepest_first(section: str) -> list[str]:
    return section.split(" / ")[::-1] if section else []


def record_keys(rows: list[dict]) -> list[str]:
    """Stable keys of records within a document: ``type|start|end|name|n`` (n counts records
    with the same type, span and name, in document order).

    >>> record_keys([{"type": "task", "start": 3, "end": 9, "object": "甬舟铁路"},
    ...              {"type": "indicator", "start": 3, "end": 9, "indicator": "GDP"},
    ...              {"type": "indicator", "start": 3, "end": 9, "indicator": "GDP"}])
    ['task|3|9|甬舟铁路|0', 'indicator|3|9|GDP|0', 'indicator|3|9|GDP|1']
    """
    seen: dict[str, int] = {}
    keys = []
    for r in rows:
        name = r.get("indicator") if r["type"] == "indicator" else r.get("object")
        base = f"{r['type']}|{r['start']}|{r['end']}|{name or ''}"
        n = seen.get(base, 0)
        seen[base] = n + 1
        keys.append(f"{base}|{n}")
    return keys


def _record_row(rec: Record) -> dict:
    """``model.record_dict(rec)`` without ``dataclasses.asdict``'s deep copy (a third of the
    cost of a whole extraction); the storage tests check that the two agree."""
    row = {k: getattr(rec, k) for k in (INDICATOR_FIELDS if rec.type == "indicator" else TASK_FIELDS)}
    for k in ("value", "value_max"):
        if isinstance(row.get(k), float) and row[k].is_integer():
            row[k] = int(row[k])
    return row


def payload(doc: Document, content_hash: str, source: str) -> dict:
    """Everything the store keeps of ``doc``, as plain values."""
    from ..extraction.context import Context
    from ..outline.parse import paragraphs

    ctx = Context(doc)
    leads = _Leads(doc)
    text = doc.text
    m = doc.metadata
    sections = []
    for i, node in enumerate(n for n in doc.outline.walk() if n.kind in ("part", "section", "item")):
        path = ctx.section(node.start)
        sections.append({"ord": i, "level": node.level, "kind": node.kind, "title": node.title, "path": path,
                         "start": node.start, "end": node.end, "role": node.role, "year": node.year,
                         "topic": topic_for(_deepest_first(path))})
    records = [_record_row(r) for r in doc.records]
    for i, (row, key) in enumerate(zip(records, record_keys(records))):
        row["ord"] = i
        row["key"] = key
        row["topic"] = topic_for(_deepest_first(row["section"]), leads.at(row["start"]), row["evidence"],
                                 name=row.get("indicator") or row.get("object"))
    passages = []
    for start, end in paragraphs(text):
        section = ctx.section(start)
        body = text[start:end]
        passages.append({"start": start, "end": end, "section": section, "text": body, "tokens": tokens(body),
                         "topic": topic_for(_deepest_first(section), leads.at(start), body[:PASSAGE_TOPIC_CHARS])})
    return {
        "path": source, "content_hash": content_hash, "source": source, "name": Path(source).name,
        "format": doc.format, "title": m.title, "region": m.region, "level": m.level,
        "year_delivered": m.year_delivered, "year_reviewed": m.year_reviewed, "year_planned": m.year_planned,
        "speaker": m.speaker, "date": m.date, "doc_type": m.doc_type, "outline": doc.outline.to_dict(), "warnings": list(doc.warnings),
        "raw": doc.raw, "text": text, "offsets": offset_map.pack(doc.offsets),
        "extractor_version": extractor_version(),
        "sections": sections, "records": records, "passages": passages,
    }
