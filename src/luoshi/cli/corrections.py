"""``luoshi corrections list`` and ``luoshi corrections export``: reviewers' corrections, and the
corrected records in the gold files' format that ``shared/eval/score.py`` reads."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from .common import DbOption, DocumentOption, FormatOption, LangOption, OutputOption, fail, listing, with_db, writing

CORRECTIONS_TABLE = ("id", "created_at", "document", "action", "record_key", "fields", "reviewer", "note")

corrections_app = typer.Typer(
    no_args_is_help=True, help="Reviewers' corrections (made in `luoshi serve`): list them, export them as gold."
)


def write_gold(found: list[tuple[dict, list[dict]]], output: Optional[Path], one: bool) -> list[Path]:
    """Write exported gold records: one report to standard output or the file ``output`` (an
    existing directory gets ``NAME.gold.jsonl``); several, each to ``output/NAME.gold.jsonl``.
    Returns the files written."""
    from ..store.gold import gold_jsonl, gold_name  # start-up time: SQLAlchemy

    if one and (output is None or not output.is_dir()):
        text = gold_jsonl(found[0][1])
        if output is None:
            sys.stdout.write(text)
            return []
        output.write_text(text, encoding="utf-8")
        return [output]
    if output is None:
        raise ValueError("give -o DIR (one NAME.gold.jsonl per report), or --document ID for one report")
    output.mkdir(parents=True, exist_ok=True)
    written, seen = [], set()
    for doc, rows in found:
        name = gold_name(doc)
        if name in seen:  # two stored reports of the same file name
            name = f"{name[: -len('.gold.jsonl')]}-{doc['id']}.gold.jsonl"
        seen.add(name)
        path = output / name
        path.write_text(gold_jsonl(rows), encoding="utf-8")
        written.append(path)
    return written


@corrections_app.command("list")
def corrections_list(
    document: DocumentOption = None,
    reviewer: Optional[str] = typer.Option(None, "--reviewer", help="Only this reviewer's corrections."),
    db: DbOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    lang: LangOption = "zh",
) -> None:
    """List the corrections, newest first."""
    from ..store.corrections import CORRECTION_COLUMNS, list_corrections  # start-up time

    rows = with_db(db, lambda database: list_corrections(database, document=document, reviewer=reviewer), existing=True)
    listing(rows, CORRECTION_COLUMNS, fmt, output, table_columns=CORRECTIONS_TABLE, lang=lang)


@corrections_app.command("export")
def corrections_export(
    document: DocumentOption = None,
    output: Optional[Path] = typer.Option(
        None,
        "--output",
        "-o",
        help="A directory: one NAME.gold.jsonl per report; with --document, a file (default: standard output).",
    ),
    db: DbOption = None,
) -> None:
    """Export corrected reports as gold JSONL, the format of shared/eval/*.gold.jsonl.

    Every report with a correction (or the --document one): all its records, corrections
    applied, ready for shared/eval/score.py."""
    from ..store.gold import export_gold  # start-up time

    found = with_db(db, lambda database: export_gold(database, document), existing=True)
    if document is not None and len(found) > 1:
        fail(
            f"--document {document!r} names {len(found)} reports: "
            + ", ".join(f"{d['name']} (id {d['id']})" for d, _ in found)
            + "; give an id"
        )
    if not found:
        typer.echo("luoshi: no corrections yet: nothing to export", err=True)
        return
    written: list[Path] = []
    writing(output, lambda: written.extend(write_gold(found, output, one=document is not None)))
    for path in written:
        typer.echo(f"wrote {path}", err=True)
