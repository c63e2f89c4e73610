"""CLI commands of the link stage (thin, over luoshi.link and luoshi.store):

* ``luoshi link OLD NEW``, ``luoshi diff OLD NEW`` and ``luoshi follow OLD NEW`` — on files or
  stored documents;
* ``luoshi scorecard REGION YEAR`` and ``luoshi compare --indicator ID --year YEAR`` — on the
  links the store keeps.
"""
# No `from __future__ import annotations`: the commands are defined inside register(), and Typer
# reads their annotations, which name the option types imported there.
import json
import sys
from pathlib import Path
from typing import Optional

import typer

from .errors import InputError, LuoshiError
from .output.formats import amount

LINK_FORMATS = ("jsonl", "json", "csv", "table", "xlsx")
DIFF_FORMATS = ("text", "json")
# Columns of `luoshi link` as CSV and XLSX: one row per target.
LINK_FILE_COLUMNS = ("indicator", "indicator_id", "target", "result", "verdict", "gap", "rule", "target_evidence",
                     "result_evidence")
FOLLOW_FORMATS = ("jsonl", "json", "csv", "table", "xlsx")
# Columns of `luoshi follow` as a table, CSV and XLSX: one row per planned project of OLD.
FOLLOW_FILE_COLUMNS = ("object", "action", "verb", "status", "progress", "found_object", "found_verb", "found_part",
                       "task_evidence", "found_evidence")
FOLLOW_TABLE_COLUMNS = ("object", "action", "status", "progress", "found_object", "found_verb", "found_part")
REPORT_HELP = ("a report file, or a stored report: its id or 6+ hex digits of its content hash "
               "(luoshi docs lists them; an existing file of that name wins)")


def _fail(message: str) -> None:
    typer.echo(f"luoshi: {message}", err=True)
    raise typer.Exit(2)


class _Reports:
    """Loads each argument as a file or, failing that, as a stored document (the database is
    opened only then, and only once)."""

    def __init__(self, db: Optional[str]):
        self.db = db
        self.database = None

    def load(self, ref: str):
        from .pipeline import extract

        if Path(ref).is_file() or not _could_be_stored(ref):
            try:
                return extract(Path(ref))
            except InputError as e:
                _fail(f"{e.source}: {e.reason}")
        from . import store

        try:
            if self.database is None:
                self.database = store.connect(self.db)
                typer.echo(f"luoshi: database: {self.database.shown}", err=True)
            return store.load_document(self.database, ref)
        except LuoshiError as e:
            _fail(f"{ref}: {e}")

    def close(self) -> None:
        if self.database is not None:
            self.database.close()


def _could_be_stored(ref: str) -> bool:
    from .store.restore import HASH_PREFIX

    value = ref.strip().lower()
    return value.isdecimal() or bool(HASH_PREFIX.fullmatch(value))


def link_file_rows(rows: list[dict]) -> list[dict]:
    """Links (``Link.to_dict()``) as flat rows of ``LINK_FILE_COLUMNS``."""
    return [{"indicator": r["target"]["indicator"], "indicator_id": r.get("indicator_id"),
             "target": amount(r["target"]), "result": amount(r.get("result")), "verdict": r["verdict"],
             "gap": r.get("gap"), "rule": r.get("rule", ""), "target_evidence": r["target"]["evidence"],
             "result_evidence": (r.get("result") or {}).get("evidence", "")} for r in rows]


def follow_file_rows(rows: list[dict]) -> list[dict]:
    """Follow-through lines (``Follow.to_dict()``) as flat rows of ``FOLLOW_FILE_COLUMNS``."""
    out = []
    for r in rows:
        task, found = r["task"], r.get("found") or {}
        out.append({"object": task["object"], "action": task["action"], "verb": task["verb"], "status": r["status"],
                    "progress": r["progress"], "found_object": found.get("object"), "found_verb": found.get("verb"),
                    "found_part": found.get("part"), "task_evidence": task["evidence"],
                    "found_evidence": found.get("evidence")})
    return out


def write_links(rows: list[dict], fmt: str, out) -> None:
    """Links in a text format of LINK_FORMATS (jsonl is the format of shared/spec/linking.md)."""
    from .output.formats import write_listing

    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "json":
        out.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
    elif fmt == "csv":
        write_listing(link_file_rows(rows), LINK_FILE_COLUMNS, "csv", stream=out)
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table()
        for col in ("indicator", "target", "result", "verdict", "gap", "rule"):
            table.add_column(col, overflow="fold")
        colour = {"met": "green", "missed": "red", "no_data": "yellow"}
        for r in rows:
            gap = "" if r.get("gap") is None else f"{r['gap']:+g}"
            table.add_row(r["target"]["indicator"], amount(r["target"]), amount(r.get("result")),
                          f"[{colour[r['verdict']]}]{r['verdict']}[/]", gap, r.get("rule", ""))
        Console(file=out, width=160).print(table)


def register(app: typer.Typer) -> None:
    from .cli import DbOption, FormatOption, OutputOption, _listing, _with_db

    @app.command()
    def link(
        old: str = typer.Argument(..., help=f"The report of year N (its targets): {REPORT_HELP}."),
        new: str = typer.Argument(..., help="The report of year N+1 (its review of year N): a file or a stored report."),
        fmt: Optional[str] = typer.Option(None, "--format", "-f",
                                          help="jsonl | json | csv | table | xlsx (default: from the -o suffix, "
                                               "else table)."),
        output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file (XLSX needs one)."),
        db: DbOption = None,
    ) -> None:
        """Link each target of OLD to its result in NEW, with a verdict (met / missed / no_data).

        OLD and NEW are files, or stored reports named by id or hash prefix (reviewers' corrections applied).
        """
        from .link import link_documents
        from .output.formats import listing_format, write_listing

        if fmt is not None and fmt not in LINK_FORMATS:
            _fail(f"unknown --format {fmt!r}; choose one of {', '.join(LINK_FORMATS)}")
        fmt = fmt or listing_format(None, output, "table")
        reports = _Reports(db)
        try:
            rows = [lk.to_dict() for lk in link_documents(reports.load(old), reports.load(new))]
        finally:
            reports.close()
        try:
            if fmt in ("csv", "xlsx"):
                write_listing(link_file_rows(rows), LINK_FILE_COLUMNS, fmt, output)
                return
            out = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout
            try:
                write_links(rows, fmt, out)
            finally:
                if output:
                    out.close()
        except ValueError as e:
            _fail(str(e))
        except OSError as e:
            _fail(f"{output}: {e.strerror or e}")

    @app.command()
    def diff(
        old: str = typer.Argument(..., help=f"The earlier report: {REPORT_HELP}."),
        new: str = typer.Argument(..., help="The later report: a file or a stored report."),
        fmt: str = typer.Option("text", "--format", "-f", help="text | json"),
        db: DbOption = None,
    ) -> None:
        """What changed between two reports: targets raised/lowered/kept/new/dropped, projects' progress."""
        from .link import diff_documents

        if fmt not in DIFF_FORMATS:
            _fail(f"unknown --format {fmt!r}; choose one of {', '.join(DIFF_FORMATS)}")
        reports = _Reports(db)
        try:
            d = diff_documents(reports.load(old), reports.load(new))
        finally:
            reports.close()
        if fmt == "json":
            typer.echo(json.dumps(d.to_dict(), ensure_ascii=False, indent=1))
            return
        typer.echo(f"targets {d.old_year} → {d.new_year}")
        for c in d.targets:
            typer.echo(f"  {c.change:8} {c.old.indicator}: {c.note}")
        for r in d.new_targets:
            typer.echo(f"  new      {r.indicator}: {amount({'value': r.value, 'value_max': r.value_max, 'unit': r.unit, 'qualifier': r.qualifier})}")
        for r in d.dropped_targets:
            typer.echo(f"  dropped  {r.indicator}")
        typer.echo("projects")
        for m in d.tasks:
            typer.echo(f"  {m.progress:8} {m.old.object}: {m.note}")
        for t in d.vanished_tasks:
            typer.echo(f"  vanished {t.object} ({t.action})")

    @app.command()
    def follow(
        old: str = typer.Argument(..., help=f"The report of year N (its planned projects): {REPORT_HELP}."),
        new: str = typer.Argument(..., help="The report of year N+1 (what became of them): a file or a stored report."),
        fmt: Optional[str] = typer.Option(None, "--format", "-f",
                                          help="jsonl | json | csv | table | xlsx (default: from the -o suffix, "
                                               "else table)."),
        output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file (XLSX needs one)."),
        db: DbOption = None,
    ) -> None:
        """What NEW says of each project OLD planned: done / started / progressed / carried / not_mentioned,
        and the progress against the promise (ahead / on_track / behind / unknown), with both sides' evidence.

        OLD and NEW are files, or stored reports named by id or hash prefix (reviewers' corrections applied).
        """
        from .link.follow import follow_documents
        from .output.formats import listing_format, write_listing

        if fmt is not None and fmt not in FOLLOW_FORMATS:
            _fail(f"unknown --format {fmt!r}; choose one of {', '.join(FOLLOW_FORMATS)}")
        fmt = fmt or listing_format(None, output, "table")
        reports = _Reports(db)
        try:
            rows = [f.to_dict() for f in follow_documents(reports.load(old), reports.load(new))]
        finally:
            reports.close()
        try:
            if fmt in ("jsonl", "json"):
                out = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout
                try:
                    if fmt == "jsonl":
                        for row in rows:
                            out.write(json.dumps(row, ensure_ascii=False) + "\n")
                    else:
                        out.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
                finally:
                    if output:
                        out.close()
                return
            write_listing(follow_file_rows(rows), FOLLOW_FILE_COLUMNS, fmt, output,
                          table_columns=FOLLOW_TABLE_COLUMNS)
        except ValueError as e:
            _fail(str(e))
        except OSError as e:
            _fail(f"{output}: {e.strerror or e}")

    def show(listing, fmt: Optional[str], output: Optional[Path], table_columns) -> None:
        from . import store
        from .output.formats import listing_format

        try:
            chosen = listing_format(fmt, output)
        except ValueError as e:
            _fail(str(e))
        on_stdout = chosen == "table" and output is None
        if on_stdout:
            typer.echo(listing.title)
        else:
            typer.echo(f"luoshi: {listing.title}", err=True)
        _listing(listing.rows, store.LINK_COLUMNS, chosen, output, table_columns=table_columns)
        if on_stdout:
            typer.echo(listing.tally_line())
        else:
            typer.echo(f"luoshi: {listing.tally_line()}", err=True)

    @app.command()
    def scorecard(
        region: str = typer.Argument(..., help="The region, matched as by docs --region (浙江 or 浙江省, 国务院)."),
        year: int = typer.Argument(..., help="The plan year whose targets are judged (its report and the next "
                                             "year's must be stored)."),
        db: DbOption = None,
        fmt: FormatOption = None,
        output: OutputOption = None,
    ) -> None:
        """Every target a region set for YEAR with its result, gap and verdict, and the tally (met / missed / no data)."""
        from . import store

        listing = _with_db(db, lambda database: store.scorecard(database, region, year))
        show(listing, fmt, output, ("indicator", "target", "result", "verdict", "gap", "rule", "target_id"))

    @app.command()
    def compare(
        indicator: str = typer.Option(..., "--indicator", "-i",
                                      help="A canonical id (gdp, unemployment, cpi…), a name the indicator table "
                                           "knows (地区生产总值), or part of a target's name."),
        year: int = typer.Option(..., "--year", help="The plan year whose targets are judged."),
        measure: Optional[str] = typer.Option(None, "--measure", help="change | quantity | rank: one kind of target."),
        db: DbOption = None,
        fmt: FormatOption = None,
        output: OutputOption = None,
    ) -> None:
        """One indicator's target, result and verdict in every region, sorted by verdict, then by how far the result beat the target."""
        from . import store

        listing = _with_db(db, lambda database: store.compare(database, indicator, year, measure=measure))
        show(listing, fmt, output, ("region", "indicator", "measure", "target", "result", "verdict", "gap", "rule"))
