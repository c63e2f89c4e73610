"""The drafted task breakdown (分工方案, issue 16): items of the plan part of the seed and of a
report of each level, their deadlines and suggested units, the CLI, and the round trip
draft → XLSX → edited in a spreadsheet → breakdown import → tracking items."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
from datetime import date

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from luoshi import importing, store
from luoshi.cli import app
from luoshi.pipeline import extract
from luoshi.store import tracking as tr
from luoshi.track.breakdown import read_sheet
from luoshi.track.departments import load_departments, suggest
from luoshi.track.draft import _rules, breakdown
from luoshi.track.draft_sheet import SHEET_COLUMNS, write_draft
from paths import CORPUS, SAMPLE, needs_shared

LOCAL = CORPUS / "local"
# A report of each level (SOURCES.md): the seed (city), a province, a city, a district, a county.
LEVELS = {
    "seed": SAMPLE,
    "province": CORPUS / "zhejiang-2025-gwr.txt",
    "city": LOCAL / "baoding-2025-gwr.txt",
    "district": LOCAL / "longgang-2025-gwr.txt",
    "county": LOCAL / "gaoyang-2018-gwr.txt",
}
# Items drafted from each (quoted in the note).  The extractor's records move them a
# little (a sentence holding a figure becomes work), so the tests allow a tenth either way.
COUNTS = {"seed": 116, "province": 151, "city": 155, "district": 147, "county": 88}
# Every level but the seed is a report of ../shared/corpus.
LEVEL_PARAMS = [level if path == SAMPLE else pytest.param(level, marks=needs_shared) for level, path in LEVELS.items()]


def _about(n: int, level: str) -> bool:
    return abs(n - COUNTS[level]) <= COUNTS[level] // 10


_HEADING = re.compile(r"[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．]")


@pytest.fixture(scope="module")
def drafts():
    out = {}
    for level, path in LEVELS.items():
        if not path.exists():
            continue
        doc = extract(path)
        out[level] = (doc, breakdown(doc))
    return out


def _plan_parts(doc, year):
    parts = [n for n in doc.outline.children if n.role == "plan"]
    return [n for n in parts if n.year in (None, year)] or parts


def _in_headings(doc, rec) -> bool:
    """Is the record inside a heading's title (（五）…，加快建设宜居宜业和美乡村。)? A heading is no item."""
    return any(
        n.kind in ("part", "section", "item") and n.start <= rec.start < (n.title_end or n.start + len(n.title))
        for n in doc.outline.walk()
    )


@pytest.mark.parametrize("level", LEVEL_PARAMS)
def test_every_target_of_the_main_targets_passage_is_in_exactly_one_item(drafts, level):
    doc, draft = drafts[level]
    passages = _rules()[2]
    found = 0
    for part in _plan_parts(doc, draft.year):
        m = passages.search(doc.text, part.start, part.end)
        if not m:
            continue
        end = doc.text.find("。", m.end())
        targets = [r for r in doc.records if r.type == "indicator" and r.kind == "target" and m.end() <= r.start < end]
        assert targets
        for rec in targets:
            holding = [
                i for i in draft.items if any(x["start"] == rec.start and x["name"] == rec.indicator for x in i.records)
            ]
            assert len(holding) == 1, rec.indicator
            assert holding[0].kind == "target" and holding[0].start <= rec.start < holding[0].end
        found += 1
    assert found == 1


@pytest.mark.parametrize("level", LEVEL_PARAMS)
def test_every_named_project_is_in_an_item_and_no_item_is_empty_or_a_heading(drafts, level):
    doc, draft = drafts[level]
    assert _about(len(draft.items), level)
    parts = _plan_parts(doc, draft.year)
    tasks = [
        r
        for r in doc.records
        if r.type == "task" and any(p.start <= r.start < p.end for p in parts) and not _in_headings(doc, r)
    ]
    assert tasks
    for rec in tasks:
        assert any(any(x["start"] == rec.start and x["name"] == rec.object for x in i.records) for i in draft.items), (
            rec.evidence
        )
    headings = {n.title.strip("。") for n in doc.outline.walk() if n.kind in ("part", "section", "item")}
    leads = {n.lead.strip("。") for n in doc.outline.walk() if n.kind == "paragraph" and n.lead}
    for item in draft.items:
        assert len(item.task) >= 4 and item.task.strip() == item.task
        assert item.task not in headings and not _HEADING.match(item.task)
        assert item.task not in leads or item.records  # a lead holding a figure is work (今年再办好15件民生实事)
        assert "\n" not in item.task
        # offsets exact: the text of a work or target item is its span, cleaned
        if item.kind != "project":
            assert re.sub(r"\s*\n\s*", "", doc.text[item.start : item.end]).strip("，,；;。：:、 ") == item.task
    assert [i.number for i in draft.items] == list(range(1, len(draft.items) + 1))


def test_seed_items_as_written(drafts):
    doc, draft = drafts["seed"]
    first = draft.items[0]
    assert (first.kind, first.task, first.start, first.end) == ("target", "地区生产总值增长6%左右", 4433, 4445)
    assert doc.text[4433:4445] == "地区生产总值增长6%左右"
    # 城镇新增就业20万人，城镇登记失业率3.5%以内: two figures in one "；" piece are two items
    tasks = [i.task for i in draft.items if i.kind == "target"]
    assert "城镇新增就业20万人" in tasks and "城镇登记失业率3.5%以内" in tasks
    assert "外贸自营进出口总额保持全国占比份额" in tasks  # a target without a figure is an item too
    # a line wrapped inside a sentence is joined (实施重点产⏎业基础再造项目200个以上)
    wrapped = next(i for i in draft.items if i.task.startswith("实施重点产业基础再造"))
    assert wrapped.task == "实施重点产业基础再造项目200个以上" and len(wrapped.records) == 1
    assert wrapped.section.endswith("做大做强先进制造业集群")  # the paragraph's lead is its last heading
    # one verb, a list of named projects: one item each (建成…直联点和…二期)
    projects = [i for i in draft.items if i.start == 4957]
    assert [i.task for i in projects] == ["建成国家级互联网骨干直联点", "建成人工智能超算中心二期"]
    assert all(i.kind == "project" and len(i.records) == 1 for i in projects)
    # a paragraph's lead is not an item
    assert not any(i.task == "做大做强先进制造业集群" for i in draft.items)


@needs_shared
def test_district_and_county_name_their_departments(drafts):
    district, county, province = drafts["district"][1], drafts["county"][1], drafts["province"][1]
    gdp = next(i for i in district.items if i.task.startswith("地区生产总值增长6%左右"))
    assert gdp.lead_unit == "区发展和改革局" and gdp.units_suggested
    assert next(i for i in county.items if i.task == "生产总值增长9%").lead_unit == "县发展和改革局"
    assert next(i for i in province.items if i.task == "生产总值增长5.5%左右").lead_unit == "省发展改革委"


@pytest.mark.parametrize(
    "text, region, level, expected",
    [
        # ningbo 2024
        ("新增高新技术企业1500家", "宁波市", "municipal", ("市科学技术局", [])),
        # baoding 2025 / zhejiang 2025: 固定资产投资 (a target of both)
        ("固定资产投资增长7.5%左右", "保定市", "municipal", ("市发展改革委", [])),
        ("固定资产投资增长7.5%左右", "浙江省", "provincial", ("省发展改革委", [])),
        ("城镇新增就业2300人", "保定市高阳县", "county", ("县人力资源和社会保障局", [])),
        ("城镇新增就业20万人", "北京市", "provincial", ("市人力资源和社会保障局", [])),
        ("这句话不属于任何领域", "宁波市", "municipal", (None, [])),
    ],
)
def test_units_are_suggested_in_the_levels_naming(text, region, level, expected):
    assert suggest(text, load_departments(), region, level) == expected


def test_a_deployment_names_its_own_departments(tmp_path, monkeypatch):
    own = tmp_path / "depts.tsv"
    own.write_text(
        "# key\tnational\tprovincial\tmunicipal\tcounty\tkeywords\n"
        "经信\t工信部\t{}经信厅\t{}经信局\t{}经信局\t制造业|产业集群\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("LUOSHI_DEPARTMENTS", str(own))
    assert suggest("做大做强先进制造业集群", load_departments(), "宁波市", "municipal") == ("市经信局", [])
    bad = tmp_path / "bad.tsv"
    bad.write_text("经信\t工信部\n", encoding="utf-8")
    from luoshi.errors import InputError

    with pytest.raises(InputError, match="line 1: 2 fields"):
        load_departments(bad)


@pytest.mark.parametrize(
    "words, stated",
    [
        # longgang 2020 (上半年开通), pingshan 2019 (上半年开馆)
        ("推动轨道10号线上半年开通", date(2024, 6, 30)),
        # longgang 2017 (5月底前完成复绿), baoding 2021
        ("红花岭环境园二期5月底前完成复绿", date(2024, 5, 31)),
        # baoding 2022 (年底前开工), longgang 2018 (确保年内)
        ("综合交通枢纽项目年底前开工", date(2024, 12, 31)),
        ("确保年内7所学校开学", date(2024, 12, 31)),
        # ningxia 2025 (到2027年), longgang 2021 (到2025年): the latest deadline stated wins
        ("上半年出台方案，到2027年基本建成", date(2027, 12, 31)),
        ("预计2024年10月开工", date(2024, 10, 31)),
        # baoding 2021: 安置房12月底封顶；5月底前完成二期项目签约 — the latest of the two
        ("安置房12月底封顶；5月底前完成二期项目签约", date(2024, 12, 31)),
        ("确保今年年底前出水水质达到准四类", date(2024, 12, 31)),  # gaoyang 2019
    ],
)
def test_deadlines_the_text_states(words, stated):
    from luoshi.track.draft import _Drafter
    from luoshi.model import Document, Metadata, OutlineNode

    doc = Document(
        "x",
        "text",
        words,
        words,
        list(range(len(words))),
        Metadata(year_planned=2024),
        OutlineNode(0, "document", "", 0, len(words)),
    )
    when, source, text = _Drafter(doc, load_departments()).deadline(0, len(words))
    assert (when, source) == (stated, "stated") and text in words


def test_no_deadline_stated_is_the_planned_years_end(drafts):
    doc, draft = drafts["seed"]
    first = draft.items[0]
    assert (first.deadline, first.deadline_source, first.deadline_stated) == (date(2024, 12, 31), "default", None)
    row = first.sheet_row()
    assert row["完成时限"] == "2024年12月底前" and row["时限依据"] == "默认：计划年度末"
    assert row["单位来源"] == "建议（待核定）"


@pytest.mark.parametrize(
    "words",
    [
        "解决多年内涝问题",  # 多年内涝 (pingshan)
        "去年年底通过托管、共建方式",  # a past year's end (baoding 2009)
        "五年内每个县新建或提升一所三级医院",  # five years, not this year (baoding 2021)
        "争取3年内让全部废弃矿山复绿焕新",  # ningxia 2026
        "3月份举办招商活动",  # a month without 底 or 前
    ],
)
def test_words_that_state_no_deadline(words):
    assert not _rules()[1].search(words)


def test_the_sheet_reads_back_through_the_breakdown_import(drafts, tmp_path):
    doc, draft = drafts["seed"]
    out = tmp_path / "分工.xlsx"
    write_draft(draft, "xlsx", out)
    sheet = read_sheet(out.read_bytes(), out.name, 2024)
    assert sheet.headings == 0 and len(sheet.rows) == len(draft.items)
    for row, item in zip(sheet.rows, draft.items):
        assert (row.task, row.lead_unit, row.deadline) == (item.task, item.lead_unit, item.deadline)
        assert (row.supporting_units or "") == "、".join(item.supporting_units) and row.error is None


@pytest.fixture
def db(tmp_path):
    database = store.connect(str(tmp_path / "t.db"))
    importing.import_paths(database, [SAMPLE], workers=1)
    yield database
    database.close()


def test_round_trip_draft_xlsx_edit_import_items(db, tmp_path):
    doc_id = store.list_documents(db)[0]["id"]
    draft = breakdown(store.load_document(db, doc_id))
    path = tmp_path / "分工.xlsx"
    write_draft(draft, "xlsx", path)
    wb = load_workbook(path)  # the office edits two cells, as in Excel or WPS
    ws = wb.active
    headers = [c.value for c in ws[2]]
    lead_col, deadline_col = headers.index("牵头单位") + 1, headers.index("完成时限") + 1
    ws.cell(row=3, column=lead_col, value="市统计局")
    ws.cell(row=14, column=deadline_col, value="2024年6月底前")
    wb.save(path)
    edited = [dict(zip(headers, r)) for r in load_workbook(path).active.iter_rows(min_row=3, values_only=True)]

    report = tr.import_breakdown(db, "li", path.read_bytes(), path.name, doc_id)
    assert report["created"] == len(draft.items) and report["skipped"] == 0
    items = sorted(tr.list_items(db), key=lambda i: i["id"])
    assert len(items) == len(edited)
    for item, row in zip(items, edited):
        assert item["title"] == row["工作任务"]
        assert item["lead_unit"] == (row["牵头单位"] or None)
        assert item["supporting_units"] == ([u for u in row["配合单位"].split("、")] if row["配合单位"] else [])
    assert items[0]["lead_unit"] == "市统计局" and items[11]["deadline"] == "2024-06-30"
    assert all(
        i["deadline"] == "2024-12-31"
        for n, i in enumerate(items)
        if n != 11 and draft.items[n].deadline_source == "default"
    )
    assert report["matched"] > len(draft.items) // 2  # most rows follow their record
    again = tr.import_breakdown(db, "li", path.read_bytes(), path.name, doc_id)
    assert again["created"] == 0  # items already tracked are not duplicated


def test_cli_breakdown_formats_and_errors(tmp_path):
    runner = CliRunner()
    out = tmp_path / "分工.xlsx"
    result = runner.invoke(app, ["breakdown", str(SAMPLE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][0].startswith("宁波市2024年") and list(rows[1]) == [h for h, _ in SHEET_COLUMNS]
    assert _about(len(rows) - 2, "seed")
    result = runner.invoke(app, ["breakdown", str(SAMPLE), "--format", "csv"])
    table = list(csv.reader(io.StringIO(result.stdout)))
    assert table[0][:5] == ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"] and _about(len(table) - 1, "seed")
    result = runner.invoke(app, ["breakdown", str(SAMPLE), "--format", "jsonl"])
    assert _about(result.stdout.count("\n"), "seed") and '"deadline_source": "default"' in result.stdout
    result = runner.invoke(app, ["breakdown", str(SAMPLE), "--format", "pdf"])
    assert result.exit_code == 2 and "choose one of xlsx, csv, jsonl, table" in result.stderr
    result = runner.invoke(app, ["breakdown", str(tmp_path / "none.txt")])
    assert result.exit_code == 2 and "none.txt" in result.stderr
    result = runner.invoke(app, ["breakdown", str(SAMPLE), "--departments", str(tmp_path / "no.tsv")])
    assert result.exit_code == 2 and "no.tsv" in result.stderr


def test_cli_breakdown_of_a_stored_report(db, tmp_path):
    runner = CliRunner()
    doc_id = store.list_documents(db)[0]["id"]
    result = runner.invoke(
        app, ["breakdown", str(doc_id), "--db", db.url if hasattr(db, "url") else str(tmp_path / "t.db"), "-f", "jsonl"]
    )
    assert result.exit_code == 0, result.output
    assert _about(result.stdout.count("\n"), "seed")


@pytest.mark.skipif(
    shutil.which("soffice") is None and not os.environ.get("CI"),
    reason="LibreOffice (soffice) is not installed (CI installs it, and fails without it)",
)
def test_the_sheet_opens_in_libreoffice_with_the_same_rows(drafts, tmp_path):
    _, draft = drafts["seed"]
    path = tmp_path / "draft.xlsx"
    write_draft(draft, "xlsx", path)
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    rows = list(csv.reader((tmp_path / "draft.csv").open(encoding="utf-8")))
    assert rows[1][:5] == ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"]
    got = [(r[1], r[2], r[4]) for r in rows[2:] if any(r)]
    assert got == [(i.task, i.lead_unit or "", i.sheet_row()["完成时限"]) for i in draft.items]


# --- The page 生成分工方案 (its router is mounted here until serve/pages/__init__.py lists it) ----


@pytest.fixture
def web(web_copy):
    """(database, client): the sample and one user per role in a database of this test's own."""
    from luoshi.serve import create_app
    from web_support import signed_in_clients

    database = web_copy("sample")
    with signed_in_clients(create_app(database)) as client:
        yield database, client


def test_the_draft_page_in_chinese_its_xlsx_and_tracking_from_it(web):
    database, client = web
    doc_id = store.list_documents(database)[0]["id"]
    editor = client("editor")
    html = editor.get(f"/documents/{doc_id}/breakdown")
    assert html.status_code == 200 and "生成分工方案" in html.text and "牵头单位（建议）" in html.text
    assert "地区生产总值增长6%左右" in html.text and "默认：计划年度末" in html.text
    data = editor.get(f"/documents/{doc_id}/breakdown.json").json()
    assert data["items"][0]["task"] == "地区生产总值增长6%左右" and data["year"] == 2024
    sheet = editor.get(f"/documents/{doc_id}/breakdown.xlsx")
    assert sheet.status_code == 200 and "filename*=UTF-8''" in sheet.headers["content-disposition"]
    assert len(read_sheet(sheet.content, "x.xlsx", 2024).rows) == len(data["items"])
    made = editor.post(
        f"/documents/{doc_id}/breakdown/track", headers={"X-CSRF-Token": editor.csrf, "Accept": "application/json"}
    )
    assert made.status_code == 200 and made.json()["created"] == len(data["items"])
    again = editor.post(
        f"/documents/{doc_id}/breakdown/track", headers={"X-CSRF-Token": editor.csrf, "Accept": "application/json"}
    )
    assert again.json()["created"] == 0  # nothing tracked twice
    assert len(tr.list_items(database)) == len(data["items"])


def test_the_draft_page_needs_an_editor_and_a_stored_report(web):
    database, client = web
    doc_id = store.list_documents(database)[0]["id"]
    viewer = client("viewer")
    assert viewer.get(f"/documents/{doc_id}/breakdown.json").status_code == 403
    assert viewer.post(f"/documents/{doc_id}/breakdown/track", headers={"X-CSRF-Token": viewer.csrf}).status_code == 403
    editor = client("editor")
    assert editor.post(f"/documents/{doc_id}/breakdown/track").status_code == 403  # no CSRF token
    missing = editor.get("/documents/999/breakdown.json")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_the_page_answers_any_request_without_a_server_error(tmp_path):
    """Schemathesis over the page's operations (as tests/test_api_schema.py does for the app's)."""
    schemathesis = pytest.importorskip("schemathesis")
    from fastapi.testclient import TestClient
    from hypothesis import HealthCheck, given, settings

    from luoshi.serve import create_app
    from web_support import make_db, sign_in

    database = make_db(tmp_path / "api.db", files=[SAMPLE])
    app = create_app(database)
    client = sign_in(TestClient(app), "admin")
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in client.cookies.items()), "X-CSRF-Token": client.csrf}
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    try:
        for path, method in (
            ("/documents/{document_id}/breakdown.json", "GET"),
            ("/documents/{document_id}/breakdown.xlsx", "GET"),
            ("/documents/{document_id}/breakdown/track", "POST"),
        ):
            operation = schema[path][method]

            @given(case=operation.as_strategy())
            @settings(
                max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), database=None, derandomize=True
            )
            def run(case):
                response = case.call(headers={**(case.headers or {}), **headers})
                assert response.status_code < 500, (case.method, case.formatted_path, response.text[:300])
                if response.status_code >= 400 and "json" in response.headers.get("content-type", ""):
                    assert set(response.json()) == {"error"}

            run()
    finally:
        client.close()
        database.close()
