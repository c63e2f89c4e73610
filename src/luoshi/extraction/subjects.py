"""The subject of a value: what stands before it in its clause (after any earlier value of the
same clause), or the noun it counts after it (216个“两重”项目, 超50%的行政村); with the marks of
coordination read on the way (分别, 均, 各) and the words that name no subject dropped: a
comparison (较上年), a milestone (突破千亿大关), time words only (五年年均)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .candidates import GENERIC_CLASSIFIERS, MEDALS, Candidate, Number
from .naming import split_subjects, trim
from .patterns import CJK, patterns
from .qualifiers import Reading

MILESTONES = ("台阶", "新台阶", "大关", "关口")  # 迈上3万亿元台阶: a milestone names nothing
NEXT_VALUE = re.compile(r"、|\d+(?:\.\d+)?(?![\dA-Za-z.强])")  # where a counted noun ends (5G工厂 goes on)
# a list before 等 and the head after it: (lead+first items)(、 or ” before 等)(head)
LISTED_HEAD = re.compile(r"^(.*?)([、”].*)(?<![高同平对均初中上优])等(?!级)([^、等”“]+)$")  # not 高等职业学校
# 完成 between a subject and an amount of money (生产总值完成1737.6亿元: baoding 2007 to 2022, gaoyang
# 2015 to 2019; 一般公共预算地方本级收入完成43.5亿元: pingshan 2019) is no part of the subject
DONE_BEFORE_AMOUNT = re.compile(r"(?<=[\u4e00-\u9fff）”]{2})完成$")
_AT_GAMES = re.compile(r"在(.+?)上$")  # 南山健儿在杭州亚运会上 → 杭州亚运会


@dataclass(slots=True)
class Subject:
    name: str
    name_from_after: bool  # the name was read after the value (the noun it counts)
    used_end: int  # end of the text the name was read from
    split_mark: str  # 分别/均/各/都 standing before the value, or ""
    subjects: list[str] | None  # names read around 分别 standing inside the name
    time_words: str | None  # "年均" or "" when the name was only time words (五年年均增长)


def read_subject(text: str, n: Number, r: Reading, prev: list[Candidate]) -> Subject | None:
    """The subject of ``n``, or None when the value only picks out or lists names (3年突破两个
    千亿大关, 17个重点传统制造业增加值增长8%, …等五张榜单)."""
    p = patterns()
    clause, end = n.clause, n.end
    pre_raw = _text_before(text, n, r.pos, prev)
    if pre_raw is None:
        return None
    split_mark, subjects, pre_raw = _split_mark(pre_raw)
    name, time_words = _name_before(pre_raw, n.unit_word)
    tail = _counted_noun(text, n, name, r.big)
    if tail and n.unit_class == "count" and not trim(pre_raw) and p.modifier_next.match(text, end):
        return None  # 17个重点传统制造业增加值增长8%: the count only picks out the subject of the rate
    if n.unit_class == "count" and p.list_names.search(text, end, clause[1]) and "强" in text[clause[0] : n.start]:
        return None  # 研发投入500家、发明专利500家等五张榜单: list names, like 500强
    name = _list_head(name)
    if name.endswith("总投资") and text.startswith("的", end):
        # 加快总投资52亿元的34个配套项目建设: the investment of what follows 的
        what = p.invest_object.match(text, end + 1, clause[1])
        if what and trim(what.group(1)):
            name = trim(what.group(1)) + "总投资"
    s = Subject(name, False, end, split_mark, subjects, time_words)  # positional, as Number
    if tail:
        _take_tail(s, n, pre_raw, tail)
    return s


def _text_before(text: str, n: Number, pos: int, prev: list[Candidate]) -> str | None:
    """The clause's text before the value that may name it (after any earlier value of the same
    clause); "" when a milestone stands there; None for a count of milestones."""
    clause, start = n.clause, n.start
    name_start = clause[0]
    for c in reversed(prev):
        if c.clause == clause:
            name_start = max(name_start, c.used_end)
            break
        if c.end <= clause[0]:
            break
    pre_raw = text[name_start:pos]
    seg_from = max(name_start, text.rfind("、", name_start, start) + 1)
    seg_to = text.find("、", n.end, clause[1])
    inside_milestone = _milestone(text[seg_from : clause[1] if seg_to == -1 else seg_to])
    if inside_milestone and n.unit_word in GENERIC_CLASSIFIERS:
        return None  # 3年突破两个千亿大关: a count of milestones
    if name_start > clause[0] and "、" in pre_raw.rstrip("、"):
        pre_raw = pre_raw.rstrip("、").rsplit("、", 1)[1]  # 1.4万亿斤新台阶、亩产提升10.1斤 → 亩产
    if inside_milestone or ("、" in text[clause[0] : pos] and _milestone(pre_raw.rstrip("、"))):
        pre_raw = ""  # 首次突破2000亿元大关; 、稳居全国前十强、增长4.8%: the subject before
    if pre_raw.endswith("分别年均"):  # 分别年均增长 reads as 年均 … 分别
        pre_raw = pre_raw[:-4] + "年均分别"
    return pre_raw


def _milestone(segment: str) -> bool:
    """True when a segment only states a milestone or standing of the subject before it
    (data/milestones.tsv: 历史性突破千亿大关, 稳居全国前十强)."""
    return bool(patterns().milestone.fullmatch(segment.strip(" \u3000")))


def _split_mark(pre_raw: str) -> tuple[str, list[str] | None, str]:
    """``(mark, subjects, text)``: 分别/均/各 ending the text, or 分别 inside it with the subjects
    it shares out (交通、水利分别完成投资2500亿元、800亿元)."""
    sm = patterns().split_mark.search(pre_raw, max(0, len(pre_raw) - 3))  # a mark of 2 characters, maybe before "\n"
    if sm:
        return sm.group(0), None, pre_raw
    if "分别" in pre_raw:
        who, _, what = pre_raw.partition("分别")
        return "分别", [trim(w) + trim(what) for w in split_subjects(trim(who))], who + what
    return "", None, pre_raw


def _name_before(pre_raw: str, unit_word: str) -> tuple[str, str | None]:
    """The name in the text before the value, without a comparison, and the time words when the
    name was only those (``"年均"`` or ``""``, else None)."""
    p = patterns()
    name = trim(p.compared_with.sub("", p.base_name.sub("", pre_raw) if "20" in pre_raw else pre_raw))
    if pre_raw.rstrip().endswith("、") and not p.list_before.search(pre_raw.rstrip()[:-1]):
        name = ""  # 、稳居全国前十强、增长4.8%: the value continues the previous subject
    elif unit_word.endswith("元") and DONE_BEFORE_AMOUNT.search(name):
        name = trim(DONE_BEFORE_AMOUNT.sub("", name))  # 生产总值完成1737.6亿元: the amount of the subject
    if name and p.time_only.match(name):  # 国内生产总值增加到121万亿元，五年年均增长5.2%
        return "", ("年均" if "年均" in name else "")
    return name, None


def _counted_noun(text: str, n: Number, name: str, big: bool) -> str:
    """The noun after the value that it counts or that its share is of, or ""."""
    clause, end = n.clause, n.end
    if n.unit_class == "percent" and text.startswith("的", end):  # 超50%的行政村达到美丽乡村标准
        return text[end + 1 : clause[1]]
    if not ((n.unit_class == "count" or len(name) <= 2) and end < clause[1] and CJK.match(text, end)):
        return ""
    # The number counts the noun after it: 216个“两重”项目…, 新增100个以上项目纳入…
    stop = clause[1]
    nxt = NEXT_VALUE.search(text, end, clause[1])
    if nxt:
        stop = nxt.start()
        opened = text.count("“", end, stop)
        close = text.find("”", stop, clause[1]) if opened else -1
        if close != -1 and opened > text.count("”", end, stop):
            nxt = NEXT_VALUE.search(text, close, clause[1])  # 10座“24小时图书馆”: a number inside a name
            stop = nxt.start() if nxt else clause[1]
    tail = text[end + (1 if big else 0) : stop]
    if len(tail) <= 5 and (patterns().verb_full.fullmatch(trim(tail)) or trim(tail) in MILESTONES):
        return ""  # 由59张增至410张: a verb alone names nothing; the value takes the subject before
    return tail


def _list_head(name: str) -> str:
    """新增浙东工业母机、…、长三角大飞机等国家先进制造业集群4个: the list names members, the
    head what is counted (with the lead verb)."""
    listed = LISTED_HEAD.match(name) if "等" in name else None
    if listed and len(listed.group(3)) >= 2:
        lead = patterns().list_lead.match(listed.group(1))
        return (lead.group(0) if lead else "") + listed.group(3)
    return name


def _take_tail(s: Subject, n: Number, pre_raw: str, tail: str) -> None:
    """Name the value by the noun after it, when the text before names nothing of its own."""
    p = patterns()
    listed = p.list_before.search(pre_raw.rstrip())
    if n.unit_class == "percent":
        s.name = trim(s.name + tail)
        s.used_end = n.clause[1]
    elif len(s.name) > 4 and p.names_after.search(pre_raw) and not listed:
        s.name = trim(p.names_after.search(pre_raw).group(0) + tail)  # 因地制宜聚力打造1-2个主导产业
        s.name_from_after = True
        s.used_end = n.end + len(tail)
    elif not s.name or len(s.name) <= 4 or listed:
        if listed:  # 开工长深高速改扩建等2个项目 → 开工项目
            lead = p.list_action.match(pre_raw.strip())
            s.name = trim((lead.group(0) if lead else "") + tail)
        else:
            s.name = trim(s.name + tail)
        s.name_from_after = True
        s.used_end = n.end + len(tail)


def medal_name(name: str, medal: str, prev: list[Candidate], clause: tuple[int, int]) -> str:
    """南山健儿在杭州亚运会上斩获3金 → 杭州亚运会金牌; 3金1银: the silver of the same games."""
    base = trim(patterns().medal_verb.sub("", name))
    games = _AT_GAMES.search(base)
    base = games.group(1) if games else base
    if not base and prev and prev[-1].unit in MEDALS and prev[-1].clause == clause:
        base = prev[-1].name[:-2]
    return base + medal + "牌"
