"""Target verdicts on unseen pairs (issue 17): the result's subject and name as the next report
writes them, on real sentences of two reports or more each, and the verdicts they give on real
report pairs of ../shared/corpus and ../shared/corpus/local.

Each extraction case is (reports, sentence, part, value, unit, name, indicator_id); the name is
asserted exactly (None: only the id is), and the record's span must hold its evidence and the value as written.
"""

from __future__ import annotations

import pytest

from helpers import run
from luoshi.model import Indicator
from paths import SHARED, needs_shared

CASES = [
    # A standing or milestone between a subject and its change names nothing: the change keeps
    # the subject (hunan 2026, pingshan 2023, longgang 2019, longgang 2017).
    (
        "hunan 2026",
        "全省地区生产总值达到5.53万亿元、稳居全国前十强、增长4.8%，其中规模工业增加值增长6.2%、高于全国平均0.3个百分点。",
        "review",
        4.8,
        "%",
        "地区生产总值",
        "gdp",
    ),
    (
        "pingshan 2023",
        "全区地区生产总值1080亿元，历史性突破千亿大关，增长14.0%，增速排名全省各县（区）第一。",
        "review",
        14.0,
        "%",
        "地区生产总值",
        "gdp",
    ),
    (
        "pingshan 2023",
        "全区地区生产总值1080亿元，历史性突破千亿大关，增长14.0%，增速排名全省各县（区）第一。",
        "review",
        1000,
        "亿",
        "地区生产总值",
        "gdp",
    ),
    (
        "longgang 2019",
        "经核算，地区生产总值4287.86亿元，稳居全市第二，3年突破两个千亿大关，增长11%。",
        "review",
        11,
        "%",
        "地区生产总值",
        "gdp",
    ),
    # A head alone after a listed subject takes that subject (fujian 2025, guizhou 2025, baoding 2021).
    (
        "fujian 2025",
        "粮食播种面积1266.6万亩、产量514.4万吨，均超额完成国家任务。",
        "review",
        514.4,
        "万吨",
        "粮食产量",
        "grain_output",
    ),
    (
        "guizhou 2025",
        "粮食播种面积4157万亩、产量1146.1万吨，均超额完成国家下达目标任务，粮食单产增长2.5%。",
        "review",
        1146.1,
        "万吨",
        "粮食产量",
        "grain_output",
    ),
    # 完成 between a subject and its amount is no part of the name (baoding 2010, baoding 2022).
    ("baoding 2010", "全年生产总值完成1737.6亿元，增长11%。", "review", 11, "%", "生产总值", "gdp"),
    (
        "baoding 2022",
        "2021年，全市生产总值完成3725亿元，增长7.2%、全省第一；一般公共预算收入完成312.5亿元，增长11.3%、全省第一。",
        "review",
        312.5,
        "亿元",
        "一般公共预算收入",
        "fiscal_revenue",
    ),
    # 初步预计 before a subject is no part of it (longgang 2017, pingshan 2015).
    (
        "longgang 2017",
        "初步预计地区生产总值突破3000亿元，跃居全市各区第三，增长9.6%以上，增速全市第一。",
        "review",
        9.6,
        "%",
        "地区生产总值",
        "gdp",
    ),
    # A note between the verb and the value (同比增长（下同）): pingshan 2014, pingshan 2015; 新区
    # there is the district itself (坪山新区), as 全区 is elsewhere.
    (
        "pingshan 2015",
        "初步预计，全年新区实现地区生产总值423.99亿元，同比增长（下同）10.0%；固定资产投资214.19亿元，增长10.6%。",
        "review",
        10.0,
        "%",
        None,
        "gdp",
    ),
    ("pingshan 2014", "全年新区实现地区生产总值372亿元，同比增长（下同）13%。", "review", 13, "%", None, "gdp"),
    # One indicator, named differently: 新增城镇就业 (baoding 2022, ningxia 2026), 本地生产总值
    # (nanshan 2016, nanshan 2024), 登记失业率 (nanshan 2014 to 2016, longgang 2014 to 2020),
    # 一般公共预算地方本级收入 (pingshan 2017 plan, pingshan 2019).
    ("baoding 2022", "新增城镇就业9.56万人，超额完成省定目标。", "review", 9.56, "万人", "新增城镇就业", "urban_jobs"),
    (
        "ningxia 2026",
        "新增城镇就业8.55万人、农村劳动力转移就业86万人。",
        "review",
        8.55,
        "万人",
        "新增城镇就业",
        "urban_jobs",
    ),
    (
        "nanshan 2016",
        "经济持续稳定增长，实现本地生产总值3715亿元，增长9.3%，总量保持全省区（县）第一。",
        "review",
        9.3,
        "%",
        None,
        "gdp",
    ),
    ("nanshan 2024", "2023年本地生产总值增长5.1%，达到8566亿元。", "review", 5.1, "%", "本地生产总值", "gdp"),
    (
        "nanshan 2016",
        "提升公共就业服务，举办公益性免费现场招聘会，居民登记失业率控制在3%以内。",
        "review",
        3,
        "%",
        "居民登记失业率",
        "unemployment",
    ),
    # 规上工业企业增加值 (longgang 2022, longgang 2023; 规模以上工业企业增加值 longgang 2017, pingshan 2017)
    (
        "longgang 2023",
        "规上工业企业增加值2162.7亿元，增长1.7%。",
        "review",
        1.7,
        "%",
        "规上工业企业增加值",
        "industry_value_added",
    ),
    (
        "longgang 2022",
        "规上工业企业增加值2198.28亿元、全市第一，下降19%；社会消费品零售总额增长1.9%。",
        "review",
        -19,
        "%",
        "规上工业企业增加值",
        "industry_value_added",
    ),
    (
        "pingshan 2019",
        "一般公共预算地方本级收入完成43.5亿元；在落实减税政策基础上，实现全口径税收收入102.4亿元。",
        "review",
        43.5,
        "亿元",
        "一般公共预算地方本级收入",
        "fiscal_revenue",
    ),
]


def _value_written(evidence: str, value: float) -> bool:
    value = abs(value)  # 下降19%: a fall is negative
    return f"{value:g}" in evidence or f"{value:.1f}" in evidence or "千亿" in evidence


@pytest.mark.parametrize(
    "reports,sentence,part,value,unit,name,ind_id", CASES, ids=[f"{c[0]}-{c[6]}-{c[3]:g}" for c in CASES]
)
def test_named_as_the_indicator(reports, sentence, part, value, unit, name, ind_id):
    doc = run(sentence, part)
    found = [r for r in doc.records if isinstance(r, Indicator) and r.value == value and r.unit == unit]
    assert found, [(r.indicator, r.value, r.unit) for r in doc.records if isinstance(r, Indicator)]
    r = found[0]
    assert (r.indicator if name else None, r.indicator_id) == (name, ind_id)
    assert doc.text[r.start : r.end] == r.evidence and _value_written(r.evidence, value)


def test_a_count_of_milestones_is_no_indicator():
    # longgang 2019 (3年突破两个千亿大关), as pingshan 2023 (历史性突破千亿大关) states one
    doc = run("经核算，地区生产总值4287.86亿元，稳居全市第二，3年突破两个千亿大关，增长11%。", "review")
    assert not [r for r in doc.records if isinstance(r, Indicator) and r.value == 2 and r.unit == "个"]


PAIRS = [
    # (old, new, indicator_id, target value, verdict, result value)
    ("hunan-2025-gwr", "hunan-2026-gwr", "gdp", 5.5, "missed", 4.8),
    ("local/pingshan-2022-gwr", "local/pingshan-2023-gwr", "gdp", 7, "met", 14.0),
    ("local/longgang-2018-gwr", "local/longgang-2019-gwr", "gdp", 8.5, "met", 11),
    ("local/longgang-2016-gwr", "local/longgang-2017-gwr", "gdp", 9.5, "met", 9.6),
    ("local/baoding-2009-gwr", "local/baoding-2010-gwr", "gdp", 10, "met", 11),
    ("local/baoding-2021-gwr", "local/baoding-2022-gwr", "urban_jobs", 8.9, "met", 9.56),
    ("ningxia-2025-gwr", "ningxia-2026-gwr", "urban_jobs", 8, "met", 8.55),
    ("local/nanshan-2015-gwr", "local/nanshan-2016-gwr", "gdp", 9.5, "met", 9.3),
    ("local/pingshan-2014-gwr", "local/pingshan-2015-gwr", "gdp", 13, "missed", 10.0),
]


@needs_shared
@pytest.mark.parametrize("old,new,ind_id,target,verdict,result", PAIRS, ids=[f"{p[1]}-{p[2]}" for p in PAIRS])
def test_verdict_on_a_real_pair(old, new, ind_id, target, verdict, result):
    from luoshi.link import link_documents
    from luoshi.pipeline import extract

    corpus = SHARED / "corpus"
    links = link_documents(extract(corpus / f"{old}.txt"), extract(corpus / f"{new}.txt"))
    got = [lk for lk in links if lk.indicator_id == ind_id and lk.target.value == target]
    assert got, [(lk.indicator_id, lk.target.indicator, lk.target.value) for lk in links]
    lk = got[0]
    assert lk.verdict == verdict and lk.result is not None and lk.result.value == result
