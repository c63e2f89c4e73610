"""Golden tests: whole documents against the dev gold, scored by the shared scorer."""

from __future__ import annotations

import importlib.util
import json

import pytest

import luoshi
from luoshi.model import record_dict
from paths import DEV, SHARED, needs_shared

BARS = {"f1": 0.95, "exact": 0.85, "task_f1": 0.75}


def _scorer():
    spec = importlib.util.spec_from_file_location("score", SHARED / "eval" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _gold(name: str) -> list[dict]:
    return [
        json.loads(line)
        for line in (DEV / f"{name}.gold.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


@needs_shared
@pytest.mark.parametrize("name", ["ningbo-2024-part1", "zhejiang-2025-gwr"])
def test_dev_document_meets_the_bars(name):
    score = _scorer()
    doc = luoshi.extract(DEV / f"{name}.txt")
    pred = [record_dict(r) for r in doc.records]
    s = score.score_doc(_gold(name), pred, doc.text)
    f1, _, _ = score.f1(s["tp"], s["gold"], s["pred"])
    task_f1, _, _ = score.f1(s["task_tp"], s["task_gold"], s["task_pred"])
    assert f1 >= BARS["f1"], s["misses"][:5] + s["spurious"][:5]
    assert s["exact"] / s["gold"] >= BARS["exact"]
    assert task_f1 >= BARS["task_f1"]
    for r in doc.records:  # every record's evidence is its span of the cleaned text
        assert doc.text[r.start : r.end] == r.evidence


@needs_shared
def test_seed_key_records():
    doc = luoshi.extract(DEV / "ningbo-2024-part1.txt")
    by_ev = {(r.evidence, getattr(r, "value", None)): r for r in doc.records}
    gdp = by_ev[("预计全年地区生产总值增长6%左右", 6)]
    assert (gdp.kind, gdp.year, gdp.measure, gdp.qualifier, gdp.estimated, gdp.indicator_id) == (
        "result",
        2023,
        "change",
        "about",
        True,
        "gdp",
    )
    jobs = by_ev[("城镇登记失业率3.5%以内", 3.5)]
    assert (jobs.kind, jobs.year, jobs.qualifier, jobs.indicator_id) == ("target", 2024, "at_most", "unemployment")
    tasks = {(t.action, t.object) for t in doc.records if t.type == "task"}
    assert ("start", "梅山铁路专用线") in tasks
    assert {("complete", "杭甬高速复线一期"), ("complete", "甬金铁路")} <= tasks


def test_record_spans_map_back_to_the_raw_text():
    from paths import SAMPLE

    doc = luoshi.extract(SAMPLE)
    squash = lambda s: "".join(s.split())  # noqa: E731
    for r in doc.records:
        rs, re_ = doc.to_raw(r.start, r.end)
        assert squash(doc.raw[rs:re_]) == squash(r.evidence).replace("＋", "+") or "【" in doc.raw[rs:re_]
