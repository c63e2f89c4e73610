"""A value whose name is only a measure takes its subject from the value before it (issue 17:
targets and results named differently for the same indicator link only when both are named
in full).  Sentences from the reports (the first is the issue's example of an unseen report)."""

from __future__ import annotations

import pytest

import luoshi


def _names(sentence: str) -> list[tuple[str, str | None]]:
    doc = luoshi.load_text(sentence)
    return [(r.indicator, r.indicator_id) for r in luoshi.extraction.extract_records(doc)]


@pytest.mark.parametrize(
    "sentence, name, indicator_id",
    [
        # a measure of firms after their count: the firms are its subject
        ("规模以上工业企业达7万家、增加值增长3%。", "规模以上工业企业增加值", "industry_value_added"),
        (
            "深汕特别合作区高新产业园入驻企业27家，产值超30亿元。",
            "深汕特别合作区高新产业园入驻企业产值",
            None,
        ),  # nanshan 2023
        ("培育本土企业50家，产值达到150亿元左右。", "本土企业产值", None),  # baoding 2023
        # a period word before the head word of a harvest
        ("粮食播种面积稳定在1500万亩、年度产量突破120万吨。", "粮食产量", "grain_output"),
        ("粮食播种面积1266.6万亩、产量514.4万吨。", "粮食产量", "grain_output"),
        # 人数 after an indicator's name names the same indicator
        ("城镇新增就业人数45万人。", "城镇新增就业人数", "urban_jobs"),  # shanxi 2026
    ],
)
def test_a_measure_alone_takes_the_subject_before(sentence, name, indicator_id):
    assert (name, indicator_id) in _names(sentence)


def test_a_measure_after_an_amount_keeps_its_own_name():
    # pingshan 2015: 产值 after an investment total is not the total's 产值
    names = _names("全年引进产业用地项目20余个，计划投资总额112亿元，预计产值498亿元。")
    assert ("计划投资总额产值", None) not in names
