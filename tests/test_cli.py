"""The command line: help, version, formats, and one-line errors with exit status 2."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

import luoshi
from luoshi.cli import app
from paths import SAMPLE

runner = CliRunner()


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"luoshi {luoshi.__version__}"


@pytest.mark.parametrize("args", [["--help"], ["extract", "--help"]])
def test_help_on_every_command(args):
    result = runner.invoke(app, args)
    assert result.exit_code == 0 and "Usage" in result.stdout


def test_every_command_is_documented_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        assert f"luoshi {name}" in readme


def test_text_format_is_the_cleaned_text_exactly():
    result = runner.invoke(app, ["extract", str(SAMPLE), "--format", "text"])
    assert result.exit_code == 0
    assert result.stdout == luoshi.load(SAMPLE).text + "\n"


def test_jsonl_offsets_index_the_text_format():
    text = runner.invoke(app, ["extract", "--sample", "--format", "text"]).stdout[:-1]
    lines = runner.invoke(app, ["extract", "--sample", "--format", "jsonl"]).stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) > 150
    for r in records:
        assert text[r["start"] : r["end"]] == r["evidence"]


@pytest.mark.parametrize("fmt", ["outline", "json", "table", "csv"])
def test_other_formats(fmt):
    result = runner.invoke(app, ["extract", "--sample", "--format", fmt])
    assert result.exit_code == 0 and result.stdout.strip()
    if fmt == "json":
        doc = json.loads(result.stdout)
        assert doc["metadata"]["region"] == "宁波市" and doc["records"]
    if fmt == "outline":
        assert "一、2023年工作回顾 (review 2023)" in result.stdout


def test_output_file(tmp_path):
    """A CSV file has a BOM (Excel reads it as UTF-8) and Chinese headers unless --lang en."""
    out = tmp_path / "r.csv"
    result = runner.invoke(app, ["extract", "--sample", "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0 and out.read_bytes().startswith("\ufeff类型,性质,年份".encode())
    result = runner.invoke(app, ["extract", "--sample", "--format", "csv", "-o", str(out), "--lang", "en"])
    assert result.exit_code == 0 and out.read_text(encoding="utf-8-sig").startswith("type,kind,year")


@pytest.mark.parametrize(
    "content,reason",
    [(b"", "file is empty"), (b"\x00\x01\x02\x03" * 300, "binary file"), (b"%PDF-1.4\n%%EOF garbage", "PDF")],
)
def test_bad_input_one_line_exit_2(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    done = subprocess.run(
        [sys.executable, "-m", "luoshi.cli", "extract", str(path), "--format", "jsonl"], capture_output=True, text=True
    )
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and reason in lines[0]
    assert "Traceback" not in done.stderr


def test_missing_file_and_unknown_format(tmp_path):
    result = runner.invoke(app, ["extract", str(tmp_path / "none.txt")])
    assert result.exit_code == 2 and "no such file" in result.output
    result = runner.invoke(app, ["extract", "--sample", "--format", "xml"])
    assert result.exit_code == 2 and "unknown --format" in result.output
