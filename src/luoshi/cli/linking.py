"""CLI commands of the link stage (thin, over luoshi.link and luoshi.store):

* ``luoshi link OLD NEW``, ``luoshi diff OLD NEW`` and ``luoshi follow OLD NEW`` — on files or
  stored documents;
* ``luoshi scorecard REGION YEAR`` and ``luoshi compare --indicator ID --year YEAR`` — on the
  links the store keeps.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from ..link import diff_documents, link_documents
from ..link.follow import follow_documents
from ..model import VERDICTS, record_dict
from ..output.formats import amount, listing_format, table_cell, write_listing, write_table
from ..output.names import zh_names
from .common import (
    REPORT_HELP,
    DbOption,
    FormatOption,
    LangOption,
    OutputOption,
    Reports,
    fail,
    listing,
    named,
    with_db,
    writing,
)

LINK_FORMATS = ("jsonl", "json", "csv", "table", "xlsx")
DIFF_FORMATS = ("text", "json")
# Columns of `luoshi link` as CSV and XLSX: one row per target.
LINK_FILE_COLUMNS = (
    "indicator",
    "indicator_id",
    "target",
    "result",
    "verdict",
    "gap",
    "rule",
    "target_evidence",
    "result_evidence",
)
FOLLOW_FORMATS = ("jsonl", "json", "csv", "table", "xlsx")
# Columns of `luoshi follow` as a table, CSV and XLSX: one row per planned project of OLD.
FOLLOW_FILE_COLUMNS = (
    "object",
    "action",
    "verb",
    "status",
    "progress",
    "found_object",
    "found_verb",
    "found_part",
    "task_evidence",
    "found_evidence",
)
FOLLOW_TABLE_COLUMNS = ("object", "action", "status", "progress", "found_object", "found_verb", "found_part")
LINK_TABLE_COLUMNS = ("indicator", "target", "result", "verdict", "gap", "rule")
SCORECARD_TABLE = ("indicator", "target", "result", "verdict", "gap", "rule", "target_id")
COMPARE_TABLE = ("region", "indicator", "measure", "target", "result", "verdict", "gap", "rule")
VERDICT_COLOURS = {"met": "green", "missed": "red", "no_data": "yellow"}


def link_file_rows(rows: list[dict]) -> list[dict]:
    """Links (``Link.to_dict()``) as flat rows of ``LINK_FILE_COLUMNS``."""
    return [
        {
            "indicator": r["target"]["indicator"],
            "indicator_id": r.get("indicator_id"),
            "target": amount(r["target"]),
            "result": amount(r.get("result")),
            "verdict": r["verdict"],
            "gap": r.get("gap"),
            "rule": r.get("rule", ""),
            "target_evidence": r["target"]["evidence"],
            "result_evidence": (r.get("result") or {}).get("evidence", ""),
        }
        for r in rows
    ]


def follow_file_rows(rows: list[dict]) -> list[dict]:
    """Follow-through lines (``Follow.to_dict()``) as flat rows of ``FOLLOW_FILE_COLUMNS``."""
    out = []
    for r in rows:
        task, found = r["task"], r.get("found") or {}
        out.append(
            {
                "object": task["object"],
                "action": task["action"],
                "verb": task["verb"],
                "status": r["status"],
                "progress": r["progress"],
                "found_object": found.get("object"),
                "found_verb": found.get("verb"),
                "found_part": found.get("part"),
                "task_evidence": task["evidence"],
                "found_evidence": found.get("evidence"),
            }
        )
    return out


def write_json(rows: list[dict], fmt: str, output: Optional[Path]) -> None:
    """``rows`` as JSON lines (the format of shared/spec/linking.md) or one JSON list."""
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


def links_table(rows: list[dict], out, lang: str) -> None:
    """Links as a terminal table, verdicts in colour."""
    table = [
        {
            "indicator": r["target"]["indicator"],
            "target": amount(r["target"]),
            "result": amount(r.get("result")),
            "verdict": r["verdict"],
            "gap": "" if r.get("gap") is None else f"{r['gap']:+g}",
            "rule": r.get("rule", ""),
        }
        for r in rows
    ]
    write_table(
        table,
        LINK_TABLE_COLUMNS,
        out,
        lang=lang,
        width=160,
        styles=lambda row: {"verdict": VERDICT_COLOURS[row["verdict"]]},
    )


def _chosen(fmt: Optional[str], output: Optional[Path], formats: tuple[str, ...]) -> str:
    if fmt is not None and fmt not in formats:
        fail(f"unknown --format {fmt!r}; choose one of {', '.join(formats)}")
    return fmt or listing_format(None, output, "table")


def link(
    old: str = typer.Argument(..., help=f"The report of year N (its targets): {REPORT_HELP}."),
    new: str = typer.Argument(..., help="The report of year N+1 (its review of year N): a file or a stored report."),
    fmt: FormatOption = None,
    output: OutputOption = None,
    db: DbOption = None,
    lang: LangOption = "zh",
) -> None:
    """Link each target of OLD to its result in NEW, with a verdict (met / missed / no_data).

    OLD and NEW are files, or stored reports named by id or hash prefix (reviewers' corrections applied).
    """
    fmt = _chosen(fmt, output, LINK_FORMATS)
    with Reports(db) as reports:
        rows = [lk.to_dict() for lk in link_documents(reports.load(old), reports.load(new))]

    def write() -> None:
        if fmt in ("csv", "xlsx"):
            write_listing(link_file_rows(rows), LINK_FILE_COLUMNS, fmt, output, lang=lang)
        elif fmt in ("json", "jsonl"):
            write_json(rows, fmt, output)
        else:
            out = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout
            try:
                links_table(rows, out, lang)
            finally:
                if output:
                    out.close()

    writing(output, write)


def diff(
    old: str = typer.Argument(..., help=f"The earlier report: {REPORT_HELP}."),
    new: str = typer.Argument(..., help="The later report: a file or a stored report."),
    fmt: str = typer.Option("text", "--format", "-f", help="text | json"),
    db: DbOption = None,
    lang: LangOption = "zh",
) -> None:
    """What changed between two reports: targets raised/lowered/kept/new/dropped, projects' progress."""
    if fmt not in DIFF_FORMATS:
        fail(f"unknown --format {fmt!r}; choose one of {', '.join(DIFF_FORMATS)}")
    with Reports(db) as reports:
        d = diff_documents(reports.load(old), reports.load(new))
    if fmt == "json":
        typer.echo(json.dumps(d.to_dict(), ensure_ascii=False, indent=1))
        return
    for line in diff_lines(d) if lang == "en" else diff_lines_zh(d):
        typer.echo(line)


def diff_lines(d) -> list[str]:
    """A diff as text, in English."""
    lines = [f"targets {d.old_year} → {d.new_year}"]
    lines += [f"  {c.change:8} {c.old.indicator}: {c.note}" for c in d.targets]
    lines += [f"  new      {r.indicator}: {amount(record_dict(r))}" for r in d.new_targets]
    lines += [f"  dropped  {r.indicator}" for r in d.dropped_targets]
    lines.append("projects")
    lines += [f"  {m.progress:8} {m.old.object}: {m.note}" for m in d.tasks]
    lines += [f"  vanished {t.object} ({t.action})" for t in d.vanished_tasks]
    return lines


def diff_lines_zh(d) -> list[str]:
    """A diff as text, in Chinese (the words of ``data/labels.tsv``: 上调, 下调, 持平…)."""
    word = {name: zh[0] for name, zh in zh_names("diff").items()}
    act = {name: zh[0] for name, zh in zh_names("action").items()}
    lines = [f"{word['targets']}：{d.old_year}年 → {d.new_year}年"]
    lines += [
        f"  {word[c.change]}　{c.old.indicator}：{amount(record_dict(c.old))} → {amount(record_dict(c.new))}"
        for c in d.targets
    ]
    lines += [f"  {word['new']}　{r.indicator}：{amount(record_dict(r))}" for r in d.new_targets]
    lines += [f"  {word['dropped']}　{r.indicator}" for r in d.dropped_targets]
    lines.append(word["projects"])
    lines += [f"  {word[m.progress]}　{m.old.object}：{act[m.old.action]} → {act[m.new.action]}" for m in d.tasks]
    lines += [f"  {word['vanished']}　{t.object}（{act[t.action]}）" for t in d.vanished_tasks]
    return lines


def follow(
    old: str = typer.Argument(..., help=f"The report of year N (its planned projects): {REPORT_HELP}."),
    new: str = typer.Argument(..., help="The report of year N+1 (what became of them): a file or a stored report."),
    fmt: FormatOption = None,
    output: OutputOption = None,
    db: DbOption = None,
    lang: LangOption = "zh",
) -> None:
    """What NEW says of each project OLD planned: done / started / progressed / carried / not_mentioned,
    and the progress against the promise (ahead / on_track / behind / unknown), with both sides' evidence.

    OLD and NEW are files, or stored reports named by id or hash prefix (reviewers' corrections applied).
    """
    fmt = _chosen(fmt, output, FOLLOW_FORMATS)
    with Reports(db) as reports:
        rows = [f.to_dict() for f in follow_documents(reports.load(old), reports.load(new))]
    if fmt in ("jsonl", "json"):
        writing(output, lambda: write_json(rows, fmt, output))
    else:
        writing(
            output,
            lambda: write_listing(
                follow_file_rows(rows), FOLLOW_FILE_COLUMNS, fmt, output, table_columns=FOLLOW_TABLE_COLUMNS, lang=lang
            ),
        )


def show(found, fmt: Optional[str], output: Optional[Path], table_columns, verdict: Optional[str], lang: str) -> None:
    """A scorecard or comparison: its title, its rows (those of ``verdict`` only, when given),
    the tally of all its rows; title and tally on standard error unless the table is printed."""
    from .. import store  # start-up time

    try:
        chosen = listing_format(fmt, output)
    except ValueError as e:
        fail(str(e))
    say = typer.echo if chosen == "table" and output is None else (lambda line: typer.echo(f"luoshi: {line}", err=True))
    say(table_cell(found.title, "note", lang))
    rows = [r for r in found.rows if verdict is None or r["verdict"] == verdict]
    listing(rows, store.LINK_COLUMNS, chosen, output, table_columns=table_columns, lang=lang)
    say(table_cell(found.tally_line(), "note", lang))


VerdictOption = typer.Option(
    None,
    "--verdict",
    callback=named("verdict"),
    help="Only the targets of this verdict: met | missed | no_data (达成 | 未达成 | 无数据).",
)


def _check_verdict(verdict: Optional[str]) -> None:
    if verdict is not None and verdict not in VERDICTS:
        fail(f"unknown verdict {verdict!r}; choose one of {', '.join(VERDICTS)}")


def scorecard(
    region: str = typer.Argument(..., help="The region, matched as by docs --region (浙江 or 浙江省, 国务院)."),
    year: int = typer.Argument(
        ..., help="The plan year whose targets are judged (its report and the next year's must be stored)."
    ),
    verdict: Optional[str] = VerdictOption,
    db: DbOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    lang: LangOption = "zh",
) -> None:
    """Every target a region set for YEAR with its result, gap and verdict, and the tally (met / missed / no data)."""
    from .. import store  # start-up time

    _check_verdict(verdict)
    found = with_db(db, lambda database: store.scorecard(database, region, year), existing=True)
    show(found, fmt, output, SCORECARD_TABLE, verdict, lang)


def compare(
    indicator: str = typer.Option(
        ...,
        "--indicator",
        "-i",
        help="A canonical id (gdp, unemployment, cpi…), a name the indicator table "
        "knows (地区生产总值), or part of a target's name.",
    ),
    year: int = typer.Option(..., "--year", help="The plan year whose targets are judged."),
    measure: Optional[str] = typer.Option(
        None,
        "--measure",
        callback=named("measure"),
        help="change | quantity | rank (增速 | 总量 | 排名): one kind of target.",
    ),
    verdict: Optional[str] = VerdictOption,
    db: DbOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    lang: LangOption = "zh",
) -> None:
    """One indicator's target, result and verdict in every region, sorted by verdict, then by how far the result
    beat the target."""
    from .. import store  # start-up time

    _check_verdict(verdict)
    found = with_db(db, lambda database: store.compare(database, indicator, year, measure=measure), existing=True)
    show(found, fmt, output, COMPARE_TABLE, verdict, lang)
