"""Outline and metadata on the seed and on every report of the corpus."""

from __future__ import annotations

import re

import pytest

import luoshi
from paths import CORPUS_REGIONS, SAMPLE, corpus_files, needs_shared


def test_seed_outline_parts_sections_and_leads():
    doc = luoshi.load(SAMPLE)
    parts = [n for n in doc.outline.children if n.kind == "part"]
    assert [(p.title, p.role, p.year) for p in parts] == [
        ("一、2023年工作回顾", "review", 2023),
        ("二、2024年主要目标任务", "plan", 2024),
    ]
    sections = [n for n in parts[0].children if n.kind == "section"]
    assert sections[0].title == "（一）提信心稳增长，经济运行持续回升向好"
    for node in doc.outline.walk():
        if node.kind != "document":
            assert 0 <= node.start < node.end <= len(doc.text)
            assert doc.text[node.start : node.start + len(node.title)] == node.title or node.kind == "paragraph"
    leads = [n.lead for n in doc.outline.walk() if n.lead]
    assert "加快市域交通畅联。" in leads


def test_seed_metadata():
    m = luoshi.load(SAMPLE).metadata
    assert (m.region, m.level, m.year_delivered, m.year_reviewed, m.year_planned) == (
        "宁波市",
        "municipal",
        2024,
        2023,
        2024,
    )
    # an excerpt that opens with its review part (一、2023年工作回顾) is still a work report
    assert m.doc_type == "work_report"


def test_sentences_cover_paragraphs():
    doc = luoshi.load(SAMPLE)
    para = next(n for n in doc.outline.walk() if n.kind == "paragraph" and len(n.sentences) > 2)
    assert para.sentences[0].start == para.start and para.sentences[-1].end == para.end
    assert all(doc.text[s.end - 1] in "。！？；" or s.end == para.end for s in para.sentences)


@needs_shared
@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.stem)
def test_corpus_review_and_plan_parts(path):
    year = int(re.search(r"(\d{4})", path.stem).group(1))
    doc = luoshi.load(path)
    m = doc.metadata
    assert m.region == CORPUS_REGIONS[path.stem.split("-")[0]]
    assert m.level == ("national" if path.stem.startswith("national") else "provincial")
    assert (m.year_delivered, m.year_reviewed, m.year_planned) == (year, year - 1, year)
    parts = [n for n in doc.outline.children if n.kind == "part"]
    roles = {(p.role, p.year) for p in parts}
    assert ("review", year - 1) in roles
    assert ("plan", year) in roles
