"""`luoshi link` and `luoshi diff` on real report pairs."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from luoshi.cli import app
from paths import CORPUS, needs_shared

runner = CliRunner()
OLD, NEW = CORPUS / "national-2024-gwr.txt", CORPUS / "national-2025-gwr.txt"


@needs_shared
def test_link_jsonl_is_the_linking_format():
    result = runner.invoke(app, ["link", str(OLD), str(NEW), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    links = [json.loads(line) for line in result.stdout.splitlines()]
    gdp = next(lk for lk in links if lk["indicator_id"] == "gdp" and lk["target"]["measure"] == "change")
    assert (gdp["target"]["value"], gdp["result"]["value"], gdp["verdict"]) == (5, 5, "met")
    assert gdp["rule"] and set(gdp) >= {"target", "result", "verdict", "gap", "indicator_id"}


@needs_shared
@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_link_other_formats(fmt):
    result = runner.invoke(app, ["link", str(OLD), str(NEW), "--format", fmt])
    assert result.exit_code == 0 and "国内生产总值" in result.stdout


@needs_shared
def test_diff_text_and_json():
    result = runner.invoke(app, ["diff", str(OLD), str(NEW)])
    assert result.exit_code == 0 and result.stdout.startswith("目标：2024年 → 2025年")  # Chinese by default
    assert "\n项目\n" in result.stdout and not any(w in result.stdout for w in ("raised", "kept", "vanished"))
    english = runner.invoke(app, ["diff", str(OLD), str(NEW), "--lang", "en"])
    assert english.exit_code == 0 and english.stdout.startswith("targets 2024 → 2025")
    assert "\nprojects\n" in english.stdout
    data = json.loads(runner.invoke(app, ["diff", str(OLD), str(NEW), "--format", "json"]).stdout)
    assert data["old_year"] == 2024 and data["new_year"] == 2025 and data["targets"]


def test_link_bad_input_exit_2(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = runner.invoke(app, ["link", str(empty), str(empty)])
    assert result.exit_code == 2 and "file is empty" in result.output
