"""``luoshi search``: the paragraphs holding a word — two-character words included — are
exactly those found, with the hits' offsets, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import json
import random
import re

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from luoshi import store
from luoshi.cli import app
from luoshi.store.schema import documents, passages
from paths import needs_shared

runner = CliRunner()
EVERYTHING = {"limit": 10**6, "per_document": 10**6}


def _paragraphs(db) -> list[tuple[int, int, str]]:
    with db.engine.connect() as conn:
        return [
            (r.document_id, r.start, r.text)
            for r in conn.execute(select(passages.c.document_id, passages.c.start, passages.c.text))
        ]


def _texts(db) -> dict[int, str]:
    with db.engine.connect() as conn:
        return dict(conn.execute(select(documents.c.id, documents.c.text)).all())


def _found(db, query: str, **filters) -> set[tuple[int, int]]:
    """(document, paragraph start) of every paragraph found; a snippet starts in its paragraph."""
    starts = {}
    for doc_id, start, text in _paragraphs(db):
        starts.setdefault(doc_id, []).append((start, start + len(text)))
    out = set()
    for r in store.search(db, query, **EVERYTHING, **filters):
        out.add((r["document_id"], next(s for s, e in starts[r["document_id"]] if s <= r["start"] <= e)))
    return out


def _truth(db, *terms: str) -> set[tuple[int, int]]:
    return {(d, s) for d, s, text in _paragraphs(db) if all(t.lower() in text.lower() for t in terms)}


@pytest.mark.parametrize(
    "word", ["粮食", "就业", "地区生产总值", "粮食安全", "高标准农田", pytest.param("稳就业", marks=needs_shared)]
)  # not in the sample
def test_words_are_found_in_exactly_the_paragraphs_that_hold_them(loaded, word):
    db, _ = loaded
    truth = _truth(db, word)
    assert truth and _found(db, word) == truth


def test_every_hit_is_marked_at_its_offsets_in_the_cleaned_text(loaded):
    db, _ = loaded
    texts = _texts(db)
    rows = store.search(db, "粮食")
    assert rows
    for r in rows:
        text = texts[r["document_id"]]
        assert text[r["start"] : r["end"]] == r["snippet"]
        assert r["marks"] and all(text[a:b] == "粮食" for a, b in r["marks"])
        assert "[粮食]" in store.highlight(r)
    hits = [r["hits"] for r in rows]
    assert hits == sorted(hits, reverse=True)  # documents with more hits first


def test_names_of_records_are_found_wherever_they_occur(loaded):
    db, _ = loaded
    names = sorted({r["indicator"] or r["object"] for r in store.list_records(db)} - {None, ""})
    random.Random(7).shuffle(names)
    for name in names[:60]:
        assert _found(db, name) == _truth(db, name), name


@pytest.mark.parametrize(
    "query,terms",
    [("粮", ["粮"]), ("GDP", ["GDP"]), ("%", ["%"]), ("粮食 产量", ["粮食", "产量"]), ("宁波 5G", ["宁波", "5G"])],
)
def test_single_characters_latin_words_and_several_terms(loaded, query, terms):
    db, _ = loaded
    assert _found(db, query) == _truth(db, *terms)


@needs_shared
def test_filters_and_limits(loaded):
    db, _ = loaded
    ningbo = store.search(db, "就业", region="宁波", **EVERYTHING)
    assert ningbo and {r["region"] for r in ningbo} == {"宁波市"}
    assert {r["year"] for r in store.search(db, "就业", year=2025)} == {2025}
    assert {r["topic"] for r in store.search(db, "就业", topic="welfare")} == {"welfare"}
    limited = store.search(db, "就业", limit=2, per_document=1)
    assert len(limited) == 2 and len({r["document_id"] for r in limited}) == 2
    assert store.search(db, "没有这个词语的文字") == []
    with pytest.raises(store.StoreError, match="give words"):
        store.search(db, "  ")


def test_cli_search_text_and_json(loaded):
    db, _ = loaded
    result = runner.invoke(app, ["search", "粮食", "--db", db.url])
    assert result.exit_code == 0, result.output
    assert "luoshi: database:" in result.stderr
    lines = result.stdout.splitlines()
    assert re.match(r"\S+\.txt  \S+ \d{4}  \(\d+ hits\)", lines[0])
    assert "[粮食]" in lines[2]
    result = runner.invoke(app, ["search", "地区生产总值", "--db", db.url, "-f", "json"])
    rows = json.loads(result.stdout)
    assert rows and all(r["marks"] for r in rows)
    texts = _texts(db)
    assert all(texts[r["document_id"]][a:b] == "地区生产总值" for r in rows for a, b in r["marks"])
