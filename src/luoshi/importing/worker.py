"""The work done in an import worker: one report → one plain dict ready to be written.

Workers of the process pool call :func:`extract_file` (a path) or :func:`extract_raw` (the
raw text of a stored document, for ``luoshi reextract``); both return a dict and never raise:
a report that cannot be read comes back as ``{"path": …, "error": reason}``.  The dict
(:func:`payload`) is what the store writes (:func:`luoshi.store.documents.add_document`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import InputError
from ..extraction.context import Context
from ..extraction.topics import Leads, deepest_first, topic_for
from ..ingest import RawText
from ..ingest.read import read_bytes, read_file
from ..model import Document
from ..outline.parse import paragraphs
from ..pipeline import build, records as extract_records
from ..store.offsets import pack
from ..store.rows import record_keys, record_row
from ..store.segment import tokens
from ..store.versions import extractor_version

PASSAGE_TOPIC_CHARS = 200  # a paragraph without a topical heading or lead: its opening decides


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
    try:
        data = read_file(path)
        content_hash = hashlib.sha256(data).hexdigest()
        if expected_hash is not None and content_hash != expected_hash:
            return {
                "path": path,
                "error": "the file changed while being imported (is it still being "
                "written?): import it again when it is complete",
            }
        doc = build(read_bytes(data, source=str(path), suffix=Path(path).suffix.lower()))
        doc.records = extract_records(doc)
    except InputError as e:
        return {"path": path, "error": e.reason}
    except OSError as e:
        return {"path": path, "error": f"cannot be read: {e.strerror or e}"}
    except Exception as e:  # a bug in one report must not stop the import of the others
        return {"path": path, "error": f"internal error: {type(e).__name__}: {e}"}
    return payload(doc, content_hash, path)


def extract_raw(job: dict) -> dict:
    """Re-run cleaning, outline and extraction over a stored document's raw text."""
    try:
        doc = build(
            RawText(
                text=job["raw"], format=job["format"], source=job["source"], warnings=list(job.get("warnings") or [])
            )
        )
        doc.records = extract_records(doc)
    except Exception as e:
        return {
            "path": job["source"],
            "document_id": job["document_id"],
            "error": f"internal error: {type(e).__name__}: {e}",
        }
    out = payload(doc, job["content_hash"], job["source"])
    out["document_id"] = job["document_id"]
    return out


def payload(doc: Document, content_hash: str, source: str) -> dict:
    """Everything the store keeps of ``doc``, as plain values."""
    ctx = Context(doc)
    records = [record_row(r) for r in doc.records]
    for i, (row, key) in enumerate(zip(records, record_keys(records))):  # each row has its record's topic
        row["ord"] = i
        row["key"] = key
    return {
        **document_fields(doc, content_hash, source),
        "sections": _sections(doc, ctx),
        "records": records,
        "passages": _passages(doc, ctx),
    }


def document_fields(doc: Document, content_hash: str, source: str) -> dict:
    """The document's own row: where it came from, its metadata, outline and texts."""
    m = doc.metadata
    return {
        "path": source,
        "content_hash": content_hash,
        "source": source,
        "name": Path(source).name,
        "format": doc.format,
        "title": m.title,
        "region": m.region,
        "level": m.level,
        "year_delivered": m.year_delivered,
        "year_reviewed": m.year_reviewed,
        "year_planned": m.year_planned,
        "speaker": m.speaker,
        "date": m.date,
        "doc_type": m.doc_type,
        "outline": doc.outline.to_dict(),
        "warnings": list(doc.warnings),
        "raw": doc.raw,
        "text": doc.text,
        "offsets": pack(doc.offsets),
        "extractor_version": extractor_version(),
    }


def _sections(doc: Document, ctx: Context) -> list[dict]:
    """Parts, sections and items of the outline, each with its heading path and topic."""
    sections = []
    for i, node in enumerate(n for n in doc.outline.walk() if n.kind in ("part", "section", "item")):
        path = ctx.section(node.start)
        sections.append(
            {
                "ord": i,
                "level": node.level,
                "kind": node.kind,
                "title": node.title,
                "path": path,
                "start": node.start,
                "end": node.end,
                "role": node.role,
                "year": node.year,
                "topic": topic_for(deepest_first(path)),
            }
        )
    return sections


def _passages(doc: Document, ctx: Context) -> list[dict]:
    """Paragraphs with their words (for full-text search) and topic."""
    leads = Leads(doc.outline)
    text = doc.text
    passages = []
    for start, end in paragraphs(text):
        section = ctx.section(start)
        body = text[start:end]
        passages.append(
            {
                "start": start,
                "end": end,
                "section": section,
                "text": body,
                "tokens": tokens(body),
                "topic": topic_for(deepest_first(section), leads.at(start), body[:PASSAGE_TOPIC_CHARS]),
            }
        )
    return passages
