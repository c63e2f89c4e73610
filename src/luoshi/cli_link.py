"""CLI commands of the link stage: ``luoshi link`` and ``luoshi diff`` (thin, over luoshi.link)."""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Optional

import typer

from .errors import InputError

LINK_FORMATS = ("jsonl", "json", "csv", "table")
DIFF_FORMATS = ("text", "json")


def _load(path: Path):
    from .pipeline import extract

    try:
        return extract(path)
    except InputError as e:
        typer.echo(f"luoshi: {e.source}: {e.reason}", err=True)
        raise typer.Exit(2)


def _fail(message: str) -> None:
    typer.echo(f"luoshi: {message}", err=True)
    raise typer.Exit(2)


def _value(rec: dict | None) -> str:
    if not rec:
        return "—"
    v = f"{rec['value']:g}" + (f"–{rec['value_max']:g}" if rec.get("value_max") is not None else "")
    q = {"about": "左右", "at_least": "以上", "at_most": "以内"}.get(rec.get("qualifier"), "")
    return f"{v}{rec.get('unit') or ''}{q}"


def write_links(rows: list[dict], fmt: str, out) -> None:
    """Links in one of LINK_FORMATS (jsonl is the format of shared/spec/linking.md)."""
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "json":
        out.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
    elif fmt == "csv":
        w = csv.writer(out)
        w.writerow(["indicator", "indicator_id", "target", "result", "verdict", "gap", "rule",
                    "target_evidence", "result_evidence"])
        for r in rows:
            w.writerow([r["target"]["indicator"], r.get("indicator_id") or "", _value(r["target"]),
                        _value(r.get("result")), r["verdict"], "" if r.get("gap") is None else r["gap"],
                        r.get("rule", ""), r["target"]["evidence"], (r.get("result") or {}).get("evidence", "")])
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table()
        for col in ("indicator", "target", "result", "verdict", "gap", "rule"):
            table.add_column(col, overflow="fold")
        colour = {"met": "green", "missed": "red", "no_data": "yellow"}
        for r in rows:
            gap = "" if r.get("gap") is None else f"{r['gap']:+g}"
            table.add_row(r["target"]["indicator"], _value(r["target"]), _value(r.get("result")),
                          f"[{colour[r['verdict']]}]{r['verdict']}[/]", gap, r.get("rule", ""))
        Console(file=out, width=160).print(table)


def register(app: typer.Typer) -> None:
    @app.command()
    def link(
        old: Path = typer.Argument(..., help="The report of year N (its targets)."),
        new: Path = typer.Argument(..., help="The report of year N+1 (its review of year N)."),
        fmt: str = typer.Option("table", "--format", "-f", help="jsonl | json | csv | table"),
        output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file."),
    ) -> None:
        """Link each target of OLD to its result in NEW, with a verdict (met / missed / no_data)."""
        from .link import link_documents

        if fmt not in LINK_FORMATS:
            _fail(f"unknown --format {fmt!r}; choose one of {', '.join(LINK_FORMATS)}")
        rows = [lk.to_dict() for lk in link_documents(_load(old), _load(new))]
        out = open(output, "w", encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="") if output else sys.stdout
        try:
            write_links(rows, fmt, out)
        finally:
            if output:
                out.close()

    @app.command()
    def diff(
        old: Path = typer.Argument(..., help="The earlier report."),
        new: Path = typer.Argument(..., help="The later report."),
        fmt: str = typer.Option("text", "--format", "-f", help="text | json"),
    ) -> None:
        """What changed between two reports: targets raised/lowered/kept/new/dropped, projects' progress."""
        from .link import diff_documents

        if fmt not in DIFF_FORMATS:
            _fail(f"unknown --format {fmt!r}; choose one of {', '.join(DIFF_FORMATS)}")
        d = diff_documents(_load(old), _load(new))
        if fmt == "json":
            typer.echo(json.dumps(d.to_dict(), ensure_ascii=False, indent=1))
            return
        typer.echo(f"targets {d.old_year} → {d.new_year}")
        for c in d.targets:
            typer.echo(f"  {c.change:8} {c.old.indicator}: {c.note}")
        for r in d.new_targets:
            typer.echo(f"  new      {r.indicator}: {_value({'value': r.value, 'value_max': r.value_max, 'unit': r.unit, 'qualifier': r.qualifier})}")
        for r in d.dropped_targets:
            typer.echo(f"  dropped  {r.indicator}")
        typer.echo("projects")
        for m in d.tasks:
            typer.echo(f"  {m.progress:8} {m.old.object}: {m.note}")
        for t in d.vanished_tasks:
            typer.echo(f"  vanished {t.object} ({t.action})")
