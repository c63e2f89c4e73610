"""The stored reports: ``luoshi import``, ``reextract``, ``docs``, ``records`` and ``search``.

Each command opens the database named by --db (or LUOSHI_DB, or the default file), says which
on standard error, and calls one function of luoshi.store or luoshi.importing (imported inside
the commands, for start-up time: SQLAlchemy).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import LuoshiError
from .common import (
    DbOption,
    DocumentOption,
    FormatOption,
    LangOption,
    OutputOption,
    RegionOption,
    TopicOption,
    WorkersOption,
    fail_error,
    listing,
    named,
    with_db,
)

DOCS_TABLE = ("id", "name", "region", "year", "records", "title", "imported_at", "current")
RECORDS_TABLE = (
    "id",
    "document",
    "kind",
    "year",
    "type",
    "indicator/object",
    "amount",
    "topic",
    "correction",
    "evidence",
)
SEARCH_TABLE = ("document", "region", "year", "hits", "start", "section", "highlighted")


def _progress(label: str):
    from rich.console import Console  # start-up time
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(stderr=True)
    return Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.fields[name]}"),
        console=console,
        disable=not console.is_terminal,
        transient=True,
    )


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
            fail_error(e)
    typer.echo(report.summary(statuses))
    if report.failed:
        raise typer.Exit(1)


def import_(
    paths: list[Path] = typer.Argument(
        ..., help="Report files and folders (searched recursively for .txt .pdf .html .htm .docx)."
    ),
    db: DbOption = None,
    workers: WorkersOption = None,
    verbose: bool = typer.Option(False, "--verbose", "-v", help="One line per file, not only per failure."),
) -> None:
    """Import reports into the database: one transaction per report; already stored ones are "unchanged".

    Exit status 1 when a file failed (each one is named with the reason; the others are imported).
    """
    from .. import importing  # start-up time

    with_db(
        db,
        lambda database: _run_batch(
            lambda started, done: importing.import_paths(database, paths, workers, started, done),
            "importing",
            verbose,
            ("imported", "unchanged", "failed"),
        ),
    )


def reextract(
    everything: bool = typer.Option(False, "--all", help="Every document, not only those of an older extractor."),
    db: DbOption = None,
    workers: WorkersOption = None,
    verbose: bool = typer.Option(False, "--verbose", "-v", help="One line per document."),
) -> None:
    """Extract the stored reports again after an extractor upgrade; reviewers' corrections are kept."""
    from .. import importing  # start-up time

    with_db(
        db,
        lambda database: _run_batch(
            lambda started, done: importing.reextract(database, everything, workers, started, done),
            "re-extracting",
            verbose,
            ("refreshed", "current", "failed"),
        ),
        existing=True,
    )


def docs(
    region: RegionOption = None,
    year: Optional[int] = typer.Option(None, "--year", help="The year the report plans for (its delivery year)."),
    document: DocumentOption = None,
    db: DbOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    lang: LangOption = "zh",
) -> None:
    """List the stored reports."""
    from .. import store  # start-up time

    rows = with_db(
        db, lambda database: store.list_documents(database, region=region, year=year, document=document), existing=True
    )
    listing(rows, store.DOCUMENT_COLUMNS, fmt, output, table_columns=DOCS_TABLE, lang=lang)


def _record_row(row: dict) -> dict:
    """One column for the table: what the record is about (indicator/object), and its value (amount)."""
    if row["type"] == "indicator":
        row["indicator/object"] = row["indicator"]
        row["amount"] = (
            f"{row['value']}" + (f"–{row['value_max']}" if row["value_max"] is not None else "") + (row["unit"] or "")
        )
    else:
        row["indicator/object"], row["amount"] = row["object"], row["action"]
    return row


def records(
    region: RegionOption = None,
    year: Optional[int] = typer.Option(None, "--year", help="The record's year."),
    kind: Optional[str] = typer.Option(None, "--kind", callback=named("kind"), help="result | target (结果 | 目标)"),
    type_: Optional[str] = typer.Option(None, "--type", callback=named("type"), help="indicator | task (指标 | 任务)"),
    measure: Optional[str] = typer.Option(
        None, "--measure", callback=named("measure"), help="change | quantity | rank (增速 | 总量 | 排名)"
    ),
    indicator: Optional[str] = typer.Option(None, "--indicator", help="The indicator's name contains this (粮食产量)."),
    indicator_id: Optional[str] = typer.Option(None, "--indicator-id", help="Canonical id (gdp, fiscal_revenue…)."),
    document: DocumentOption = None,
    topic: TopicOption = None,
    rejected: bool = typer.Option(False, "--rejected", help="Also show records a reviewer rejected."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="At most this many records."),
    db: DbOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    lang: LangOption = "zh",
) -> None:
    """List stored records (reviewers' corrections applied), with filters."""
    from .. import store  # start-up time

    filters = {
        "region": region,
        "year": year,
        "kind": kind,
        "type": type_,
        "measure": measure,
        "indicator": indicator,
        "indicator_id": indicator_id,
        "document": document,
        "topic": topic,
        "rejected": rejected,
        "limit": limit,
    }
    rows = with_db(db, lambda database: store.list_records(database, **filters), existing=True)
    listing(
        [_record_row(row) for row in rows], store.RECORD_COLUMNS, fmt, output, table_columns=RECORDS_TABLE, lang=lang
    )


def _search_text(rows: list[dict]) -> str:
    from ..store import highlight  # start-up time

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


def search(
    query: list[str] = typer.Argument(..., help="Words that must all occur (Chinese words need no spaces: 粮食安全)."),
    region: RegionOption = None,
    year: Optional[int] = typer.Option(None, "--year", help="The year the report plans for."),
    topic: TopicOption = None,
    document: DocumentOption = None,
    limit: int = typer.Option(20, "--limit", min=1, help="At most this many documents."),
    per_document: int = typer.Option(3, "--per-document", min=1, help="At most this many snippets per document."),
    db: DbOption = None,
    fmt: Annotated[
        Optional[str],
        typer.Option(
            "--format", "-f", help="text | table | csv | json | jsonl | xlsx (default: from the -o suffix, else text)."
        ),
    ] = None,
    output: OutputOption = None,
    lang: LangOption = "zh",
) -> None:
    """Full-text search of the stored reports: snippets with each hit in brackets (offsets in JSON)."""
    from .. import store  # start-up time

    rows = with_db(
        db,
        lambda database: store.search(
            database,
            " ".join(query),
            region=region,
            year=year,
            topic=topic,
            document=document,
            limit=limit,
            per_document=per_document,
        ),
        existing=True,
    )
    for row in rows:
        row["highlighted"] = store.highlight(row)
    listing(
        rows,
        store.SEARCH_COLUMNS,
        fmt,
        output,
        default="text",
        text=_search_text,
        table_columns=SEARCH_TABLE,
        lang=lang,
    )
