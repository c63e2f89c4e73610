"""The command line in Chinese: names typed in Chinese (--kind 目标, --topic 农业, --verdict 未达成),
CSV and XLSX headers in Chinese by default (--lang en for the JSON keys), extract's XLSX and
its CSV with a BOM, and read commands that refuse a missing database instead of creating one.
Also the shape of the CLI package: nothing in the library imports it, one error tail."""

from __future__ import annotations

import ast
import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from luoshi import store
from luoshi.cli import app, sample_path
from luoshi.output.formats import ALL_FIELDS
from luoshi.output.names import canonical_name, column_headers, zh_names
from paths import CORPUS, SAMPLE, needs_shared

runner = CliRunner()
PACKAGE = Path(__file__).resolve().parents[1] / "src" / "luoshi"


def _json(db, args) -> list[dict]:
    result = runner.invoke(app, [*args, "--db", db.url, "-f", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    "chinese,english",
    [
        (["--kind", "目标"], ["--kind", "target"]),
        (
            ["--kind", "结果", "--type", "指标", "--measure", "增速"],
            ["--kind", "result", "--type", "indicator", "--measure", "change"],
        ),
        (["--type", "任务"], ["--type", "task"]),
        (["--measure", "总量"], ["--measure", "quantity"]),
        (["--topic", "农业"], ["--topic", "agriculture"]),
        (["--topic", "生态环境与能源"], ["--topic", "environment"]),
    ],
)
def test_records_accept_chinese_names(loaded, chinese, english):
    db, _ = loaded
    rows = _json(db, ["records", *chinese])
    assert rows and rows == _json(db, ["records", *english])


def test_search_accepts_a_chinese_topic(loaded):
    db, _ = loaded
    assert _json(db, ["search", "粮食", "--topic", "农业"]) == _json(db, ["search", "粮食", "--topic", "agriculture"])


def test_unknown_chinese_names_are_refused_in_one_line(loaded):
    db, _ = loaded
    result = runner.invoke(app, ["records", "--db", db.url, "--kind", "计划"])
    assert result.exit_code == 2 and "unknown kind '计划'; choose one of result, target" in result.stderr
    result = runner.invoke(app, ["records", "--db", db.url, "--topic", "体育"])
    assert result.exit_code == 2 and "unknown topic '体育'" in result.stderr


def test_one_table_of_names():
    assert canonical_name("verdict", "未达成") == "missed" and canonical_name("verdict", "无数据") == "no_data"
    assert canonical_name("measure", "排名") == "rank" and canonical_name("type", "指标") == "indicator"
    assert canonical_name("kind", "plan") == "plan"  # not a Chinese name: the library says what is allowed
    assert canonical_name("topic", "与") == "与"  # a single character names no topic
    # every column of every listing has a Chinese header, and no two share one
    listings = store.DOCUMENT_COLUMNS + store.RECORD_COLUMNS + store.SEARCH_COLUMNS + store.LINK_COLUMNS + ALL_FIELDS
    names = zh_names("column")
    assert not [c for c in listings if c not in names]
    assert len({v[0] for v in names.values()}) == len(names)
    assert column_headers(("region", "牵头单位"), "zh") == ["地区", "牵头单位"]
    assert column_headers(("region",), "en") == ["region"]


def test_csv_headers_are_chinese_by_default_and_english_on_request(loaded, tmp_path):
    db, _ = loaded
    out = tmp_path / "docs.csv"
    assert runner.invoke(app, ["docs", "--db", db.url, "-o", str(out)]).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert list(rows[0])[:4] == ["编号", "文件名", "地区", "层级"]
    result = runner.invoke(app, ["docs", "--db", db.url, "-f", "csv", "--lang", "en"])
    assert result.stdout.startswith("id,name,region,level")
    result = runner.invoke(app, ["docs", "--db", db.url, "-f", "csv", "--lang", "fr"])
    assert result.exit_code == 2 and "--lang" in result.output


def test_extract_writes_xlsx_and_a_csv_with_a_bom(tmp_path):
    out = tmp_path / "r.xlsx"
    result = runner.invoke(app, ["extract", "--sample", "-o", str(out)])  # the format from the suffix
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:2] == b"PK"
    sheet = load_workbook(out).active
    table = list(sheet.iter_rows(values_only=True))
    assert list(table[0]) == column_headers(ALL_FIELDS, "zh")
    records = [
        json.loads(line) for line in runner.invoke(app, ["extract", "--sample", "-f", "jsonl"]).stdout.splitlines()
    ]
    assert len(table) == len(records) + 1
    start, end = ALL_FIELDS.index("start"), ALL_FIELDS.index("end")
    text = runner.invoke(app, ["extract", str(SAMPLE), "-f", "text"]).stdout
    evidence = ALL_FIELDS.index("evidence")
    assert all(text[row[start] : row[end]] == row[evidence] for row in table[1:])  # offsets exact
    csv_file = tmp_path / "r.txt"
    assert runner.invoke(app, ["extract", "--sample", "-f", "csv", "-o", str(csv_file)]).exit_code == 0
    assert csv_file.read_bytes().startswith(b"\xef\xbb\xbf")
    printed = runner.invoke(app, ["extract", "--sample", "-f", "csv"]).stdout
    assert not printed.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(printed))) == list(
        csv.reader(io.StringIO(csv_file.read_bytes().decode("utf-8-sig")))
    )


def test_extract_jsonl_keys_stay_english(tmp_path):
    out = tmp_path / "r.jsonl"
    assert runner.invoke(app, ["extract", "--sample", "-o", str(out)]).exit_code == 0
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert first["type"] == "indicator" and first["indicator"] == "地区生产总值" and "类型" not in first


@pytest.mark.parametrize(
    "args",
    [
        ["docs"],
        ["records"],
        ["search", "粮食"],
        ["corrections", "list"],
        ["corrections", "export"],
        ["users", "list"],
        ["scorecard", "浙江", "2025"],
        ["compare", "-i", "gdp", "--year", "2025"],
        ["reextract"],
        ["link", "12", "13"],
    ],
)
def test_read_commands_on_a_missing_database_say_so(tmp_path, args):
    missing = tmp_path / "no" / "such" / "x.db"
    result = runner.invoke(app, [*args, "--db", str(missing)])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"luoshi: no database at {missing}: import reports first (luoshi import FILES --db {missing})"
    )
    assert not (tmp_path / "no").exists()


def test_import_still_creates_the_database(tmp_path):
    target = tmp_path / "new" / "x.db"
    result = runner.invoke(app, ["import", str(SAMPLE), "--db", str(target), "-w", "1"])
    assert result.exit_code == 0 and target.exists()


@needs_shared
def test_scorecard_keeps_one_verdict_given_in_chinese(tmp_path):
    """National 2024 → 2025: the targets the 2025 report says were missed or met."""
    folder = tmp_path / "reports"
    folder.mkdir()
    for name in ("national-2024-gwr.txt", "national-2025-gwr.txt"):
        shutil.copy(CORPUS / name, folder / name)
    db = str(tmp_path / "n.db")
    assert runner.invoke(app, ["import", str(folder), "--db", db, "-w", "1"]).exit_code == 0
    every = json.loads(runner.invoke(app, ["scorecard", "国务院", "2024", "--db", db, "-f", "json"]).stdout)
    for chinese, verdict in (("达成", "met"), ("未达成", "missed"), ("无数据", "no_data")):
        result = runner.invoke(app, ["scorecard", "国务院", "2024", "--db", db, "-f", "json", "--verdict", chinese])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout) == [r for r in every if r["verdict"] == verdict]
    assert {r["verdict"] for r in every} >= {"met", "no_data"}
    result = runner.invoke(app, ["scorecard", "国务院", "2024", "--db", db, "--verdict", "好"])
    assert result.exit_code == 2 and "unknown verdict '好'" in result.stderr


# --- the package's shape (issue 13) --------------------------------------------------------------


def _imports(path: Path) -> set[str]:
    """The modules ``path`` imports, as absolute names under luoshi."""
    package = ".".join(("luoshi",) + path.relative_to(PACKAGE).parent.parts)
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            name = ".".join(p for p in (base, node.module or "") if p)
            found.add(name)
            found.update(f"{name}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def test_nothing_in_the_library_imports_the_cli():
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if "cli" not in p.relative_to(PACKAGE).parts[:1]
        and any(m == "luoshi.cli" or m.startswith("luoshi.cli.") for m in _imports(p))
    ]
    assert offenders == []
    assert sample_path() == SAMPLE


def test_one_error_tail_and_commands_at_module_level():
    cli = PACKAGE / "cli"
    tails = [
        p.name
        for p in cli.glob("*.py")
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef) and node.name in ("fail", "_fail")
    ]
    assert tails == ["common.py"]
    for command in app.registered_commands:
        assert "<locals>" not in command.callback.__qualname__
    for group in app.registered_groups:
        for command in group.typer_instance.registered_commands:
            assert "<locals>" not in command.callback.__qualname__


def test_tables_are_in_chinese_by_default_and_english_on_request(loaded):
    """The terminal table follows --lang as CSV and XLSX do (issue 15)."""
    db, _ = loaded
    for args, zh, en in [
        (["records", "--limit", "3"], "┃ 编号 ┃ 报告", "┃ id ┃ document"),
        (["search", "粮食", "-f", "table"], "┃ 报告", "┃ document"),
        (["docs"], "┃ 编号 ┃ 文件名", "┃ id ┃ name"),
    ]:
        assert zh in runner.invoke(app, [*args, "--db", db.url]).stdout
        assert en in runner.invoke(app, [*args, "--db", db.url, "--lang", "en"]).stdout
    table = runner.invoke(app, ["extract", "--sample", "-f", "table"]).stdout
    assert "┃ 性质" in table and "指标/对象" in table and "口径/动作" in table
    table = runner.invoke(app, ["extract", "--sample", "-f", "table", "--lang", "en"]).stdout
    assert "┃ kind" in table and "indicator/object" in table and "measure/action" in table


def test_every_table_column_has_a_chinese_header():
    from luoshi.cli.corrections import CORRECTIONS_TABLE
    from luoshi.cli.library import DOCS_TABLE, RECORDS_TABLE, SEARCH_TABLE
    from luoshi.cli.linking import COMPARE_TABLE, FOLLOW_TABLE_COLUMNS, LINK_TABLE_COLUMNS, SCORECARD_TABLE
    from luoshi.output.formats import RECORD_TABLE

    names = zh_names("column")
    tables = (
        DOCS_TABLE,
        RECORDS_TABLE,
        SEARCH_TABLE,
        COMPARE_TABLE,
        FOLLOW_TABLE_COLUMNS,
        LINK_TABLE_COLUMNS,
        SCORECARD_TABLE,
        RECORD_TABLE,
        CORRECTIONS_TABLE,
    )
    assert not [c for table in tables for c in table if c not in names]
