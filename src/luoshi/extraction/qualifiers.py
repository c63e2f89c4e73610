"""Qualifier and verb of a value: the words around a number that say how it is meant.

Before the number: a year (2025年的57.7%), a qualifier (超, 约, 不低于: ``qualifiers.tsv``), and
before that a verb (``change_verbs.tsv``: 增长 → a change, 提高到 → a level reached); inside and
after it: 余/多, 左右/以上/以内.  A span of time is kept only as a level reached or a limit; a bare
number only as a ratio or an index (倍差降至1.67, 综合指数4.463).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .candidates import Number
from .lexicon import lexicon
from .naming import trim
from .patterns import CJK, patterns

YEAR_BEFORE = re.compile(r"(20\d\d)\s*年(?:的|底|末)?$")
NOTE_BEFORE = re.compile(r"[（(][^（()）\d]{1,12}[）)]$")  # （下同）: pingshan 2014, pingshan 2015
THRESHOLD_NEXT = re.compile(r"\d+(?:\.\d+)?[万亿]+元?(?=[\u4e00-\u9fff])(?!元)")
BIG_COUNT = re.compile(r"大(?=[\u4e00-\u9fff])")  # 7大产业集群, 4大夜经济示范区: N大 counts 个
_FROM_YEAR = re.compile(r"[由从](?:20\d\d年的?)?$")  # 由18小时缩短到5小时, 从2020年的…: a starting level
_FROM = re.compile(r"[由从]")


@dataclass(slots=True)
class Reading:
    """How a value is meant, read before and after it in its clause."""

    pos: int  # where the words before the value begin: the name ends here
    at_year: int | None  # a year written right before the value (2025年的57.7%)
    qualifier: str  # exact, about, at_least, at_most
    qual_after: bool  # the qualifier was written after the value (5%和2%以内)
    sign: int  # -1 after a verb of decrease
    reading: str  # "change" | "level" | ""
    verb: str  # the verb read before the value (增长, 提高到…), or ""
    big: bool  # N大 (7大产业集群): the number counts 个, and 大 opens no name


def read_reading(text: str, n: Number) -> Reading | None:
    """The qualifier and verb of ``n``, or None when the words around it show it is no value
    (a threshold or a capacity inside a name, a date, a bare number that is no ratio).  A bare
    N before 大 gets the unit 个 here (``n`` changes)."""
    pos, at_year = _year_before(text, n)
    qualifier, qm, pos = _qualifier_before(text, n, pos)
    if _inside_a_name(text, n, qm, qualifier, pos):
        return None
    qual_after = False
    inside = n.m.group("in1") or n.m.group("in2")
    if inside:
        qualifier = lexicon().qualifiers["inside"][inside]
    if n.after:
        qualifier = lexicon().qualifiers["after"][n.after]
        qual_after = True
    sign, reading, verb, qualifier, pos = _verb_before(text, n.clause, pos, qm, qualifier)
    r = Reading(pos, at_year, qualifier, qual_after, sign, reading, verb, False)  # positional, as Number
    if n.unit_class == "duration" and not _keeps_duration(text, n, r):
        return None
    if not _bare_number(text, n, r):
        return None
    return r


def _year_before(text: str, n: Number) -> tuple[int, int | None]:
    """Where the words before the value end, and a year written right before it (从2020年的53.2%
    提升到2025年的57.7%)."""
    clause, start = n.clause, n.start
    pos = start - (len(n.per.group(0)) if n.per else 0)
    if text[pos - 1 : pos] in "）)":
        note = NOTE_BEFORE.search(text, max(clause[0], pos - 14), pos)
        if note:
            pos = note.start()  # 同比增长（下同）10.0%: a note between the verb and the value
    at_year = None
    ym = YEAR_BEFORE.search(text, max(clause[0], start - 8), start)
    if ym and not patterns().base_before.search(text, max(clause[0], ym.start() - 3), ym.start()):
        at_year = int(ym.group(1))
        pos = ym.start()
    return pos, at_year


def _qualifier_before(text: str, n: Number, pos: int) -> tuple[str, re.Match | None, int]:
    """The qualifier written before the value (or before the whole a share is of), its match,
    and where the words before it end."""
    p = patterns()
    before = lexicon().qualifiers["before"]
    qualifier = "exact"
    qm = p.qual_before.search(text, max(n.clause[0], pos - 4), pos)
    share = n.fraction or n.unit_word == "成"
    scope_qm = p.share_of.search(text, max(n.clause[0], pos - 6), pos) if share and not qm else None
    if scope_qm:  # 超过全省一半: the qualifier stands before the whole it is a share of
        qualifier = before[scope_qm.group(1)]
    if qm:
        qualifier = before[qm.group(0)]
        pos = qm.start()
    return qualifier, qm, pos


def _inside_a_name(text: str, n: Number, qm: re.Match | None, qualifier: str, pos: int) -> bool:
    """A threshold (总投资超10亿元项目) or a capacity (兰州石化120万吨乙烯改造项目) inside a name."""
    p = patterns()
    end, clause = n.end, n.clause
    follow = text[end : end + 2]
    if (
        qm
        and qualifier == "at_least"
        and (n.unit_class == "measure" or not n.unit_word)
        and (
            (CJK.match(follow) and not p.not_a_noun.match(follow))
            or follow.startswith("的")
            or (follow.startswith("、") and THRESHOLD_NEXT.match(text, end + 1))
        )
    ):
        return True  # 总投资超10亿元项目, 城区人口超50万县, 超1000亿元的集群, 超500亿、1000亿集群
    return (
        n.unit_class == "measure"
        and bool(CJK.match(follow))
        and not p.not_a_noun.match(follow)
        and bool(p.facility_tail.search(text, end, clause[1]) or p.facility_ahead.match(text, end, clause[1]))
        and not p.action_end.search(text, clause[0], pos)
    )  # 开工建设兰州石化120万吨乙烯改造项目


def _verb_before(
    text: str, clause: tuple[int, int], pos: int, qm: re.Match | None, qualifier: str
) -> tuple[int, str, str, str, int]:
    """``(sign, reading, verb, qualifier, pos)``: the verb before the value (and before its
    qualifier), which says whether it is a change or a level; a qualifier may stand before the
    verb (降幅超过3%) or before an action verb (每个县至少建成1个…)."""
    p = patterns()
    lex = lexicon()
    sign, reading, verb = 1, "", ""
    vm = p.verb_before.search(text, max(clause[0], pos - 4), pos)
    if vm and vm.group(0) in ("增", "增加") and text[vm.start() - 1 : vm.start()] == "新":
        vm = None  # 新增 names a flow (新增就业), it is not a change verb
    if qualifier == "exact" and not qm and not vm:
        qa = p.qual_action.search(text, max(clause[0], pos - 8), pos)
        if qa:  # 每个县至少建成1个…: the qualifier stands before the action verb
            qualifier = lex.qualifiers["before"][qa.group(1)]
    if not vm and qm and qm.group(0) in lex.verbs:
        verb, (sign, reading) = qm.group(0), lex.verbs[qm.group(0)]  # 控制在: a qualifier word and a level verb
    if vm:
        verb = vm.group(0)
        sign, reading = lex.verbs[verb]
        pos = vm.start()
        if not qm:  # 降幅超过3%: a qualifier may also stand between the verb and the number
            qm2 = p.qual_before.search(text, max(clause[0], pos - 4), pos)
            if qm2:
                qualifier = lex.qualifiers["before"][qm2.group(0)] if qualifier == "exact" else qualifier
                pos = qm2.start()
    return sign, reading, verb, qualifier, pos


def _keeps_duration(text: str, n: Number, r: Reading) -> bool:
    """A span of time is a value only as a level reached or a limit (达到10.5年, 压缩至6个工作日
    以内), or the start of 由18小时缩短到5小时; never a date or a name.  A change of a span
    (比2015年增加115天) and the value of a count of days (优良天数242天) stand too."""
    clause, start = n.clause, n.start
    if _FROM_YEAR.search(text[max(clause[0], start - 8) : start]):
        return True
    spans = r.reading == "change" or patterns().duration_name.search(text, clause[0], r.pos)
    return not (
        CJK.match(text, n.end)
        or (n.unit_word in ("年", "个月") and r.reading != "level" and r.qualifier == "exact")
        or not (r.reading == "level" or r.qualifier != "exact" or spans)
    )


def _bare_number(text: str, n: Number, r: Reading) -> bool:
    """A number with no unit or magnitude: N大 counts 个; otherwise it stands only as a ratio
    after a level verb or an index's decimal value (倍差降至1.67, 综合指数4.463).  Sets
    ``r.reading`` for the starting level of 比值由3.27缩小至2.93."""
    p = patterns()
    clause, start, end = n.clause, n.start, n.end
    unit_word, mag, num = n.unit_word, n.mag, n.num
    if (
        not unit_word
        and not mag
        and text[max(clause[0], start - 1) : start] in ("由", "从")
        and p.ratio_moves_to.match(text, end)
        and p.ratio_name.search(trim(text[clause[0] : start - 1]))
    ):
        r.reading = "level"  # 城乡居民收入比值由3.27缩小至2.93: the starting ratio
    if not unit_word and not mag and num.isdigit() and BIG_COUNT.match(text, end):
        r.big = True
        n.unit_word, n.unit_class = "个", "count"
        return True
    if not unit_word and not mag and not n.fraction:
        name_pre = trim(_FROM.split(text[clause[0] : r.pos])[0])
        if (
            not (r.reading == "level" and p.ratio_name.search(name_pre))
            and not p.ratio_verb.search(text[clause[0] : start])
            and not ("." in num and p.index_name.search(name_pre))
        ):  # 空气质量综合指数4.463: an index's value
            return False
        if not p.ratio_name.search(name_pre):
            return False
    return True
