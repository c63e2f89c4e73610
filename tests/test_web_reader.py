"""The reader (/documents/ID): every record marked at its exact offsets, the JSON twin, links
and verdicts both ways, hostile report text shown as text, edit controls for editors only,
and the layout of overlapping records."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from lxml import html as lxml_html

from luoshi import store
from luoshi.serve import create_app
from luoshi.serve.pages.reader import Span, layout
from paths import SAMPLE, needs_shared
from web_support import PAIR, doc_id, make_db, sign_in

HOSTILE = (
    "二、2025年主要目标任务\n"
    "地区生产总值增长5%左右，</script><script>alert(1)</script>\"双引号\"'单引号'{{ 7*7 }}"
    "<img src=x onerror=alert(1)>&amp;。\n"
    "<script>alert(2)</script>\n城镇新增就业100万人。\n"
)
EDIT = '//*[contains(concat(" ", normalize-space(@class), " "), " edit ")]'


def parse(response):
    assert response.status_code == 200, response.text[:300]
    return lxml_html.document_fromstring(response.text)


def embedded(tree) -> dict:
    return json.loads(tree.get_element_by_id("reader-data").text)


def marks(tree) -> dict[str, list]:
    """data-id → the marks of that record, in document order."""
    out: dict[str, list] = {}
    for m in tree.xpath('//*[@id="text"]//mark[@data-id]'):
        out.setdefault(m.get("data-id"), []).append(m)
    return out


def test_every_record_is_marked_at_its_offsets_and_the_json_twin_has_the_same_data(client_for, web_db):
    viewer = client_for("viewer")
    for d in store.list_documents(web_db):
        data = viewer.get(f"/documents/{d['id']}.json").json()
        assert data == viewer.get(f"/documents/{d['id']}", headers={"Accept": "application/json"}).json()
        tree = parse(viewer.get(f"/documents/{d['id']}"))
        assert embedded(tree) == {k: v for k, v in data.items() if k not in ("text", "tracking")}
        assert json.loads(tree.get_element_by_id("tracking-data").text) == data["tracking"] == {}
        text = data["text"]
        paragraphs = tree.xpath('//*[@id="text"]/p')
        assert "\n".join(p.text_content() for p in paragraphs) == text
        for p in paragraphs:
            assert text[int(p.get("data-start")) : int(p.get("data-end"))] == p.text_content()
        found = marks(tree)
        assert set(found) == {r["ref"] for r in data["records"]}
        assert data["records"] and data["document"]["records"] == d["records"]
        for r in data["records"]:
            pieces = found[r["ref"]]
            assert "".join(m.text_content() for m in pieces) == text[r["start"] : r["end"]]
            assert int(pieces[0].get("data-start")) == r["start"] and pieces[0].get("id") == f"r{r['ref']}"
            kind = "task" if r["type"] == "task" else r["kind"]
            assert all(kind in m.get("class").split() for m in pieces)
            for m in pieces:
                at = int(m.get("data-start"))
                assert text[at : at + len(m.text_content())] == m.text_content()
        anchors = {a.get("id") for a in tree.xpath('//*[@id="text"]//a[@class="anchor"]')}
        outline = tree.xpath('//nav[@id="outline"]//a/@href')
        assert outline == [f"#s{s['ord']}" for s in data["sections"]] and anchors == {h[1:] for h in outline}


@needs_shared
def test_a_target_shows_its_result_and_verdict_and_the_result_links_back(client_for, web_db):
    viewer = client_for("viewer")
    old, new = doc_id(web_db, PAIR[0]), doc_id(web_db, PAIR[1])
    targets = viewer.get(f"/documents/{old}.json").json()["records"]
    results = {r["id"]: r for r in viewer.get(f"/documents/{new}.json").json()["records"]}
    linked = [r for r in targets if r["links"]]
    assert linked and all(r["kind"] == "target" and r["type"] == "indicator" for r in linked)
    assert {lk["verdict"] for r in linked for lk in r["links"]} <= {"met", "missed", "no_data"}
    gdp = next(r for r in linked if r["indicator_id"] == "gdp" and r["links"][0]["result"])
    link = gdp["links"][0]
    assert link["new_document_id"] == new and link["verdict"] in ("met", "missed") and link["rule"]
    result = results[link["result_id"]]
    assert (result["kind"], result["indicator_id"], result["value"]) == ("result", "gdp", link["result"]["value"])
    assert link["gap"] == pytest.approx(result["value"] - gdp["value"])
    back = [lk for lk in result["links"] if lk["target_id"] == gdp["id"]]
    assert back and back[0]["old_document_id"] == old and back[0]["verdict"] == link["verdict"]
    assert back[0]["target"]["value"] == gdp["value"]
    assert parse(viewer.get(f"/documents/{new}")).get_element_by_id(f"r{result['id']}").get("data-id") == str(
        result["id"]
    )


def test_a_missing_document_is_404(client_for):
    viewer = client_for("viewer")
    r = viewer.get("/documents/999999.json")
    assert r.status_code == 404
    assert r.json() == {"error": {"status": 404, "code": "not_found", "message": "no document with id 999999"}}
    html = viewer.get("/documents/999999")
    assert html.status_code == 404 and "没有编号为 999999 的报告" in html.text  # no document with id 999999
    assert viewer.get("/documents/abc.json").status_code == 404


def test_hostile_report_text_is_shown_never_run(tmp_path):
    path = tmp_path / 'hostile"<i>.txt'
    path.write_text(HOSTILE, encoding="utf-8")
    database = make_db(tmp_path / "hostile.db", [path])
    try:
        with TestClient(create_app(database)) as c:
            sign_in(c, "editor")
            data = c.get("/documents/1.json").json()
            r = c.get("/documents/1")
            tree = parse(r)
    finally:
        database.close()
    text = data["text"]
    assert "</script><script>alert(1)</script>" in text and "<img src=x onerror=alert(1)>" in text
    evidence = {rec["evidence"] for rec in data["records"]}
    assert any("<script>alert(2)</script>" in e for e in evidence)
    scripts = tree.xpath("//script")
    assert [s.get("src") for s in scripts if s.get("src")] == [
        "/static/luoshi.js",
        "/static/reader_follow.js",
        "/static/reader.js",
    ]
    inline = [s for s in scripts if not s.get("src")]
    assert [(s.get("id"), s.get("type")) for s in inline] == [
        ("reader-data", "application/json"),
        ("tracking-data", "application/json"),
        ("i18n", "application/json"),
    ]
    assert not tree.xpath("//img | //i | //*[@onerror]")
    block = r.text.split('<script type="application/json" id="reader-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and ">" not in block
    assert embedded(tree) == {k: v for k, v in data.items() if k not in ("text", "tracking")}
    assert "\n".join(p.text_content() for p in tree.xpath('//*[@id="text"]/p')) == text
    assert r.text.count("</script>") == 6 and "<script>alert" not in r.text  # 2 data blocks, i18n, 3 scripts
    assert "{{7*7}}" in text and "49" not in tree.get_element_by_id("text").text_content()
    found = marks(tree)
    for rec in data["records"]:
        assert "".join(m.text_content() for m in found[rec["ref"]]) == text[rec["start"] : rec["end"]]
    assert data["document"]["name"] == path.name
    assert tree.xpath("//h1")[0].text_content() == (data["document"]["title"] or path.name)


def test_only_editors_get_edit_controls(client_for, web_db):
    sample = doc_id(web_db, SAMPLE.name)
    assert not parse(client_for("viewer").get(f"/documents/{sample}")).xpath(EDIT)
    for role in ("editor", "admin"):
        tree = parse(client_for(role).get(f"/documents/{sample}"))
        edits = tree.xpath(EDIT)
        assert edits and tree.get_element_by_id("add-record") in edits


def test_corrections_show_in_the_reader(tmp_path):
    database = make_db(tmp_path / "corrected.db", [SAMPLE])
    try:
        with TestClient(create_app(database)) as c:
            sign_in(c, "viewer")
            before = c.get("/documents/1.json").json()
            text = before["text"]
            fixed, rejected = [r for r in before["records"] if r["type"] == "indicator"][:2]
            store.add_correction(database, "fix", reviewer="editor", record_id=fixed["id"], fields={"value": 123})
            store.add_correction(database, "reject", reviewer="editor", record_id=rejected["id"])
            start, end = fixed["start"], fixed["end"]
            added = store.add_correction(
                database,
                "add",
                reviewer="editor",
                document_id=1,
                fields={
                    "type": "indicator",
                    "kind": fixed["kind"],
                    "year": fixed["year"],
                    "indicator": "测试指标",
                    "measure": "quantity",
                    "value": 1,
                    "unit": "",
                    "qualifier": "exact",
                    "start": start,
                    "end": end,
                    "evidence": text[start:end],
                    "section": fixed["section"],
                },
            )
            data = c.get("/documents/1.json").json()
            tree = parse(c.get("/documents/1"))
    finally:
        database.close()
    by_ref = {r["ref"]: r for r in data["records"]}
    assert by_ref[str(fixed["id"])]["value"] == 123 and by_ref[str(fixed["id"])]["correction"] == "fixed"
    assert by_ref[str(rejected["id"])]["correction"] == "rejected"
    assert by_ref[f"a{added}"]["correction"] == "added" and by_ref[f"a{added}"]["id"] is None
    found = marks(tree)
    assert "corrected" in found[str(fixed["id"])][0].get("class").split()
    assert "rejected" in found[str(rejected["id"])][0].get("class").split()
    assert found[f"a{added}"][0].get("id") == f"ra{added}"
    assert "".join(m.text_content() for m in found[f"a{added}"]) == text[start:end]


def show(paragraph) -> str:
    """A paragraph's pieces as a string: ``[ref`` opens (``[*ref`` the record's first piece),
    ``]`` closes, ``#id`` is an anchor."""
    out = []
    for p in paragraph.pieces:
        out.append(
            {
                "open": lambda: f"[{'*' if p.first else ''}{p.span.ref} ",
                "close": lambda: "]",
                "anchor": lambda: f"#{p.text}",
                "text": lambda: p.text,
            }[p.kind]()
        )
    return "".join(out)


def test_layout_nests_overlapping_records_and_splits_crossing_ones():
    text = "abcdefghij\n\nklmno"
    spans = [
        Span(0, 10, "outer", "rec task"),
        Span(2, 5, "inner", "rec target"),
        Span(2, 5, "same", "rec result"),
        Span(4, 8, "cross", "rec result"),
        Span(8, 15, "wrap", "rec target"),
        Span(3, 3, "empty", ""),
        Span(12, 99, "outside", ""),
    ]
    paragraphs = layout(text, spans, {0: ["s0"], 12: ["s1"]}, {12})
    assert [(p.start, p.end, p.heading) for p in paragraphs] == [(0, 10, False), (11, 11, False), (12, 17, True)]
    assert [show(p) for p in paragraphs] == [
        "#s0[*outer ab[*inner [*same cd[*cross e]]][cross fgh][*wrap ij]]",
        "",
        "#s1[wrap klm]no",
    ]
    for p in paragraphs:
        opened = sum(x.kind == "open" for x in p.pieces)
        assert opened == sum(x.kind == "close" for x in p.pieces)
        assert "".join(x.text for x in p.pieces if x.kind == "text") == text[p.start : p.end]
        assert all(text[x.start : x.start + len(x.text)] == x.text for x in p.pieces if x.kind == "text")
