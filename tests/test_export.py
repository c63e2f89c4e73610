"""Exports shared by every listing command: CSV with a BOM in a file (Excel reads UTF-8),
XLSX with a bold frozen header and sized columns, JSON and JSON lines, the table."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from luoshi import store
from luoshi.cli import app
from luoshi.output.formats import column_headers, write_listing, write_table

runner = CliRunner()
LISTINGS = [["docs"], ["records", "--topic", "agriculture"], ["search", "粮食"]]


def _run(db, args):
    result = runner.invoke(app, [*args, "--db", db.url])
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.parametrize("args", LISTINGS)
def test_csv_file_has_a_bom_and_stdout_has_none(loaded, tmp_path, args):
    db, _ = loaded
    out = tmp_path / "out.csv"
    _run(db, [*args, "-o", str(out)])
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    printed = _run(db, [*args, "--format", "csv"]).stdout
    assert not printed.startswith("\ufeff")
    assert rows == list(csv.DictReader(io.StringIO(printed))) and rows


@pytest.mark.parametrize("args", LISTINGS)
def test_json_and_jsonl_carry_the_same_rows(loaded, args):
    db, _ = loaded
    rows = json.loads(_run(db, [*args, "-f", "json"]).stdout)
    lines = [json.loads(line) for line in _run(db, [*args, "-f", "jsonl"]).stdout.splitlines()]
    assert rows == lines and rows


def test_records_json_has_every_column_and_the_stored_values(loaded):
    db, _ = loaded
    rows = json.loads(_run(db, ["records", "--type", "indicator", "--limit", "20", "-f", "json"]).stdout)
    assert rows == [{c: r[c] for c in store.RECORD_COLUMNS} for r in store.list_records(db, type="indicator", limit=20)]


@pytest.mark.parametrize("args", LISTINGS)
def test_xlsx_has_a_bold_frozen_header_and_sized_columns(loaded, tmp_path, args):
    db, _ = loaded
    out = tmp_path / "out.xlsx"
    _run(db, [*args, "-o", str(out)])  # the format comes from the suffix
    ws = load_workbook(out).active
    header = [c.value for c in ws[1]]
    expected = json.loads(_run(db, [*args, "-f", "json"]).stdout)
    assert header == column_headers(expected[0], "zh") and "region" not in header  # Chinese by default
    _run(db, [*args, "-o", str(out), "--lang", "en"])
    assert [c.value for c in load_workbook(out).active[1]] == list(expected[0])  # English: the JSON keys
    ws = load_workbook(out).active
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.max_row == len(expected) + 1
    assert all(8 <= ws.column_dimensions[c.column_letter].width <= 60 for c in ws[1])


def test_xlsx_keeps_types_and_never_makes_formulas(tmp_path):
    out = tmp_path / "t.xlsx"
    rows = [{"a": "=1+1", "b": 2.5, "c": True, "d": None, "e": [[1, 3]], "f": "粮食\x07"}]
    write_listing(rows, list(rows[0]), "xlsx", out)
    ws = load_workbook(out).active
    assert [c.value for c in ws[2]] == ["=1+1", 2.5, True, None, "[[1, 3]]", "粮食"]
    assert ws["A2"].data_type == "s"


def test_table_is_the_default_and_unknown_formats_are_refused(loaded):
    db, _ = loaded
    assert "┃ 编号 ┃ 文件名" in _run(db, ["docs"]).stdout  # headers in Chinese, as CSV and XLSX
    assert "┃ id ┃ name" in _run(db, ["docs", "--lang", "en"]).stdout
    result = runner.invoke(app, ["records", "--db", db.url, "-f", "xml"])
    assert result.exit_code == 2
    assert result.stderr.strip().endswith("unknown --format 'xml'; choose one of table, csv, json, jsonl, xlsx")
    result = runner.invoke(app, ["records", "--db", db.url, "--kind", "plan"])
    assert result.exit_code == 2 and "unknown kind 'plan'" in result.stderr


def test_one_terminal_table_writer():
    """Headers in the language asked for, styles by row, and text never read as markup."""
    out = io.StringIO()
    rows = [{"indicator": "粮食[red]产量[/]", "verdict": "met"}, {"indicator": None, "verdict": "missed"}]
    write_table(rows, ("indicator", "verdict"), out, lang="zh", styles=lambda row: {"verdict": "green"})
    text = out.getvalue()
    assert "┃ 指标" in text and "┃ 判定" in text and "粮食[red]产量[/]" in text and "None" not in text
    out = io.StringIO()
    write_table(rows, ("indicator", "verdict"), out, lang="en", width=40)
    assert "┃ indicator" in out.getvalue() and max(len(line) for line in out.getvalue().splitlines()) <= 40
