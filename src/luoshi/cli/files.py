"""``luoshi extract`` (a report file → its text, outline or records) and ``luoshi breakdown``
(a report → the draft of its 分工方案)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..data import sample_path
from ..errors import InputError, LuoshiError
from ..output.formats import document_json, listing_format, outline_text, write_records
from ..pipeline import extract as run_extract
from ..pipeline import load
from ..track.departments import load_departments
from ..track.draft import breakdown as draft_breakdown
from ..track.draft_sheet import DRAFT_FORMATS, write_draft
from .common import DbOption, LangOption, Reports, fail, fail_error, text_out, warn, writing

FORMATS = ("text", "outline", "json", "jsonl", "table", "csv", "xlsx")


def extract(
    file: Optional[Path] = typer.Argument(
        None, help="Report file: TXT, PDF, HTML or DOCX (format found from content)."
    ),
    fmt: Optional[str] = typer.Option(
        None,
        "--format",
        "-f",
        help="text | outline | json | jsonl | table | csv | xlsx (default: from the -o suffix, else table).",
    ),
    sample: bool = typer.Option(False, "--sample", help="Use the bundled sample report (Ningbo 2024)."),
    max_bytes: Optional[int] = typer.Option(
        None, "--max-bytes", help="Refuse files larger than this (default 50 MB, or LUOSHI_MAX_BYTES)."
    ),
    output: Optional[Path] = typer.Option(
        None,
        "--output",
        "-o",
        help="Write to this file instead of standard output (CSV gets a BOM for Excel; XLSX needs a file).",
    ),
    lang: LangOption = "zh",
) -> None:
    """Read a report and print its cleaned text, outline, or extracted records."""
    if fmt is not None and fmt not in FORMATS:
        fail(f"unknown --format {fmt!r}; choose one of {', '.join(FORMATS)}")
    fmt = fmt or listing_format(None, output, "table")
    if sample:
        file = sample_path()
    if file is None:
        fail("give a FILE, or --sample for the bundled report")
    try:
        read = load if fmt in ("text", "outline") else run_extract
        doc = read(file, max_bytes=max_bytes)
    except LuoshiError as e:
        fail_error(e)
    for w in doc.warnings:
        warn(doc.source, w)
    if fmt == "text":
        writing(output, lambda: text_out(output, doc.text + "\n"))
    elif fmt == "outline":
        writing(output, lambda: text_out(output, outline_text(doc)))
    elif fmt == "json":
        writing(output, lambda: text_out(output, document_json(doc, records=True) + "\n"))
    else:
        writing(output, lambda: write_records(doc.records, fmt, output, lang=lang))


def breakdown(
    report: str = typer.Argument(
        ...,
        help="A report file, or a stored report: its id or 6+ hex digits of its "
        "content hash (an existing file of that name wins).",
    ),
    output: Optional[Path] = typer.Option(
        None, "--output", "-o", help="Write to this file (分工.xlsx; XLSX needs a file)."
    ),
    fmt: Optional[str] = typer.Option(
        None, "--format", "-f", help="xlsx | csv | jsonl | table (default: from the -o suffix, else table)."
    ),
    departments: Optional[Path] = typer.Option(
        None,
        "--departments",
        help="Department table to suggest units from (default: LUOSHI_DEPARTMENTS, else the bundled departments.tsv).",
    ),
    db: DbOption = None,
) -> None:
    """Draft the task breakdown (分工方案) of a report: one row per work item of its plan part, with
    its deadline (stated or the year's end) and suggested lead and supporting units, in the sheet
    layout the tracking import reads back."""
    try:
        chosen = fmt or listing_format(None, output, "table")
        if chosen not in DRAFT_FORMATS:
            raise ValueError(f"unknown --format {chosen!r}; choose one of {', '.join(DRAFT_FORMATS)}")
        table = load_departments(departments)
    except ValueError as e:
        fail(str(e))
    except InputError as e:
        fail_error(e)
    with Reports(db) as reports:
        doc = reports.load(report)
    for w in doc.warnings:
        warn(doc.source, w)
    draft = draft_breakdown(doc, table)
    if not draft.items:
        warn(doc.source, "no plan part with work items found")
    writing(output, lambda: write_draft(draft, chosen, output))
    if output is not None:
        typer.echo(f"luoshi: {len(draft.items)} items → {output}", err=True)
