"""Tasks by construction: clauses copied verbatim from reports of ../shared/corpus, grouped by the
construction of work-report language they show, each construction found in two reports or more
(the comment names them). Run through the whole pipeline as one paragraph of a report's plan or
review part (``helpers.run``).

An expected task is (action, object): a produced task with the same action and an object of
bigram Dice >= 0.5 must exist, as the scorer matches; ``NONE`` means the clause gives no task.
Every produced task's span is its evidence in the cleaned text.
"""

from __future__ import annotations

import pytest

from helpers import dice, run
from paths import corpus_and_eval_text, needs_shared

NONE: list[tuple[str, str]] = []

CASES = {
    # --- the verb after its objects, in the forms reports write it
    "complete_forms": [
        ("henan-2025", "review", "殷墟博物馆新馆建成开放。", [("complete", "殷墟博物馆新馆")]),
        ("nanshan-2018", "review", "深圳人才公园建成开放。", [("complete", "深圳人才公园")]),
        ("hunan-2026", "review", "马栏山音视频实验室投入运营。", [("complete", "马栏山音视频实验室")]),
        (
            "liaoning-2026",
            "review",
            "恒力重工二期、鼎际得高端新材料等重大项目竣工投产。",
            [("complete", "恒力重工二期"), ("complete", "鼎际得高端新材料")],
        ),
        ("shandong-2025", "review", "日兰高铁全线贯通。", [("complete", "日兰高铁")]),
        ("gansu-2025", "review", "武威重离子兰州院区正式运营。", [("complete", "武威重离子兰州院区")]),
        (
            "pingshan-2020",
            "review",
            "市一职校坪山校区、坪山特殊教育学校开学招生。",
            [("complete", "市一职校坪山校区"), ("complete", "坪山特殊教育学校")],
        ),
        ("guangxi-2026", "review", "南宁吴圩机场改扩建工程投入使用。", [("complete", "南宁吴圩机场改扩建工程")]),
        ("heilongjiang-2026", "review", "牡佳高铁建成运营。", [("complete", "牡佳高铁")]),
    ],
    # 主体封顶 is progress, not completion (records.md: the verb's meaning decides)
    "topping_out": [
        ("longgang-2022", "review", "大运综合枢纽主体封顶。", [("advance", "大运综合枢纽")]),
        ("longgang-2024", "review", "区级公办养老护理院主体封顶。", [("advance", "区级公办养老护理院")]),
    ],
    # --- a lead adverb before the verb (重点/着力/突出 抓好…建设), the verb read after it
    "lead_adverb": [
        (
            "baoding-2009",
            "plan",
            "重点抓好唐县冀东、曲阳金隅等大型干法水泥项目建设。",
            [("advance", "唐县冀东"), ("advance", "曲阳金隅")],
        ),
        ("hebei-2025", "plan", "抓好昝岗高端高新产业集聚区、互联网产业园等建设。", [("advance", "互联网产业园")]),
    ],
    # --- lead words that are verbs too (力争 启动): the verb is read at every boundary of the lead
    "lead_words": [
        ("pingshan-2023", "plan", "力争启动国际Ⅰ期临床医院建设。", [("start", "国际Ⅰ期临床医院")]),
        ("gansu-2025", "plan", "谋划启动甘川新通道建设。", [("plan", "甘川新通道")]),
    ],
    # --- a project put into a plan is planned (records.md: 争取纳入规划)
    "included_in_plan": [
        (
            "fujian-2025",
            "plan",
            "争取赣龙厦、昌福厦、衢南三等高铁项目纳入国家铁路规划。",
            [("plan", "赣龙厦高铁"), ("plan", "昌福厦高铁"), ("plan", "衢南三高铁")],
        ),
        ("longgang-2017", "plan", "争取东部机场快线纳入远景规划。", [("plan", "东部机场快线")]),
        ("guizhou-2026", "plan", "争取遵义茅台机场纳入国家“十五五”口岸发展规划。", [("plan", "遵义茅台机场")]),
    ],
    # --- a weak verb before the list, the verb at the end decides (推动A、B等项目开工建设)
    "end_verb_decides": [
        (
            "xinjiang-2026",
            "plan",
            "推动伊宁机场迁建、G679线乌拉斯台至奇台、G219线禾木（吉克普林）至喀纳斯、G314线喀什至塔什库尔干等一批重大项目开工建设。",
            [("start", "伊宁机场迁建"), ("start", "G679线乌拉斯台至奇台")],
        ),
        (
            "hebei-2025",
            "plan",
            "推动中国中化、中国华能总部建成投用。",
            [("complete", "中国中化总部"), ("complete", "中国华能总部")],
        ),
    ],
    # --- works on a named facility keep the works in the name
    "works_on_facility": [
        ("gansu-2025", "plan", "完成嘉峪关酒泉机场改扩建。", [("complete", "嘉峪关酒泉机场改扩建")]),
        ("longgang-2018", "plan", "完成区第三人民医院改扩建。", [("complete", "区第三人民医院改扩建")]),
        ("guangxi-2025", "review", "完成湘桂铁路柳州枢纽扩能改造。", [("complete", "湘桂铁路柳州枢纽扩能改造")]),
    ],
    # --- preparatory work named by its documents is plan whatever the verb
    "preparatory_documents": [
        ("nanshan-2014", "plan", "完成玉泉南山天桥等项目方案设计。", [("plan", "玉泉南山天桥")]),
        ("longgang-2014", "plan", "推进吉大昆士兰大学项目前期工作。", [("plan", "吉大昆士兰大学")]),
        (
            "longgang-2019",
            "plan",
            "开展大运枢纽、宝龙科技城等片区法定图则修编。",
            [("plan", "大运枢纽"), ("plan", "宝龙科技城")],
        ),
    ],
    # --- a shared head or tail carried to each item of the list
    "shared_tail": [
        (
            "ningxia-2025",
            "plan",
            "加快黄河、长城、长征国家文化公园建设。",
            [("advance", "黄河国家文化公园"), ("advance", "长城国家文化公园"), ("advance", "长征国家文化公园")],
        ),
        (
            "hunan-2026",
            "review",
            "桑龙、城龙、醴娄等7条高速公路建成通车。",
            [("complete", "桑龙高速公路"), ("complete", "城龙高速公路"), ("complete", "醴娄高速公路")],
        ),
        ("pingshan-2020", "plan", "加快望牛岗、草埔等更新项目进度。", [("advance", "望牛岗"), ("advance", "草埔")]),
        # a short name takes the suffix of the next item that has one
        (
            "baoding-2018",
            "review",
            "廊涿城际、京雄石城际和保忻、保张、保沧铁路前期工作加快推进。",
            [
                ("plan", "廊涿城际"),
                ("plan", "京雄石城际"),
                ("plan", "保忻铁路"),
                ("plan", "保张铁路"),
                ("plan", "保沧铁路"),
            ],
        ),
    ],
    # --- a count of unnamed things at the end of a list leaves the list, not the names
    "counted_item": [
        ("guangxi-2025", "review", "开工建设白龙核电一期以及6座抽水蓄能电站等项目。", [("start", "白龙核电一期")]),
        ("guizhou-2026", "plan", "建成投产3个露天煤矿和15个井工煤矿。", NONE),
        ("longgang-2020", "review", "完成462座公厕和106座垃圾转运站升级改造。", NONE),
    ],
    # --- 和 inside a name does not split it
    "he_inside_name": [
        (
            "longgang-2015",
            "review",
            "坂澜大道、五和大道龙岗段等10条主干道建成通车。",
            [("complete", "坂澜大道"), ("complete", "五和大道龙岗段")],
        ),
        (
            "pingshan-2015",
            "review",
            "站前路、和乐路北段等4条道路建成通车。",
            [("complete", "站前路"), ("complete", "和乐路北段")],
        ),
    ],
    # --- a description, a dash, then the name (全国最大的…环网——环塔里木电网工程)
    "dash_then_name": [
        (
            "xinjiang-2026",
            "review",
            "全国最大的750千伏超高压输电环网——环塔里木电网工程建成投运。",
            [("complete", "环塔里木电网工程")],
        ),
        ("nanshan-2021", "review", "区属九年一贯制特殊教育学校——龙苑学校建成运行。", [("complete", "龙苑学校")]),
    ],
    # --- a time between the objects and their verb (上半年, 年底前)
    "time_before_verb": [
        ("longgang-2020", "plan", "区儿童公园上半年开工。", [("start", "区儿童公园")]),
        ("baoding-2022", "plan", "力争保定东站综合交通枢纽项目年底前开工。", [("start", "保定东站综合交通枢纽")]),
    ],
    # --- stores, depots, halls, plants and phased works are facilities
    "facility_kinds": [
        ("hunan-2026", "review", "国家中药材种质资源库开工建设。", [("start", "国家中药材种质资源库")]),
        ("longgang-2022", "plan", "开工建设西坑粮食储备库。", [("start", "西坑粮食储备库")]),
        (
            "liaoning-2025",
            "review",
            "锦州石化针状焦、锦西石化新重整芳烃等装置建成投产。",
            [("complete", "锦州石化针状焦装置"), ("complete", "锦西石化新重整芳烃装置")],
        ),
        ("pingshan-2015", "review", "网上办事大厅投入使用。", [("complete", "网上办事大厅")]),
        (
            "pingshan-2023",
            "plan",
            "开工建设市人才研修院东部分院二期工程。",
            [("start", "市人才研修院东部分院二期工程")],
        ),
        ("longgang-2021", "review", "国际低碳城文化会议中心项目开工。", [("start", "国际低碳城文化会议中心")]),
        ("hunan-2025", "review", "衡阳智能衡器计量产业园首开区开工建设。", [("start", "衡阳智能衡器计量产业园首开区")]),
        ("pingshan-2019", "review", "生物医药企业加速器二期开工建设。", [("start", "生物医药企业加速器二期")]),
        ("ningxia-2025", "review", "贺兰山东麓防洪治理工程加快推进。", [("advance", "贺兰山东麓防洪治理工程")]),
        ("longgang-2022", "review", "深圳国际低碳城文化会议中心主体开工。", [("start", "深圳国际低碳城文化会议中心")]),
        ("longgang-2024", "plan", "推动大运天地全面投入使用。", [("complete", "大运天地")]),
        (
            "nanshan-2018",
            "review",
            "来福士广场、万象天地等城市综合体开业。",
            [("complete", "来福士广场"), ("complete", "万象天地")],
        ),
    ],
    # --- records.md scope: goals, slogans, programmes and no-task verbs make no task
    "not_tasks": [
        ("national-2025", "plan", "推进科技强国建设。", NONE),
        ("guangxi-2025", "plan", "启动全国边境小城镇建设试点。", NONE),
        ("fujian-2025", "plan", "支持“两重”等项目建设。", NONE),
        ("henan-2026", "plan", "加快郑州国家中心城市建设。", NONE),
        ("guizhou-2026", "plan", "推进以县城为重要载体的城镇化建设。", NONE),
        ("gansu-2026", "plan", "推进文旅强省建设。", NONE),
        ("baoding-2010", "plan", "着力抓好投资和项目建设。", NONE),
        ("guangxi-2026", "plan", "推进中型灌区现代化改造、小型农业水利设施建设。", NONE),
        ("pingshan-2019", "plan", "推动设立质量与标准学院、密码与网络安全学院。", NONE),
        ("henan-2026", "plan", "推动中原农谷、周口国家农高区协同发展。", NONE),
        # 等 inside a word (高等, 平等) marks no list
        ("gansu-2025", "plan", "启动高等教育综合改革试点。", NONE),
        ("guizhou-2026", "plan", "大力推进老旧小区改造。", NONE),
    ],
}


def _params():
    for construction, cases in CASES.items():
        for n, (report, part, sentence, expected) in enumerate(cases, 1):
            yield pytest.param(part, sentence, expected, id=f"{construction}{n}-{report}")


@pytest.mark.parametrize("part, sentence, expected", list(_params()))
def test_task_construction(part, sentence, expected):
    doc = run(sentence, part)
    tasks = [r for r in doc.records if r.type == "task"]
    produced = [(t.action, t.object) for t in tasks]
    if not expected:
        assert produced == [], f"no task expected, got {produced}"
    for action, obj in expected:
        assert any(a == action and dice(o, obj) >= 0.5 for a, o in produced), f"no task ({action}, {obj}) in {produced}"
    for t in tasks:
        assert doc.text[t.start : t.end] == t.evidence


@needs_shared
def test_clauses_are_verbatim_from_the_corpus_not_the_eval_set():
    corpus, evalset = corpus_and_eval_text()
    clauses = [(report, sentence.rstrip("。")) for cases in CASES.values() for report, _, sentence, _ in cases]
    assert not [c for c in clauses if c[1] not in corpus], "not verbatim in ../shared/corpus"
    assert not [c for c in clauses if c[1] in evalset], "taken from ../shared/eval"
    assert all(len({r for r, _, _, _ in cases}) >= 2 for cases in CASES.values()), "a construction of one report"
