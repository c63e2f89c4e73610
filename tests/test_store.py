"""The store: schema and migrations, what a document keeps, records with every spec field,
topics, corrections that survive re-extraction, filters; against SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select, update

import luoshi
from luoshi import importing, store
from luoshi.model import INDICATOR_FIELDS, TASK_FIELDS, record_dict
from luoshi.store import offsets
from luoshi.store.migrations import LATEST, current_version, schema_migrations
from luoshi.store.schema import documents, passages, records, sections
from paths import SAMPLE, needs_shared
from store_support import report_files

SAMPLE_NAME = SAMPLE.name


def _doc_id(db, name: str) -> int:
    return next(d["id"] for d in store.list_documents(db) if d["name"] == name)


# --- which database ---------------------------------------------------------------------------


def test_default_database_is_in_the_user_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("LUOSHI_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert store.resolve_url(None) == f"sqlite:///{tmp_path}/luoshi/luoshi.db"
    monkeypatch.setenv("LUOSHI_DB", str(tmp_path / "env.db"))
    assert store.resolve_url(None) == f"sqlite:///{tmp_path}/env.db"
    assert store.resolve_url(tmp_path / "given.db") == f"sqlite:///{tmp_path}/given.db"
    assert store.resolve_url("postgres://u:pw@h/db") == "postgresql+pg8000://u:pw@h/db"
    assert store.display("postgresql+pg8000://u:pw@h/db") == "postgresql+pg8000://u:***@h/db"


def test_bad_database_urls_are_store_errors(tmp_path):
    with pytest.raises(store.StoreError, match="unsupported database"):
        store.connect("mysql://u@localhost/x")
    with pytest.raises(store.StoreError, match="cannot reach the PostgreSQL server .*: connection refused"):
        store.connect("postgresql://nobody@127.0.0.1:1/none")  # (tests/test_faults.py: the other faults)


def test_backends_fixture_gives_an_empty_database(backend):
    db = store.connect(backend)
    try:
        assert store.list_documents(db) == []
    finally:
        db.close()


# --- schema -----------------------------------------------------------------------------------


def test_migrations_are_recorded_and_run_once(backend):
    db = store.connect(backend)
    try:
        with db.engine.connect() as conn:
            assert current_version(conn) == LATEST
            conn.commit()
        store.connect(backend).close()  # opening again changes nothing
        with db.engine.begin() as conn:
            assert conn.execute(select(func.count()).select_from(schema_migrations)).scalar_one() == LATEST
            conn.execute(schema_migrations.insert().values(version=LATEST + 1, name="future", applied_at=func.now()))
        with pytest.raises(store.StoreError, match="newer than this luoshi"):
            store.connect(backend)
    finally:
        db.close()


@given(st.lists(st.integers(0, 5), max_size=60))
def test_offset_map_packs_and_unpacks(steps):
    positions, pos = [], 0
    for s in steps:
        pos += s
        positions.append(pos)
    assert offsets.unpack(offsets.pack(positions)) == positions


# --- a stored document ------------------------------------------------------------------------


def test_a_document_keeps_its_text_offsets_metadata_and_hash(loaded):
    db, _ = loaded
    doc = luoshi.extract(SAMPLE)
    with db.engine.connect() as conn:
        row = conn.execute(select(documents).where(documents.c.name == SAMPLE_NAME)).one()
    assert row.content_hash == hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
    assert (row.region, row.year_planned, row.format) == ("宁波市", 2024, "txt")
    assert row.text == doc.text and row.raw == doc.raw
    assert offsets.unpack(row.offsets) == doc.offsets
    assert json.loads(row.outline) == doc.outline.to_dict()
    assert row.n_records == len(doc.records) and row.extractor_version == store.extractor_version()


def test_records_keep_every_field_of_the_spec(loaded):
    db, _ = loaded
    doc = luoshi.extract(SAMPLE)
    stored = store.list_records(db, document=SAMPLE_NAME)
    assert len(stored) == len(doc.records) > 150
    for rec, row in zip(doc.records, stored):
        expected = record_dict(rec)
        assert {k: row[k] for k in expected} == expected
        assert doc.text[row["start"] : row["end"]] == row["evidence"]
    assert set(INDICATOR_FIELDS) | set(TASK_FIELDS) <= set(store.RECORD_COLUMNS)


def test_sections_and_passages_cover_the_outline(loaded):
    db, _ = loaded
    doc_id = _doc_id(db, SAMPLE_NAME)
    with db.engine.connect() as conn:
        paths = set(conn.execute(select(sections.c.path).where(sections.c.document_id == doc_id)).scalars())
        text = conn.execute(select(documents.c.text).where(documents.c.id == doc_id)).scalar_one()
        for p in conn.execute(select(passages).where(passages.c.document_id == doc_id)):
            assert text[p.start : p.end] == p.text and p.tokens
    assert {r["section"] for r in store.list_records(db, document=doc_id)} - {""} <= paths


# --- topics -----------------------------------------------------------------------------------


@needs_shared
def test_topics_come_from_the_table_and_nearly_every_record_has_one(loaded):
    db, _ = loaded
    ids = {t.id for t in store.topics()}
    assert len(ids) == 11
    rows = store.list_records(db)
    assert {r["topic"] for r in rows} <= ids | {None}
    assert sum(r["topic"] is None for r in rows) < 0.05 * len(rows)
    grain = [r for r in store.list_records(db, indicator="粮食产量")]
    assert grain and all(r["topic"] == "agriculture" for r in grain)
    assert all(r["topic"] == "agriculture" for r in store.list_records(db, topic="agriculture"))


# --- filters ----------------------------------------------------------------------------------


def test_document_filters(loaded):
    db, files = loaded
    assert len(store.list_documents(db)) == len(files)
    assert [d["name"] for d in store.list_documents(db, region="宁波")] == [SAMPLE_NAME]
    assert {d["year"] for d in store.list_documents(db, year=2024)} == {2024}
    one = store.list_documents(db, document=SAMPLE_NAME)[0]
    assert store.list_documents(db, document=str(one["id"])) == [one]
    assert store.list_documents(db, document=one["content_hash"][:10]) == [one]
    assert store.list_documents(db, region="nowhere") == []


@pytest.mark.parametrize(
    "field,value", [("kind", "target"), ("type", "task"), ("measure", "rank"), ("year", 2024), ("indicator_id", "gdp")]
)
def test_record_filters_select_exactly_the_matching_records(loaded, field, value):
    db, _ = loaded
    everything = store.list_records(db)
    chosen = store.list_records(db, **{field: value})
    assert chosen and chosen == [r for r in everything if r[field] == value]


def test_region_indicator_and_limit_filters(loaded):
    db, _ = loaded
    ningbo = store.list_records(db, region="宁波")
    assert ningbo and {r["document"] for r in ningbo} == {SAMPLE_NAME}
    named = store.list_records(db, indicator="生产总值")
    assert named and all("生产总值" in r["indicator"] for r in named)
    assert len(store.list_records(db, limit=7)) == 7


@pytest.mark.parametrize(
    "filters,message",
    [
        ({"kind": "plan"}, "unknown kind 'plan'; choose one of result, target"),
        ({"topic": "sports"}, "unknown topic 'sports'"),
    ],
)
def test_bad_filter_values_say_what_is_allowed(loaded, filters, message):
    with pytest.raises(store.StoreError, match=message):
        store.list_records(loaded[0], **filters)


# --- corrections and re-extraction --------------------------------------------------------------


def test_corrections_apply_and_survive_reextraction(backend, tmp_path):
    files = report_files(tmp_path / "reports", names=[])
    db = store.connect(backend)
    try:
        importing.import_paths(db, files, workers=1)
        rows = store.list_records(db, type="indicator")
        fixed, rejected = rows[0], rows[1]
        doc_id = fixed["document_id"]
        store.add_correction(db, "fix", record_id=fixed["id"], fields={"value": 99, "unit": "亿元"}, reviewer="wang")
        store.add_correction(db, "reject", record_id=rejected["id"], reviewer="li", note="not an indicator")
        store.add_correction(
            db,
            "add",
            document_id=doc_id,
            reviewer="zhao",
            fields={
                "type": "task",
                "kind": "target",
                "year": 2024,
                "action": "start",
                "object": "某某大桥",
                "verb": "开工",
                "start": 5,
                "end": 9,
                "evidence": "某某大桥开工",
            },
        )

        def check(rows):
            by_id = {r["id"]: r for r in rows}
            assert by_id[fixed["id"]]["value"] == 99 and by_id[fixed["id"]]["correction"] == "fixed"
            assert rejected["id"] not in by_id
            added = [r for r in rows if r["correction"] == "added"]
            assert [a["object"] for a in added] == ["某某大桥"]

        check(store.list_records(db))
        shown = store.list_records(db, rejected=True)
        assert [r["correction"] for r in shown if r["id"] == rejected["id"]] == ["rejected"]
        assert [r["object"] for r in store.list_records(db, type="task", year=2024) if r["correction"]] == ["某某大桥"]
        assert store.list_records(db, type="indicator", kind="result", indicator_id="no-such-id") == []

        report = importing.reextract(db)  # same extractor: nothing to do
        assert report.count("current") == 1 and report.count("refreshed") == 0
        report = importing.reextract(db, everything=True, workers=1)
        assert report.count("refreshed") == 1 and report.results[0].detail == ""
        rows = store.list_records(db)
        fixed["id"] = next(r["id"] for r in rows if r["correction"] == "fixed")  # ids are new, keys are not
        rejected["id"] = -1
        check(rows)
    finally:
        db.close()


def test_reextract_refreshes_documents_of_an_older_extractor(backend, tmp_path):
    files = report_files(tmp_path / "reports", names=[])
    db = store.connect(backend)
    try:
        importing.import_paths(db, files, workers=1)
        before = store.list_records(db)
        with db.engine.begin() as conn:
            conn.execute(update(documents).values(extractor_version="0.0.1+old"))
            conn.execute(update(records).values(extractor_version="0.0.1+old", topic=None))
        assert store.list_documents(db)[0]["current"] is False
        report = importing.reextract(db, workers=1)
        assert report.count("refreshed") == 1
        after = store.list_records(db)
        assert [{k: v for k, v in r.items() if k != "id"} for r in after] == [
            {k: v for k, v in r.items() if k != "id"} for r in before
        ]
        assert store.list_documents(db)[0]["current"] is True
    finally:
        db.close()


def test_bad_corrections_are_refused(loaded):
    db, _ = loaded
    with pytest.raises(store.StoreError, match="no record with id"):
        store.add_correction(db, "reject", record_id=10**9, reviewer="x")
    with pytest.raises(store.StoreError, match="unknown record field"):
        store.add_correction(db, "fix", record_id=1, fields={"colour": "red"}, reviewer="x")
    with pytest.raises(store.StoreError, match="unknown correction"):
        store.add_correction(db, "delete", record_id=1, reviewer="x")
