"""Project follow-through (shared/spec/follow.md) on real report pairs, and the name rules of
luoshi/link/names.py on names as the reports write them."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from luoshi.cli import app
from luoshi.link.follow import follow_documents, progress
from luoshi.link.names import own_places, parse, same_project
from luoshi.pipeline import extract
from paths import CORPUS, needs_shared

LOCAL = CORPUS / "local"
ZJ = (CORPUS / "zhejiang-2025-gwr.txt", CORPUS / "zhejiang-2026-gwr.txt")
LG = (LOCAL / "longgang-2023-gwr.txt", LOCAL / "longgang-2024-gwr.txt")
runner = CliRunner()


@pytest.fixture(scope="module")
def zhejiang():
    old, new = (extract(p) for p in ZJ)
    return new, {f.task.object: f for f in follow_documents(old, new)}


@pytest.fixture(scope="module")
def longgang():
    old, new = (extract(p) for p in LG)
    return new, {f.task.object: f for f in follow_documents(old, new)}


def _check_found(new, f):
    """The found span is the name as NEW writes it, in the part it says, inside the evidence."""
    found = f.found
    written = new.text[found["start"] : found["end"]]
    assert written.replace("（", "").replace("）", "").replace("“", "").replace("”", "") == found["object"]
    assert written in found["evidence"] and found["evidence"] in new.text


# --- names (the constructions occur in the provinces' and the districts' reports) ----------------

LONGGANG = own_places("深圳市龙岗区")


@pytest.mark.parametrize(
    "a, b",
    [
        ("沙湾二水厂二期", "沙湾二水厂"),  # longgang 2023 plan / 2024 plan (建成沙湾二水厂): one side names no phase
        ("深圳宝龙专精特新产业园", "宝龙专精特新产业园（一期）"),  # longgang 2023 / 2024: a city before the name
        ("区儿童公园", "龙岗儿童公园"),  # longgang 2023 / 2024: 区 is the district itself
        ("龙岗数创走廊", "龙岗数字创意产业走廊"),  # longgang 2023 / 2024: a short form
        ("三门核电三期", "三门核电三期项目"),  # zhejiang 2025 / 2026: a generic word
        ("衢州先导智能", "衢州先导智能传感器"),  # zhejiang 2025 / 2026 plan
        ("中石化舟山六横LNG", "中石化六横LNG接收站"),  # zhejiang 2025 / 2026: a place inside the name
        ("区养老护理院", "区级公办养老护理院"),  # longgang 2025 / 2024
        ("中欧班列集结中心", "金华（义乌）中欧班列集结中心"),  # zhejiang 2025 / 2026
    ],
)
def test_same_project(a, b):
    assert same_project(parse(a, LONGGANG), parse(b, LONGGANG))


@pytest.mark.parametrize(
    "a, b",
    [
        ("宝龙生物药创新发展先导区二期项目", "宝龙生物药创新发展先导区一期"),  # longgang 2023 plan: two phases
        ("杭州萧山国际机场四期", "温州机场三期"),  # zhejiang 2025 plan: two airports, two phases
        ("温州机场三期", "温州机场枢纽"),  # zhejiang 2025 plan / 2026 plan: a phase vs the hub
        ("轨道16号线南延", "轨道16号线绿化恢复工程"),  # longgang 2023 plan / 2024 review
        ("轨道3号线东延", "轨道13号线"),  # a line number is not cut
        ("甬金铁路", "甬舟铁路"),  # zhejiang reports: names that share words
        ("长征国家文化公园贵州段", "长江国家文化公园贵州段"),  # guizhou 2025 / 2026: one character apart
        ("中海油公司项目", "中国海油深圳分公司"),  # nanshan 2024 / 2025: no short form of a firm
        ("深圳市外国语平湖学校", "深圳外国语学校龙岗学校"),  # longgang 2023 / 2024: two places inside
    ],
)
def test_different_projects(a, b):
    assert not same_project(parse(a, LONGGANG), parse(b, LONGGANG))


@pytest.mark.parametrize(
    "name, core, part",
    [
        ("西成铁路甘肃段", "西成铁路", ("reach", "甘肃段")),  # gansu 2025, 2026
        ("雄商高铁河南段", "雄商高铁", ("reach", "河南段")),  # henan 2026: not 南段
        ("深汕西高速改扩建坪山段", "深汕西高速改扩建", ("reach", "坪山段")),  # pingshan 2023
        ("马峦北路南段", "马峦北路", ("section", "南段")),  # pingshan 2016, 2018: 路南 is a place, 马峦北路 a road
        ("富安路中段", "富安路", ("section", "中段")),  # longgang 2023
    ],
)
def test_parts_after_a_name(name, core, part):
    n = parse(name)
    assert (n.core, n.parts) == (core, (part,))


def test_parse_keeps_a_place_that_is_the_name():
    # 三门 is a county, but 核电 alone names nothing (zhejiang 2025 and 2026)
    assert parse("三门核电三期").core == "三门核电"
    assert parse("区级养老护理院项目").core == "区级养老护理院"  # 区级 is no place (longgang 2023, 2024)


def test_progress_table():
    assert progress("complete", "started") == "behind" and progress("start", "done") == "ahead"
    assert progress("plan", "carried") == "on_track" and progress("advance", "not_mentioned") == "unknown"


# --- real pairs -------------------------------------------------------------------------------


@needs_shared
def test_done(zhejiang):
    new, out = zhejiang
    f = out["丽水机场"]  # 确保台州清陶锂电池、丽水机场等项目建成投运 → 嘉兴南湖机场、丽水机场建成投运
    assert (f.status, f.progress, f.found["part"], f.found["verb"]) == ("done", "on_track", "review", "建成投运")
    _check_found(new, f)


@needs_shared
def test_started(zhejiang):
    new, out = zhejiang
    f = out["温福高铁"]  # → 温福高铁、沪杭高铁、润泽智算中心三期等项目开工建设
    assert (f.status, f.progress) == ("started", "on_track")
    assert f.found["evidence"] == "温福高铁、沪杭高铁、润泽智算中心三期等项目开工建设"
    _check_found(new, f)


@needs_shared
def test_carried(zhejiang):
    new, out = zhejiang
    f = out["义乌机场改扩建"]  # 开工建设…义乌机场改扩建 → plan 2026: 加快义乌机场改扩建
    assert (f.status, f.progress, f.found["part"]) == ("carried", "behind", "plan")
    _check_found(new, f)


@needs_shared
def test_not_mentioned(zhejiang):
    _, out = zhejiang
    f = out["追觅机器人"]
    assert (f.status, f.progress, f.found) == ("not_mentioned", "unknown", None)


@needs_shared
def test_phase_written_or_not(longgang):
    new, out = longgang
    f = out["沙湾二水厂二期"]  # plan 2024: 建成沙湾二水厂 (no phase)
    assert (f.status, f.found["object"], f.found["part"]) == ("carried", "沙湾二水厂", "plan")
    f = out["宝龙生物药创新发展先导区一期"]  # 宝龙生物药创新发展先导区一期封顶，二期动工
    assert (f.status, f.found["verb"]) == ("progressed", "封顶")
    _check_found(new, f)


@needs_shared
def test_similar_names_do_not_match(zhejiang, longgang):
    _, out = zhejiang
    # 2026 names 杭州萧山国际机场 (旅客吞吐量) and 温州机场枢纽, never their phases
    assert out["杭州萧山国际机场四期"].status == "not_mentioned"
    assert out["温州机场三期"].status == "not_mentioned"
    _, out = longgang
    assert out["轨道16号线南延"].status != "done"  # not 轨道16号线绿化恢复工程完工


@needs_shared
def test_short_form_and_own_district(longgang):
    new, out = longgang
    f = out["龙岗数创走廊"]
    assert (f.status, f.found["object"]) == ("progressed", "龙岗数字创意产业走廊")
    f = out["区儿童公园"]
    assert (f.status, f.found["object"], f.found["verb"]) == ("done", "龙岗儿童公园", "开园")
    _check_found(new, f)


@needs_shared
@pytest.mark.parametrize("fmt", ["jsonl", "table", "csv"])
def test_cli(fmt):
    result = runner.invoke(app, ["follow", str(ZJ[0]), str(ZJ[1]), "--format", fmt])
    assert result.exit_code == 0, result.output
    assert "丽水机场" in result.stdout
    if fmt == "jsonl":
        lines = [json.loads(line) for line in result.stdout.splitlines()]
        assert all(set(d) == {"task", "status", "progress", "found"} for d in lines)


@needs_shared
def test_cli_xlsx(tmp_path):
    out = tmp_path / "follow.xlsx"
    result = runner.invoke(app, ["follow", str(ZJ[0]), str(ZJ[1]), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:2] == b"PK"


@needs_shared
def test_list_constructions(zhejiang, longgang):
    new, out = zhejiang
    f = out["宁波枢纽"]  # 谋划推进宁波枢纽 → plan 2026: 提升杭州、宁波、温州机场枢纽能级 (a shared facility word)
    assert (f.status, f.progress, f.found["part"]) == ("carried", "on_track", "plan")
    assert new.text[f.found["start"] : f.found["end"]] == "宁波"
    new, out = longgang
    f = out["轨道16号线南延"]  # → 轨道3号线四期、16号线二期所有车站主体完工 (a shared lead word)
    assert (f.status, f.found["verb"]) == ("progressed", "主体完工")
    assert new.text[f.found["start"] : f.found["end"]] == "16号线二期"


@needs_shared
def test_a_coming_step_is_progress():
    old, new = (extract(LOCAL / f"gaoyang-{y}-gwr.txt") for y in (2017, 2018))
    f = next(f for f in follow_documents(old, new) if f.task.object.startswith("纺织商贸城"))
    # 加快纺织商贸城升级改造…建设进度 → 纺织商贸城升级改造工程即将投入使用
    assert (f.status, f.found["verb"]) == ("progressed", "投入使用")


def _follow(old_path, new_path, object_start):
    old, new = extract(old_path), extract(new_path)
    return new, next(f for f in follow_documents(old, new) if f.task.object.startswith(object_start))


@needs_shared
def test_a_frame_around_the_name():
    # 建成坑梓特勤、大万消防站 → 完成大万消防站建设 (pingshan 2019 → 2020)
    new, f = _follow(LOCAL / "pingshan-2019-gwr.txt", LOCAL / "pingshan-2020-gwr.txt", "大万消防站")
    assert (f.status, f.progress) == ("done", "on_track")
    _check_found(new, f)


@needs_shared
def test_the_whole_named_without_the_phase_says_nothing_of_it():
    # 推动天安云谷二期开工建设 → 华为终端入驻天安云谷 (longgang 2015 → 2016): no statement on 二期
    _, f = _follow(LOCAL / "longgang-2015-gwr.txt", LOCAL / "longgang-2016-gwr.txt", "天安云谷二期")
    assert f.status != "progressed" or "二期" in f.found["evidence"]


@needs_shared
def test_a_completed_section_is_progress():
    # 国际陆港等功能片区开发建设 → 郑州国际陆港核心功能区建成投用 (henan 2025 → 2026)
    _, f = _follow(CORPUS / "henan-2025-gwr.txt", CORPUS / "henan-2026-gwr.txt", "国际陆港")
    assert (f.status, f.found["verb"]) == ("progressed", "建成投用")


@needs_shared
def test_a_mention_with_no_verb_says_nothing():
    # 加快推进比亚迪、中芯国际、华谊兄弟等80余个社会投资项目建设 → 支持龙头企业比亚迪积极进军世界500强
    _, f = _follow(LOCAL / "pingshan-2015-gwr.txt", LOCAL / "pingshan-2016-gwr.txt", "比亚迪")
    assert f.status in ("not_mentioned", "carried") or "比亚迪" in f.found["object"] and f.found["verb"]


@needs_shared
def test_items_of_a_list_share_their_tail():
    # 加快北二环东段道路建设 → 完成了…北二环东段、经四路一期道路建设 (gaoyang 2018 → 2019)
    new, f = _follow(LOCAL / "gaoyang-2018-gwr.txt", LOCAL / "gaoyang-2019-gwr.txt", "北二环东段道路")
    assert (f.status, new.text[f.found["start"] : f.found["end"]]) == ("done", "北二环东段")
    # 龙田片区 is not 龙田北等片区 (pingshan 2020 → 2021): no status from that list
    _, f = _follow(LOCAL / "pingshan-2020-gwr.txt", LOCAL / "pingshan-2021-gwr-b.txt", "龙田片区")
    assert f.found is None or "龙田北" not in f.found["object"]


def test_list_item_spans():
    from luoshi.link.names import coordinated_in

    text = "推进碧岭北、高新南、沙田北等片区土地整备"  # pingshan 2025
    assert [text[i:j] for i, j in coordinated_in(text, "高新南片区")] == ["高新南"]
    text = "300万吨级CCUS碳捕集利用、100兆瓦级地下压缩空气储能、100吉瓦时锂电池储能等减碳项目加快建设"  # ningxia 2026
    assert list(coordinated_in(text, "储能电池", bare=True)) == []  # 宝丰储能电池 is not there
    text = "14号、16号线车站主体结构分别完成90%、85%"  # longgang 2021
    assert [text[i:j] for i, j in coordinated_in(text, "14号线")] == ["14号"]
