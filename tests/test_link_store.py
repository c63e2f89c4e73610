"""Links in the store: computed on import from the stored documents exactly as from the files,
kept as they are by an unchanged re-import, refreshed by reextract and by corrections; the
scorecard and compare listings; `luoshi link` on stored documents.  SQLite and PostgreSQL."""

from __future__ import annotations

import json
import shutil

import pytest
from sqlalchemy import delete, select, update
from typer.testing import CliRunner

import luoshi
from luoshi import importing, store
from luoshi.cli import app
from luoshi.link import link_documents
from luoshi.model import record_dict
from luoshi.store import schema
from luoshi.store.migrations import LATEST, schema_migrations
from luoshi.store.schema import documents, link_runs, links
from paths import CORPUS, needs_shared
from store_support import BACKENDS, fresh_url

pytestmark = needs_shared
runner = CliRunner()
NATIONAL = ("national-2024-gwr.txt", "national-2025-gwr.txt")
PROVINCES = ("zhejiang-2025-gwr.txt", "zhejiang-2026-gwr.txt", "hebei-2025-gwr.txt", "hebei-2026-gwr.txt")
LINK_FIELDS = (
    "old_document_id",
    "new_document_id",
    "ord",
    "region",
    "year",
    "indicator",
    "indicator_id",
    "measure",
    "target_key",
    "result_key",
    "target",
    "result",
    "verdict",
    "gap",
    "rule",
)


def _copy(folder, names):
    folder.mkdir(parents=True, exist_ok=True)
    return [shutil.copy(CORPUS / n, folder / n) for n in names]


def _ids(db) -> dict[str, int]:
    return {d["name"]: d["id"] for d in store.list_documents(db)}


def _links(db, with_ids: bool = False) -> list[tuple]:
    cols = [links.c.id, *[links.c[f] for f in LINK_FIELDS]] if with_ids else [links.c[f] for f in LINK_FIELDS]
    with db.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(*cols).order_by(links.c.old_document_id, links.c.ord))]


def _file_links(old: str, new: str) -> list[dict]:
    return [lk.to_dict() for lk in link_documents(luoshi.extract(CORPUS / old), luoshi.extract(CORPUS / new))]


@pytest.fixture(scope="module", params=BACKENDS)
def linked(request, tmp_path_factory):
    """A database with national 2024 and 2025 and two provinces' 2025 and 2026 reports."""
    folder = tmp_path_factory.mktemp("linked")
    _copy(folder / "reports", NATIONAL + PROVINCES)
    db = store.connect(fresh_url(request.param, folder, "luoshi_link_store"))
    report = importing.import_paths(db, [folder / "reports"], workers=1)
    assert report.count("imported") == 6, report.results
    yield db, folder / "reports"
    db.close()


@pytest.fixture(params=BACKENDS)
def hebei(request, tmp_path):
    """A fresh database with Hebei's 2025 and 2026 reports (the smallest pair), to change."""
    db = store.connect(fresh_url(request.param, tmp_path, "luoshi_link_hebei"))
    importing.import_paths(db, _copy(tmp_path / "reports", PROVINCES[2:]), workers=1)
    yield db
    db.close()


# --- what import stores -------------------------------------------------------------------------


def test_import_links_each_region_s_consecutive_years(linked):
    db, _ = linked
    ids = _ids(db)
    pairs = {(old, new) for old, new, *_ in _links(db)}
    assert pairs == {(ids[a], ids[b]) for a, b in (NATIONAL, PROVINCES[:2], PROVINCES[2:])}
    with db.engine.connect() as conn:
        versions = set(conn.execute(select(link_runs.c.linker_version)).scalars())
        assert conn.execute(select(link_runs.c.document_id)).scalars().all() and versions == {store.linker_version()}


def test_a_stored_document_is_rebuilt_exactly(linked):
    db, _ = linked
    ids = _ids(db)
    for name in NATIONAL:
        doc, stored = luoshi.extract(CORPUS / name), store.load_document(db, ids[name])
        assert (stored.text, stored.raw, stored.offsets, stored.metadata) == (
            doc.text,
            doc.raw,
            doc.offsets,
            doc.metadata,
        )
        assert stored.outline.to_dict() == doc.outline.to_dict()
        assert [record_dict(r) for r in stored.records] == [record_dict(r) for r in doc.records]


def test_stored_links_are_those_of_the_files(linked):
    db, _ = linked
    ids = _ids(db)
    expected = _file_links(*NATIONAL)
    rebuilt = [
        lk.to_dict()
        for lk in link_documents(store.load_document(db, ids[NATIONAL[0]]), store.load_document(db, ids[NATIONAL[1]]))
    ]
    assert json.dumps(rebuilt, ensure_ascii=False) == json.dumps(expected, ensure_ascii=False)
    stored = [r for r in _links(db) if r[0] == ids[NATIONAL[0]]]
    assert [(json.loads(r[10]), json.loads(r[11]) if r[11] else None, r[12], r[13], r[14]) for r in stored] == [
        (e["target"], e["result"], e["verdict"], e["gap"], e["rule"]) for e in expected
    ]


def test_scorecard_tally_matches_link_documents_on_the_files(linked):
    db, _ = linked
    expected = _file_links(*NATIONAL)
    card = store.scorecard(db, "国务院", 2024)
    assert [(r["indicator"], r["verdict"], r["gap"], r["rule"]) for r in card.rows] == [
        (e["target"]["indicator"], e["verdict"], e["gap"], e["rule"]) for e in expected
    ]
    tally = {v: sum(e["verdict"] == v for e in expected) for v in ("met", "missed", "no_data")}
    assert card.tally == tally and tally["met"] >= 5
    assert (
        card.tally_line() == f"{tally['met']} met, {tally['missed']} missed, {tally['no_data']} no data "
        f"({len(expected)} targets)"
    )
    gdp = next(r for r in card.rows if r["indicator_id"] == "gdp")
    assert (gdp["target"], gdp["result"], gdp["verdict"], gdp["old_document"]) == ("5%左右", "5%", "met", NATIONAL[0])
    assert gdp["target_id"] in {r["id"] for r in store.list_records(db, document=NATIONAL[0], kind="target")}
    assert set(store.LINK_COLUMNS) <= set(gdp)


def test_scorecard_region_is_matched_like_docs(linked):
    db, _ = linked
    assert store.scorecard(db, "浙江", 2025).rows == store.scorecard(db, "浙江省", 2025).rows != []
    with pytest.raises(store.StoreError, match="no stored report of 浙江省 for 2027, which reviews 2026"):
        store.scorecard(db, "浙江", 2026)
    with pytest.raises(store.StoreError, match="no stored report of a region matching '上海' for 2025"):
        store.scorecard(db, "上海", 2025)
    with pytest.raises(store.StoreError, match=r"'省' matches several regions \(河北省, 浙江省\)"):
        store.scorecard(db, "省", 2025)


def test_compare_gdp_across_provinces(linked):
    db, _ = linked
    rows = store.compare(db, "gdp", 2025).rows
    assert {r["region"] for r in rows} == {"河北省", "浙江省"} and all(r["indicator_id"] == "gdp" for r in rows)
    order = [("met", "missed", "no_data").index(r["verdict"]) for r in rows]
    assert order == sorted(order)
    growth = [r for r in rows if r["measure"] == "change" and r["verdict"] == "met"]
    assert [r["gap"] for r in growth] == sorted((r["gap"] for r in growth), reverse=True)
    assert store.compare(db, "地区生产总值", 2025).rows == rows  # a name the indicator table knows
    assert store.compare(db, "gdp", 2025, measure="change").rows == [r for r in rows if r["measure"] == "change"]
    assert store.compare(db, "gdp", 2024).rows == [
        r for r in store.scorecard(db, "国务院", 2024).rows if r["indicator_id"] == "gdp"
    ]
    with pytest.raises(store.StoreError, match="unknown indicator id 'gpd'; ids are gdp, fiscal_revenue"):
        store.compare(db, "gpd", 2025)


def test_compare_puts_the_better_side_of_a_ceiling_first(linked):
    db, _ = linked
    rows = store.compare(db, "unemployment", 2025).rows  # less is better: the lowest result first
    met = [r for r in rows if r["verdict"] == "met"]
    assert [r["gap"] for r in met] == sorted(r["gap"] for r in met)


def test_an_unchanged_reimport_leaves_the_links_as_they_are(linked):
    db, folder = linked
    before = _links(db, with_ids=True)
    report = importing.import_paths(db, [folder], workers=1)
    assert report.count("unchanged") == 6 and _links(db, with_ids=True) == before


# --- keeping links up to date -------------------------------------------------------------------


def test_reextract_refreshes_the_links(hebei):
    db = hebei
    before = _links(db)
    assert before
    old_id = _ids(db)[PROVINCES[2]]
    with db.engine.begin() as conn:  # links gone stale, and one document of an older extractor
        conn.execute(update(links).values(verdict="missed", rule="stale"))
        conn.execute(update(documents).where(documents.c.id == old_id).values(extractor_version="0.0.1+old"))
    report = importing.reextract(db, workers=1)
    assert report.count("refreshed") == 1 and _links(db) == before


def test_an_older_linker_or_a_database_from_before_links_is_linked_again(hebei):
    db = hebei
    before = _links(db)
    with db.engine.begin() as conn:
        conn.execute(update(link_runs).values(linker_version="0.0.1+old"))
        conn.execute(update(links).values(verdict="missed"))
    assert importing.import_paths(db, [], workers=1).count("imported") == 0 and _links(db) == before
    with db.engine.begin() as conn:  # as a database of schema version 1 had it
        conn.execute(delete(links))
        conn.execute(delete(link_runs))
    assert store.scorecard(db, "河北", 2025).rows and _links(db) == before  # a listing links stale documents first


def test_a_correction_links_its_document_again(hebei):
    db = hebei
    gdp = next(r for r in store.scorecard(db, "河北", 2025).rows if r["indicator_id"] == "gdp")
    assert (gdp["verdict"], gdp["result"]) == ("met", "5.6%")
    store.add_correction(db, "fix", record_id=gdp["result_id"], fields={"value": 4.8}, reviewer="wang")
    fixed = next(r for r in store.scorecard(db, "河北", 2025).rows if r["indicator_id"] == "gdp")
    assert (fixed["verdict"], fixed["gap"], fixed["result"]) == ("missed", -0.2, "4.8%")
    store.add_correction(db, "reject", record_id=gdp["target_id"], reviewer="li")
    assert not [r for r in store.scorecard(db, "河北", 2025).rows if r["indicator_id"] == "gdp"]
    store.add_correction(
        db,
        "add",
        document_id=gdp["old_document_id"],
        reviewer="zhao",
        fields={
            "type": "indicator",
            "kind": "target",
            "year": 2025,
            "indicator": "地区生产总值",
            "measure": "change",
            "value": 5.5,
            "unit": "%",
            "qualifier": "about",
            "indicator_id": "gdp",
            "start": 900,
            "end": 912,
            "evidence": "地区生产总值增长5.5%左右",
        },
    )
    added = [r for r in store.scorecard(db, "河北", 2025).rows if r["indicator_id"] == "gdp"]
    assert [(r["target"], r["verdict"], r["target_id"]) for r in added] == [("5.5%左右", "missed", None)]
    importing.reextract(db, everything=True, workers=1)  # corrections survive, and so do their effects

    def without_ids(rows):
        return [{k: v for k, v in r.items() if k != "result_id"} for r in rows if r["indicator_id"] == "gdp"]

    assert without_ids(store.scorecard(db, "河北", 2025).rows) == without_ids(added)


def test_only_the_latest_copy_of_a_year_is_linked_and_a_report_that_moves_leaves_its_place_linked(backend, tmp_path):
    from luoshi.store.links import placement, relink

    h25, h26 = CORPUS / PROVINCES[2], CORPUS / PROVINCES[3]
    copy = tmp_path / "hebei-2025-copy.txt"
    copy.write_bytes(h25.read_bytes() + "\n（副本）\n".encode())
    db = store.connect(backend)
    try:
        for f in (h25, copy, h26):
            importing.import_paths(db, [f], workers=1)
        ids = _ids(db)
        assert {(o, n) for o, n, *_ in _links(db)} == {(ids[copy.name], ids[h26.name])}  # the latest 2025 copy
        assert store.scorecard(db, "河北", 2025).rows[0]["old_document"] == copy.name
        with db.engine.begin() as conn:  # as if a re-extraction read another region from the copy
            was = placement(conn, ids[copy.name])
            conn.execute(update(documents).where(documents.c.id == ids[copy.name]).values(region="天津市"))
            relink(conn, ids[copy.name], was=was)
        assert {(o, n) for o, n, *_ in _links(db)} == {(ids[h25.name], ids[h26.name])}
        assert store.scorecard(db, "河北", 2025).rows[0]["old_document"] == h25.name
    finally:
        db.close()


def test_a_bug_in_linking_keeps_the_report_and_says_so(backend, tmp_path, monkeypatch):
    import luoshi.link

    def broken(old, new, results=None):
        raise RuntimeError("boom")

    db = store.connect(backend)
    try:
        with monkeypatch.context() as m:
            m.setattr(luoshi.link, "link_documents", broken)
            report = importing.import_paths(db, _copy(tmp_path / "reports", PROVINCES[2:]), workers=1)
        assert report.count("imported") == 2 and _links(db) == []
        assert [r.detail for r in report.results] == ["", "not linked: internal error: RuntimeError: boom"]
        assert store.relink_stale(db) == 1 and _links(db)  # the first had nothing to link with yet
    finally:
        db.close()


def test_a_database_of_schema_version_1_is_upgraded_and_linked(hebei):
    db = hebei
    before = _links(db)
    with db.engine.begin() as conn:  # back to version 1: documents, records… but no links
        for table in (
            schema.audit_log,
            schema.progress_updates,
            schema.tracking_items,
            schema.settings,
            schema.users,
            link_runs,
            links,
        ):  # what steps 2 and later made
            table.drop(conn)
        conn.execute(delete(schema_migrations).where(schema_migrations.c.version >= 2))
    upgraded = store.connect(db.url)
    try:
        with upgraded.engine.connect() as conn:
            assert max(conn.execute(select(schema_migrations.c.version)).scalars()) == LATEST
        assert _links(upgraded) == []
        assert store.scorecard(upgraded, "河北", 2025).rows and _links(upgraded) == before
    finally:
        upgraded.close()


# --- the command line ---------------------------------------------------------------------------


def _run(args):
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return result


def test_cli_link_on_stored_documents_is_the_link_of_the_files(linked):
    db, _ = linked
    ids = _ids(db)
    on_files = _run(["link", str(CORPUS / NATIONAL[0]), str(CORPUS / NATIONAL[1]), "--format", "jsonl"]).stdout
    on_ids = _run(["link", str(ids[NATIONAL[0]]), str(ids[NATIONAL[1]]), "-f", "jsonl", "--db", db.url]).stdout
    assert on_ids == on_files and len(on_files.splitlines()) >= 10
    digest = next(d["content_hash"] for d in store.list_documents(db) if d["name"] == NATIONAL[1])
    mixed = _run(["link", str(CORPUS / NATIONAL[0]), digest[:8], "-f", "jsonl", "--db", db.url]).stdout
    assert mixed == on_files
    diff = _run(["diff", str(ids[NATIONAL[0]]), str(ids[NATIONAL[1]]), "--db", db.url]).stdout
    assert diff.startswith("目标：2024年 → 2025年")


def test_cli_link_xlsx_and_bad_references(linked, tmp_path):
    from openpyxl import load_workbook

    db, _ = linked
    ids = _ids(db)
    out = tmp_path / "links.xlsx"
    _run(["link", str(ids[NATIONAL[0]]), str(ids[NATIONAL[1]]), "-o", str(out), "--db", db.url])
    sheet = load_workbook(out).active
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header[:5] == ["指标", "指标代码", "目标", "结果", "判定"] and sheet.max_row > 10  # --lang en: the keys
    result = runner.invoke(app, ["link", "999999", str(ids[NATIONAL[1]]), "--db", db.url])
    assert result.exit_code == 2 and "luoshi: 999999: no stored document with id 999999" in result.stderr


def test_cli_scorecard_and_compare(linked):
    db, _ = linked
    card = store.scorecard(db, "国务院", 2024)
    table = _run(["scorecard", "国务院", "2024", "--db", db.url]).stdout.splitlines()
    tally = card.tally
    assert table[0].startswith("国务院 2024：目标见《national-2024-gwr.txt》")  # the title and tally in Chinese
    assert (
        table[-1]
        == f"达成 {tally['met']}，未达成 {tally['missed']}，无数据 {tally['no_data']}（共 {len(card.rows)} 项目标）"
    )
    assert any("│ 达成" in line for line in table) and not any("│ met " in line for line in table)
    english = _run(["scorecard", "国务院", "2024", "--lang", "en", "--db", db.url]).stdout.splitlines()
    assert english[0].startswith("国务院 2024: targets of national-2024-gwr.txt") and english[-1] == card.tally_line()
    assert any("│ met " in line for line in english)
    rows = [
        json.loads(line)
        for line in _run(["scorecard", "国务院", "2024", "-f", "jsonl", "--db", db.url]).stdout.splitlines()
    ]
    assert [r["verdict"] for r in rows] == [r["verdict"] for r in card.rows]
    csv_out = _run(["compare", "--indicator", "gdp", "--year", "2025", "-f", "csv", "--db", db.url])
    assert csv_out.stdout.splitlines()[0].startswith("地区,年份,指标,指标代码")
    english = _run(["compare", "--indicator", "gdp", "--year", "2025", "-f", "csv", "--lang", "en", "--db", db.url])
    assert english.stdout.splitlines()[0].startswith("region,year,indicator,indicator_id")
    assert "luoshi: " in csv_out.stderr and "达成 " in csv_out.stderr and " met, " in english.stderr
    table = _run(["compare", "-i", "gdp", "--year", "2025", "--db", db.url]).stdout
    assert "河北省" in table and "浙江省" in table and table.splitlines()[-1].endswith("项目标）")
    bad = runner.invoke(app, ["scorecard", "浙江", "2026", "--db", db.url])
    assert bad.exit_code == 2 and "no stored report of 浙江省 for 2027" in bad.stderr
