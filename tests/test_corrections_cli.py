"""`luoshi corrections list` and `luoshi corrections export`: the gold files score.py reads."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from luoshi import importing, store
from luoshi.cli import app
from luoshi.store import corrections as corr
from luoshi.store import gold
from paths import DEV, SAMPLE, SHARED, needs_shared

runner = CliRunner()


@pytest.fixture
def db(tmp_path):
    """The sample report (= shared/eval/dev/ningbo-2024-part1.txt), stored; its path."""
    path = tmp_path / "c.db"
    database = store.connect(path)
    importing.import_paths(database, [SAMPLE], workers=1)
    database.close()
    return str(path)


def corrected(path: str) -> dict:
    """A fix, a rejection and an addition (as the web app makes them); the records concerned."""
    database = store.connect(path)
    try:
        doc_id = store.list_documents(database)[0]["id"]
        text = store.load_document(database, doc_id).text
        first, second = store.list_records(database, type="indicator")[:2]
        store.add_correction(
            database, "fix", record_id=first["id"], fields={"value": 6.5}, reviewer="wang", anchored=True
        )
        store.add_correction(database, "reject", record_id=second["id"], reviewer="li", note="duplicate")
        start = text.index("实施20周年")
        store.add_correction(
            database,
            "add",
            document_id=doc_id,
            reviewer="zhao",
            anchored=True,
            fields={
                "type": "task",
                "kind": "target",
                "action": "plan",
                "object": "八八战略",
                "start": start,
                "end": start + 6,
            },
        )
        return {"first": gold.gold_record(first), "second": gold.gold_record(second), "doc_id": doc_id}
    finally:
        database.close()


def invoke(*args: str):
    return runner.invoke(app, ["corrections", *args])


def test_list_in_every_format(db):
    corrected(db)
    result = invoke("list", "--db", db, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["action"] for r in rows] == ["add", "reject", "fix"] and rows[1]["note"] == "duplicate"
    assert rows[0]["fields"]["evidence"] == "实施20周年" and rows[0]["fields"]["verb"] == ""
    assert [r["reviewer"] for r in json.loads(invoke("list", "--db", db, "--reviewer", "li", "-f", "json").stdout)] == [
        "li"
    ]
    table = invoke("list", "--db", db)
    assert table.exit_code == 0 and "duplicate" in table.stdout and "ningbo-2024-part1.txt" in table.stdout


def test_export_writes_one_gold_file_per_corrected_report(db, tmp_path):
    assert "nothing to export" in invoke("export", "--db", db, "-o", str(tmp_path / "none")).stderr
    done = corrected(db)
    out = tmp_path / "gold"
    result = invoke("export", "--db", db, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.iterdir()] == ["ningbo-2024-part1.gold.jsonl"]
    lines = [json.loads(line) for line in (out / "ningbo-2024-part1.gold.jsonl").read_text("utf-8").splitlines()]

    database = store.connect(db)
    try:
        with database.engine.begin() as conn:  # without the corrections: the records as extracted
            conn.execute(corr.corrections.delete())
        plain = [gold.gold_record(r) for r in store.list_records(database)]
    finally:
        database.close()
    added = {
        "type": "task",
        "kind": "target",
        "year": None,
        "action": "plan",
        "object": "八八战略",
        "verb": "",
        "evidence": "实施20周年",
    }
    fixed = {**done["first"], "value": 6.5}
    assert [line for line in lines if line != added] == [
        fixed if line == done["first"] else line for line in plain if line != done["second"]
    ]
    assert lines.count(added) == 1 and len(lines) == len(plain)


def test_export_of_one_report_to_stdout_or_a_file(db, tmp_path):
    corrected(db)
    result = invoke("export", "--db", db, "--document", "ningbo")
    assert result.exit_code == 0 and result.stdout.startswith('{"type": "task", "kind": "target", "year": null')
    target = tmp_path / "one.gold.jsonl"
    assert invoke("export", "--db", db, "-d", "1", "-o", str(target)).exit_code == 0
    assert target.read_text("utf-8") == result.stdout
    assert invoke("export", "--db", db, "-d", "1", "-o", str(tmp_path)).exit_code == 0  # a directory
    assert (tmp_path / "ningbo-2024-part1.gold.jsonl").read_text("utf-8") == result.stdout


def test_export_errors(db):
    corrected(db)
    result = invoke("export", "--db", db)
    assert result.exit_code == 2 and "give -o DIR" in result.stderr
    result = invoke("export", "--db", db, "-d", "no-such-report")
    assert result.exit_code == 2 and "no stored report matches" in result.stderr


@needs_shared
def test_score_py_reads_the_export(db, tmp_path):
    """An uncorrected report's export scores 1.0 against luoshi's own extraction, and the dev
    gold scores it as it scores the extraction."""
    gold = tmp_path / "ningbo-2024-part1.gold.jsonl"
    assert invoke("export", "--db", db, "-d", "1", "-o", str(gold)).exit_code == 0
    extracted = runner.invoke(app, ["extract", str(SAMPLE), "--format", "jsonl"]).stdout
    pred = tmp_path / "pred.jsonl"
    pred.write_text(extracted, encoding="utf-8")
    scorer = SHARED / "eval" / "score.py"

    def score(gold_file, pred_file) -> str:
        done = subprocess.run(
            [sys.executable, str(scorer), str(gold_file), str(pred_file)], capture_output=True, text=True, check=True
        )
        return done.stdout.splitlines()[-1]

    assert score(gold, pred).startswith("indicators F1 1.000 (P 1.000 R 1.000) | exact 1.000 | tasks F1 1.000")
    dev = DEV / "ningbo-2024-part1.gold.jsonl"
    assert score(dev, gold) == score(dev, pred)
