"""The pipeline in one place: ingest → clean → outline → metadata (→ extract)."""

from __future__ import annotations

import os
from pathlib import Path

from .clean.layout import clean, scraper_fields
from .extraction import extract_records
from .ingest import RawText
from .ingest.read import read_path, read_text
from .model import Document, Record
from .outline import metadata as meta_mod
from .outline.parse import parse


# The one-line warning for a document that is not a work report, by its type.
NOT_A_WORK_REPORT = {
    "statistical_bulletin": "a statistical bulletin (统计公报), not a work report: its figures are read as results",
    "budget_report": "a budget report (预算执行情况), not a work report",
    "plan_report": "a plan execution report (计划执行情况), not a work report",
    "other": "not a government work report (no title or address of one): records may be wrong",
}


def build(raw: RawText) -> Document:
    """Clean, outline and describe already-ingested raw text."""
    cleaned = clean(raw.text)
    text = cleaned.text
    fields = scraper_fields(raw.text)
    outline = parse(text)
    meta = meta_mod.detect(text, outline, fields)
    if meta.year_delivered:
        outline = parse(text, delivered=meta.year_delivered)  # parts without a year in their title
        meta = meta_mod.detect(text, outline, fields)
    # raw text re-extracted from the store comes with the warnings said before: say the type once
    warnings = [w for w in raw.warnings if not w.startswith("doc_type ")]
    if meta.doc_type in NOT_A_WORK_REPORT:
        warnings.append(f"doc_type {meta.doc_type}: {NOT_A_WORK_REPORT[meta.doc_type]}")
    return Document(
        source=raw.source,
        format=raw.format,
        raw=cleaned.raw,
        text=text,
        offsets=cleaned.offsets,
        metadata=meta,
        outline=outline,
        warnings=warnings,
    )


def records(doc: Document) -> list[Record]:
    """The records of a built document: the extractor's, then what its type says of them (a
    statistical bulletin's figures are results, :func:`_as_results`)."""
    out = extract_records(doc)
    if doc.metadata.doc_type == "statistical_bulletin":
        _as_results(out, doc.metadata.year_reviewed)
    return out


def _as_results(recs: list[Record], year: int | None) -> None:
    """A statistical bulletin reports a year's results: none of its figures is a target, and
    none speaks of a year after the one it reports."""
    for rec in recs:
        rec.kind = "result"
        if year is not None and (rec.year is None or rec.year > year):
            rec.year = year


def load(path: str | os.PathLike, max_bytes: int | None = None) -> Document:
    """Read a report file (TXT, PDF, HTML or DOCX) into a :class:`Document` without records."""
    return build(read_path(path, max_bytes=max_bytes))


def load_text(text: str, source: str = "<text>") -> Document:
    return build(read_text(text, source))


def _is_file(s: object) -> bool:
    if not isinstance(s, str) or "\n" in s or len(s) > 1024:
        return False
    try:
        return Path(s).is_file()
    except (OSError, ValueError):  # a name too long, or with a NUL: text, not a path
        return False


def extract(path_or_text: str | os.PathLike, max_bytes: int | None = None) -> Document:
    """Load a report and extract its records.

    A ``Path``, or a string naming an existing file, is read from disk; any other string is
    taken as the report's text.
    """
    if isinstance(path_or_text, Path) or _is_file(path_or_text):
        doc = load(path_or_text, max_bytes=max_bytes)
    else:
        doc = load_text(str(path_or_text))
    doc.records = records(doc)
    return doc
