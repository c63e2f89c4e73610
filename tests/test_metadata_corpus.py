"""Region, level, document type and years of every report of the corpus; the gazetteer; the
scraper's header lines; the by-line constructions that name a report's government."""

from __future__ import annotations

import re

import pytest

import luoshi
from luoshi.clean.layout import clean, scraper_fields
from luoshi.outline import metadata as md
from paths import CORPUS, CORPUS_REGIONS, SHARED, needs_shared

LOCAL = CORPUS / "local"

# Files whose content is not what their name promises, and what is right for the content.
EXCEPTIONS = {
    # The body under the scraper's header is the 2007 report (第十二届…第五次会议, 2007年1月30日),
    # the same text as baoding-2007; the header (第四次会议, 2006-02-15) belongs to another page.
    "baoding-2006-gwr": {"years": (2007, 2006, 2007)},
    # A news article on the congress opening (SOURCES.md: doc type `other`); the year is the
    # scraper's title's (高阳县2023年政府工作报告).
    "gaoyang-2023-gwr": {"doc_type": "other"},
    # The same construction a year later: 高阳县第十八届人民代表大会第四次会议开幕, 代县长齐志国作政府工作报告.
    "gaoyang-2024-gwr": {"doc_type": "other"},
    # The government portal's navigation page, not the report: no year can be told.
    "pingshan-2021-gwr": {"doc_type": "other", "years": (None, None, None)},
}


def _local_sources() -> dict[str, tuple[str, str]]:
    """file stem → (region, level) from corpus/local/SOURCES.md."""
    out = {}
    for line in (LOCAL / "SOURCES.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) >= 4 and cells[0].endswith(".txt"):
            out[cells[0][:-4]] = (cells[2].split()[0], cells[3])
    return out


def _corpus() -> list:
    if not CORPUS.exists():
        return []
    return sorted(CORPUS.glob("*.txt")) + sorted(LOCAL.glob("*.txt"))


@needs_shared
@pytest.mark.parametrize("path", _corpus(), ids=lambda p: p.stem)
def test_corpus_region_level_doc_type_years(path):
    year = int(re.search(r"-(\d{4})-", path.name).group(1))
    key = path.stem.split("-")[0]
    if path.parent == LOCAL:
        region, level = _local_sources()[path.stem]
    else:
        region, level = CORPUS_REGIONS[key], "national" if key == "national" else "provincial"
    want = {"doc_type": "work_report", "years": (year, year - 1, year), **EXCEPTIONS.get(path.stem, {})}
    m = luoshi.load(path).metadata
    # A county-level unit is filed with its prefecture (深圳市龙岗区, 保定市高阳县): many share a name.
    assert m.region == region or (m.level == "county" and m.region.endswith(region)), m.region
    assert m.level == level
    assert m.doc_type == want["doc_type"]
    assert (m.year_delivered, m.year_reviewed, m.year_planned) == want["years"]


DEV_FORMATS = SHARED / "eval" / "dev-formats"


@needs_shared
@pytest.mark.parametrize(
    "name", ["zhejiang-2025-gwr--news.txt", "zhejiang-2025-gwr--page.html", "zhejiang-2025-gwr--pdf.pdf"]
)
def test_dev_formats_metadata(name):
    m = luoshi.load(DEV_FORMATS / name).metadata
    assert (m.region, m.level, m.doc_type) == ("浙江省", "provincial", "work_report")
    assert (m.year_delivered, m.year_reviewed, m.year_planned) == (2025, 2024, 2025)
    assert (m.speaker, m.date) == ("刘捷", "2025-01-14")


DOC_TYPES = SHARED / "eval" / "doc-types"


@needs_shared
def test_statistical_bulletin_figures_are_results_of_its_year():
    doc = luoshi.extract(DOC_TYPES / "yichun-2022-statbulletin.html")
    m = doc.metadata
    assert (m.region, m.level, m.doc_type) == ("宜春市", "municipal", "statistical_bulletin")
    assert (m.year_reviewed, m.year_delivered, m.date) == (2022, 2023, "2023-04-12")
    assert any(w.startswith("doc_type statistical_bulletin") for w in doc.warnings)
    assert doc.records and all(r.kind == "result" for r in doc.records)
    assert all(r.year is None or r.year <= 2022 for r in doc.records)


@needs_shared
def test_budget_report_is_told_and_warned():
    doc = luoshi.load(DOC_TYPES / "zhumadian-2018-budget.html")
    m = doc.metadata
    assert (m.region, m.level, m.doc_type) == ("驻马店市", "municipal", "budget_report")
    assert (m.year_delivered, m.year_reviewed, m.year_planned) == (2019, 2018, 2019)
    assert [w for w in doc.warnings if w.startswith("doc_type")] == [
        "doc_type budget_report: " + luoshi.pipeline.NOT_A_WORK_REPORT["budget_report"]
    ]


def test_doc_type_warning_is_said_once_when_the_stored_raw_text_is_built_again():
    from luoshi.ingest import RawText

    # what importing/worker.extract_raw passes: the raw text with the warnings stored
    said = ["doc_type other: " + luoshi.pipeline.NOT_A_WORK_REPORT["other"], "3 NUL character(s) removed"]
    doc = luoshi.pipeline.build(
        RawText(text="深圳市坪山区人民政府\n政府信息公开规章库\n", format="txt", source="x.txt", warnings=list(said))
    )
    assert sorted(doc.warnings) == sorted(said)


def test_work_report_has_no_doc_type_warning():
    doc = luoshi.load_text("各位代表：\n现在，我代表区人民政府向大会作工作报告，请予审议。\n一、2022年工作回顾\n")
    assert doc.metadata.doc_type == "work_report"
    assert not [w for w in doc.warnings if w.startswith("doc_type")]


# --- the gazetteer -------------------------------------------------------------------------


def test_gazetteer_covers_every_county_level_unit():
    units, index = md.gazetteer()
    current = [u for u in units if u.current]
    assert sum(u.level == "county" for u in current) >= 2800
    assert sum(u.level == "municipal" for u in current) >= 330
    assert sum(u.level == "provincial" for u in current) == 34
    names = {u.name for u in units}
    assert all(u.parent in names for u in units if u.parent)
    assert {u.qualified for u in index["南山区"]} == {"深圳市南山区", "鹤岗市南山区"}
    # 北京市 is a province-level municipality only, its districts filed under it
    assert [(u.level, u.qualified) for u in index["北京市"]] == [("provincial", "北京市")]
    assert [u.qualified for u in index["浦东新区"]] == ["上海市浦东新区"]
    assert [u.qualified for u in index["坪山新区"]] == ["深圳市坪山区"]  # data/region_aliases.tsv


# --- how a report names its government (real sentences) ----------------------------------


def _region(text: str) -> tuple[str | None, str | None]:
    return md._region(text, text[: md.HEAD_CHARS], {})


def test_by_line_names_a_district():
    # longgang-2017 … longgang-2025; nanshan-2014 … nanshan-2025
    text = "各位代表：\n现在，我代表龙岗区人民政府向大会作工作报告，请予审议，并请各位政协委员和其他列席人员提出意见。"
    assert _region(text) == ("深圳市龙岗区", "county")
    # the same name in 鹤岗市 is not taken when the text names 深圳
    text = "现在，我代表南山区人民政府向大会报告工作。\n深圳市委市政府的坚强领导下，深圳质量、深圳标准"
    assert _region(text) == ("深圳市南山区", "county")


def test_by_line_names_a_functional_area_that_became_a_district():
    # pingshan-2014, -2015, -2016: 坪山新区 became 坪山区 in 2016
    text = "各位代表：\n现在，我代表坪山新区管委会向大会作工作报告，请予审议，并请各位政协委员和其他列席人员提出意见。"
    assert _region(text) == ("深圳市坪山区", "county")
    # pingshan-2017
    assert _region("现在，我代表坪山区政府筹备组向大会作工作报告，请予审议") == ("深圳市坪山区", "county")


def test_bare_by_line_takes_the_district_the_text_names_most():
    # pingshan-2022 … pingshan-2024, longgang-2015: 我代表区人民政府, the place only in the text
    text = (
        "各位代表：\n现在，我代表区人民政府向大会作工作报告，请予审议。\n一、2021年以来工作回顾\n"
        "在区委的正确领导下，坪山经济社会各项事业开创新局面，深圳东部中心建设加快，坪山高新区、坪山中心区建设提速。"
    )
    assert _region(text) == ("深圳市坪山区", "county")


def test_congress_line_names_a_county_not_its_prefecture():
    # gaoyang-2015, -2017, -2018, -2019
    text = "政 府 工 作 报 告\n2015年4月28日在高阳县第十六届人民代表大会第四次会议上\n高阳县人民政府代县长 闫向阳\n各位代表："
    assert _region(text) == ("保定市高阳县", "county")
    # baoding-2010, -2014
    text = "保定市政府工作报告\n2010年1月26日在保定市第十三届人民代表大会第三次会议上\n保定市人民政府市长 李谦"
    assert _region(text) == ("保定市", "municipal")


def test_kind_of_a_bare_by_line():
    assert md._kind("区") == "区" and md._kind("市") == "市" and md._kind("自治区") == "自治区"
    assert md._kind("保定市") is None


# --- the scraper's header lines --------------------------------------------------------------

BAODING_2010_HEAD = (
    "标题：保定市政府工作报告——2010年1月26日在保定市第十三届人民代表大会第三次会议上\n"
    "发文单位：保定市人民政府\n发文时间：2010-01-26\n报告人：保定市人民政府市长 李谦\n"
    "来源URL：http://bd.mzfzw.net/news/show.asp?id=666\n\n正文：\n\n"
    "2010年1月26日在保定市第十三届人民代表大会第三次会议上 \n\n保定市人民政府市长 李谦 \n\n各位代表：\n"
)


def test_scraper_header_lines_are_metadata_not_text():
    # the 19 保定市 and 高阳县 reports of corpus/local open with these lines
    c = clean(BAODING_2010_HEAD)
    assert c.text.startswith("2010年1月26日在保定市第十三届人民代表大会第三次会议上\n")
    assert "标题" not in c.text and "来源URL" not in c.text and "正文" not in c.text
    assert all(c.raw[o] == ch for o, ch in zip(c.offsets, c.text) if ch != "\n")
    start = c.text.index("各位代表")
    assert c.raw[slice(*c.to_raw(start, start + 4))] == "各位代表"
    assert scraper_fields(BAODING_2010_HEAD) == {
        "title": "保定市政府工作报告——2010年1月26日在保定市第十三届人民代表大会第三次会议上",
        "issuer": "保定市人民政府",
        "date": "2010-01-26",
        "speaker": "保定市人民政府市长 李谦",
        "source_url": "http://bd.mzfzw.net/news/show.asp?id=666",
    }


def test_scraper_header_gives_title_speaker_and_date_when_the_body_does_not():
    # baoding-2021 … baoding-2026: 发文时间：未知, no speaker field; gaoyang-2015: the speaker field only
    raw = (
        "标题：高阳县2015年政府工作报告\n发文单位：高阳县人民政府\n发文时间：2015-04-28\n"
        "报告人：高阳县人民政府代县长 闫向阳\n\n正文：\n\n各位代表：\n现在，我代表县人民政府向大会报告工作。\n"
    )
    m = luoshi.load_text(raw).metadata
    assert (m.title, m.speaker, m.date, m.year_delivered) == ("高阳县2015年政府工作报告", "闫向阳", "2015-04-28", 2015)
    assert (m.region, m.level) == ("保定市高阳县", "county")


def test_field_lines_inside_the_text_stay():
    raw = "各位代表：\n标题：不是抓取的字段\n"
    assert clean(raw).text == "各位代表：\n标题：不是抓取的字段"
    assert scraper_fields(raw) == {}


def test_doc_type_from_title_and_opening():
    assert md.doc_type("宜春市2022年国民经济和社会发展统计公报\n宜春市统计局") == "statistical_bulletin"
    assert md.doc_type("关于驻马店市2018年预算执行情况和2019年预算草案的报告\n") == "budget_report"
    news = "【聚焦两会】高阳县第十八届人民代表大会第三次会议隆重开幕\n激情奋进“十四五”，加速崛起新高阳。"
    assert md.doc_type(news, {"title": "高阳县2023年政府工作报告"}) == "other"
    assert md.doc_type("一、2023年工作回顾\n2023年是全面贯彻党的二十大精神开局之年") == "work_report"
    assert md.doc_type("深圳市坪山区人民政府\n无障碍 长者助手\n政府信息公开规章库") == "other"


REAL_PDFS = SHARED / "eval" / "real-pdfs"


@needs_shared
@pytest.mark.parametrize(
    "name, region, level, doc_type, years",
    [
        # a title run into the by-line on one line: told by the opening (2018年预算执行情况与2019年预算草案)
        ("jiangsu_2018.reference.txt", "江苏省", "provincial", "budget_report", (2019, 2018, 2019)),
        ("shijiazhuang_2018_budget_report.reference.txt", "石家庄市", "municipal", "budget_report", (2019, 2018, 2019)),
        # a debt table (债务限额及余额决算情况表): neither a report nor a bulletin
        ("hunan_2019.reference.txt", "湖南省", "provincial", "other", (None, None, None)),
    ],
)
def test_fiscal_documents(name, region, level, doc_type, years):
    m = luoshi.load(REAL_PDFS / name).metadata
    assert (m.region, m.level, m.doc_type) == (region, level, doc_type)
    assert (m.year_delivered, m.year_reviewed, m.year_planned) == years
