"""Command-line interface: each command calls one library function."""
from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import __version__
from .errors import InputError, LuoshiError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="luoshi (落实): government work reports → structured, trackable commitments.")

FORMATS = ("text", "outline", "json", "jsonl", "table", "csv")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"luoshi {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """luoshi (落实): government work reports → structured, trackable commitments."""


def sample_path() -> Path:
    """The bundled sample report (Ningbo 2024, part 1)."""
    return Path(str(resources.files("luoshi.data").joinpath("sample/ningbo-2024-part1.txt")))


def _fail(message: str) -> None:
    typer.echo(f"luoshi: {message}", err=True)
    raise typer.Exit(2)


@app.command()
def extract(
    file: Optional[Path] = typer.Argument(None, help="Report file: TXT, PDF, HTML or DOCX (format found from content)."),
    fmt: str = typer.Option("table", "--format", "-f", help="text | outline | json | jsonl | table | csv"),
    sample: bool = typer.Option(False, "--sample", help="Use the bundled sample report (Ningbo 2024)."),
    max_bytes: Optional[int] = typer.Option(None, "--max-bytes", help="Refuse files larger than this (default 50 MB, or LUOSHI_MAX_BYTES)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file instead of standard output."),
) -> None:
    """Read a report and print its cleaned text, outline, or extracted records."""
    from .output.formats import document_json, outline_text, write_records
    from .pipeline import extract as run_extract
    from .pipeline import load

    if fmt not in FORMATS:
        _fail(f"unknown --format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if sample:
        file = sample_path()
    if file is None:
        _fail("give a FILE, or --sample for the bundled report")
    try:
        doc = load(file, max_bytes=max_bytes) if fmt in ("text", "outline") else run_extract(file, max_bytes=max_bytes)
    except InputError as e:
        _fail(f"{e.source}: {e.reason}")
    except LuoshiError as e:  # pragma: no cover - no other kinds yet
        _fail(str(e))
    for w in doc.warnings:
        typer.echo(f"luoshi: {doc.source}: warning: {w}", err=True)
    out = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        if fmt == "text":
            out.write(doc.text + "\n")
        elif fmt == "outline":
            out.write(outline_text(doc))
        elif fmt == "json":
            out.write(document_json(doc, records=True) + "\n")
        else:
            write_records(doc.records, fmt, out)
    finally:
        if output:
            out.close()


# --- The store: import, reextract, docs, records, search --------------------------------------
# Each command opens the database named by --db (or LUOSHI_DB, or the default file), says which
# on standard error, and calls one function of luoshi.store.

DbOption = Annotated[Optional[str], typer.Option(
    "--db", help="SQLite file or postgresql:// URL (default: LUOSHI_DB, else ~/.local/share/luoshi/luoshi.db).")]
FormatOption = Annotated[Optional[str], typer.Option(
    "--format", "-f", help="table | csv | json | jsonl | xlsx (default: from the -o suffix, else table).")]
OutputOption = Annotated[Optional[Path], typer.Option(
    "--output", "-o", help="Write to this file (CSV gets a BOM for Excel; XLSX needs a file).")]
WorkersOption = Annotated[Optional[int], typer.Option(
    "--workers", "-w", min=1, help="Extraction processes (default: one per core).")]
RegionOption = Annotated[Optional[str], typer.Option("--region", help="Region contains this (浙江, 国务院).")]
DocumentOption = Annotated[Optional[str], typer.Option(
    "--document", "-d", help="Id, file name (or part of it) or hash prefix.")]
TopicOption = Annotated[Optional[str], typer.Option(
    "--topic", help="Policy area: economy, science, reform, opening, investment, agriculture, cities, "
                    "environment, welfare, social, safety.")]


def _open_db(db: Optional[str]):
    from . import store

    try:
        database = store.connect(db)
    except LuoshiError as e:
        _fail(str(e))
    typer.echo(f"luoshi: database: {database.shown}", err=True)
    return database


def _with_db(db: Optional[str], query):
    """Run ``query(database)`` on the chosen database; a LuoshiError, or an error of the
    database itself (locked, disk full, server gone), becomes one line, exit 2."""
    from sqlalchemy.exc import DBAPIError

    from .store.errors import database_error

    database = _open_db(db)
    try:
        return query(database)
    except LuoshiError as e:
        _fail(str(e))
    except DBAPIError as e:
        clear = database_error(e, database.url)
        if clear is None:  # not the database's surroundings: a bug, shown in full
            raise
        _fail(str(clear))
    finally:
        database.close()


def _listing(rows: list[dict], columns, fmt: Optional[str], output: Optional[Path], table_columns=None,
             default: str = "table", text=None) -> None:
    from .output.formats import listing_format, write_listing

    try:
        chosen = listing_format(fmt, output, default, extra=("text",) if text else ())
        if chosen == "text":
            out = open(output, "w", encoding="utf-8") if output else sys.stdout
            try:
                out.write(text(rows))
            finally:
                if output:
                    out.close()
        else:
            write_listing(rows, columns, chosen, output, table_columns=table_columns)
    except ValueError as e:
        _fail(str(e))
    except OSError as e:
        _fail(f"{output}: {e.strerror or e}")


def _progress(label: str):
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(stderr=True)
    return Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    TextColumn("{task.fields[name]}"), console=console, disable=not console.is_terminal,
                    transient=True)


def _run_batch(run, label: str, verbose: bool, statuses: tuple[str, ...]) -> None:
    """Run an import or re-extraction with a progress bar (on a terminal), one line per failure."""
    with _progress(label) as bar:
        task = bar.add_task(label, total=None, name="")

        def started(total: int) -> None:
            bar.update(task, total=total)

        def done(r) -> None:
            bar.update(task, advance=1, name=Path(r.path).name)
            if r.status == "failed":
                bar.console.print(f"luoshi: {r.path}: {r.detail}", markup=False, highlight=False, soft_wrap=True)
            elif verbose or r.detail:
                extra = f" ({r.records} records)" if r.records else ""
                typer.echo(f"{r.status}: {r.path}{extra}" + (f" — {r.detail}" if r.detail else ""))

        try:
            report = run(started, done)
        except LuoshiError as e:
            _fail(str(e))
    typer.echo(report.summary(statuses))
    if report.failed:
        raise typer.Exit(1)


@app.command("import")
def import_(
    paths: list[Path] = typer.Argument(
        ..., help="Report files and folders (searched recursively for .txt .pdf .html .htm .docx)."),
    db: DbOption = None,
    workers: WorkersOption = None,
    verbose: bool = typer.Option(False, "--verbose", "-v", help="One line per file, not only per failure."),
) -> None:
    """Import reports into the database: one transaction per report; already stored ones are "unchanged".

    Exit status 1 when a file failed (each one is named with the reason; the others are imported).
    """
    from . import store

    _with_db(db, lambda database: _run_batch(
        lambda started, done: store.import_paths(database, paths, workers, started, done),
        "importing", verbose, ("imported", "unchanged", "failed")))


@app.command()
def reextract(
    everything: bool = typer.Option(False, "--all", help="Every document, not only those of an older extractor."),
    db: DbOption = None,
    workers: WorkersOption = None,
    verbose: bool = typer.Option(False, "--verbose", "-v", help="One line per document."),
) -> None:
    """Extract the stored reports again after an extractor upgrade; reviewers' corrections are kept."""
    from . import store

    _with_db(db, lambda database: _run_batch(
        lambda started, done: store.reextract(database, everything, workers, started, done),
        "re-extracting", verbose, ("refreshed", "current", "failed")))


@app.command()
def docs(
    region: RegionOption = None,
    year: Optional[int] = typer.Option(None, "--year", help="The year the report plans for (its delivery year)."),
    document: DocumentOption = None,
    db: DbOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """List the stored reports."""
    from . import store

    rows = _with_db(db, lambda database: store.list_documents(database, region=region, year=year, document=document))
    _listing(rows, store.DOCUMENT_COLUMNS, fmt, output,
             table_columns=("id", "name", "region", "year", "records", "title", "imported_at", "current"))


@app.command()
def records(
    region: RegionOption = None,
    year: Optional[int] = typer.Option(None, "--year", help="The record's year."),
    kind: Optional[str] = typer.Option(None, "--kind", help="result | target"),
    type_: Optional[str] = typer.Option(None, "--type", help="indicator | task"),
    measure: Optional[str] = typer.Option(None, "--measure", help="change | quantity | rank"),
    indicator: Optional[str] = typer.Option(None, "--indicator", help="The indicator's name contains this (粮食产量)."),
    indicator_id: Optional[str] = typer.Option(None, "--indicator-id", help="Canonical id (gdp, fiscal_revenue…)."),
    document: DocumentOption = None,
    topic: TopicOption = None,
    rejected: bool = typer.Option(False, "--rejected", help="Also show records a reviewer rejected."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="At most this many records."),
    db: DbOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """List stored records (reviewers' corrections applied), with filters."""
    from . import store

    rows = _with_db(db, lambda database: store.list_records(database, region=region, year=year, kind=kind, type=type_, measure=measure,
                                  indicator=indicator, indicator_id=indicator_id, document=document, topic=topic,
                                  rejected=rejected, limit=limit))
    for row in rows:  # one column for the table: what the record is about, and its value
        row["name"] = row["indicator"] if row["type"] == "indicator" else row["object"]
        row["amount"] = (f"{row['value']}" + (f"–{row['value_max']}" if row["value_max"] is not None else "")
                         + (row["unit"] or "")) if row["type"] == "indicator" else row["action"]
    _listing(rows, store.RECORD_COLUMNS, fmt, output,
             table_columns=("id", "document", "kind", "year", "type", "name", "amount", "topic", "correction",
                            "evidence"))


def _search_text(rows: list[dict]) -> str:
    from .store import highlight

    if not rows:
        return "no matches\n"
    lines, last = [], None
    for r in rows:
        if r["document_id"] != last:
            last = r["document_id"]
            lines.append(f"{r['document']}  {r['region'] or '?'} {r['year'] or '?'}  ({r['hits']} hits)")
        lines.append(f"  [{r['start']}:{r['end']}] {r['section'] or '—'}")
        lines.append(f"    {highlight(r)}")
    return "\n".join(lines) + "\n"


@app.command()
def search(
    query: list[str] = typer.Argument(..., help="Words that must all occur (Chinese words need no spaces: 粮食安全)."),
    region: RegionOption = None,
    year: Optional[int] = typer.Option(None, "--year", help="The year the report plans for."),
    topic: TopicOption = None,
    document: DocumentOption = None,
    limit: int = typer.Option(20, "--limit", min=1, help="At most this many documents."),
    per_document: int = typer.Option(3, "--per-document", min=1, help="At most this many snippets per document."),
    db: DbOption = None,
    fmt: Annotated[Optional[str], typer.Option(
        "--format", "-f", help="text | table | csv | json | jsonl | xlsx (default: from the -o suffix, else text)."
    )] = None,
    output: OutputOption = None,
) -> None:
    """Full-text search of the stored reports: snippets with each hit in brackets (offsets in JSON)."""
    from . import store

    database = _open_db(db)
    try:
        rows = store.search(database, " ".join(query), region=region, year=year, topic=topic, document=document,
                            limit=limit, per_document=per_document)
    except LuoshiError as e:
        _fail(str(e))
    finally:
        database.close()
    for row in rows:
        row["highlighted"] = store.highlight(row)
    _listing(rows, store.SEARCH_COLUMNS, fmt, output, default="text", text=_search_text,
             table_columns=("document", "region", "year", "hits", "start", "section", "highlighted"))


BREAKDOWN_FORMATS = ("xlsx", "csv", "jsonl", "table")


@app.command()
def breakdown(
    report: str = typer.Argument(..., help="A report file, or a stored report: its id or 6+ hex digits of its "
                                           "content hash (an existing file of that name wins)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file (分工.xlsx; XLSX needs a file)."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="xlsx | csv | jsonl | table (default: from the "
                                                                   "-o suffix, else table)."),
    departments: Optional[Path] = typer.Option(None, "--departments", help="Department table to suggest units from "
                                               "(default: LUOSHI_DEPARTMENTS, else the bundled departments.tsv)."),
    db: DbOption = None,
) -> None:
    """Draft the task breakdown (分工方案) of a report: one row per work item of its plan part, with
    its deadline (stated or the year's end) and suggested lead and supporting units, in the sheet
    layout the tracking import reads back."""
    from .cli_link import _Reports
    from .output.formats import listing_format
    from .track.departments import load_departments
    from .track.draft import breakdown as draft_breakdown
    from .track.draft import write_draft

    try:
        chosen = fmt or listing_format(None, output, "table")
        if chosen not in BREAKDOWN_FORMATS:
            raise ValueError(f"unknown --format {chosen!r}; choose one of {', '.join(BREAKDOWN_FORMATS)}")
        table = load_departments(departments)
    except ValueError as e:
        _fail(str(e))
    except InputError as e:
        _fail(f"{e.source}: {e.reason}")
    reports = _Reports(db)
    try:
        doc = reports.load(report)
    finally:
        reports.close()
    for w in doc.warnings:
        typer.echo(f"luoshi: {doc.source}: warning: {w}", err=True)
    draft = draft_breakdown(doc, table)
    if not draft.items:
        typer.echo(f"luoshi: {doc.source}: warning: no plan part with work items found", err=True)
    try:
        write_draft(draft, chosen, output)
    except ValueError as e:
        _fail(str(e))
    except OSError as e:
        _fail(f"{output}: {e.strerror or e}")
    if output is not None:
        typer.echo(f"luoshi: {len(draft.items)} items → {output}", err=True)


from .cli_link import register as _register_link  # noqa: E402  (link and diff commands)

_register_link(app)

from .cli_web import register as _register_web  # noqa: E402  (serve and users commands)

_register_web(app)

from .cli_corrections import register as _register_corrections  # noqa: E402  (corrections list, export)

_register_corrections(app)


def main() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
