"""Number candidates: what one match of the number pattern (``patterns.number``) says — its
value, magnitude and unit — and the tests that drop a match that is no amount before its clause
is read: a year, a numeral inside a word or a longer number, a number inside quotes or a title,
a neighbour from ``exclusions.tsv``, a count that restates the list before it, a threshold
inside a name (年产值50亿元以上农业全产业链)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .context import Context
from .lexicon import lexicon
from .numerals import parse_arabic, parse_chinese
from .patterns import CJK, patterns

OPEN_QUOTE = re.compile(r"[“「『][^”」』]{0,8}$")
ASCII_QUOTE = re.compile(r'"[^"]{0,8}$')  # "415X": opening or closing? an odd count in the clause opens
OPEN_TITLE = re.compile(r"《[^》]{0,30}$")
PER_VOLUME = re.compile(r"每立方米$")
MEDALS = ("金", "银", "铜")
MEDAL_RUN = re.compile(r"\d+金\d+银(?:\d+铜)?")
GENERIC_CLASSIFIERS = ("个", "家", "项", "件", "条", "所", "座", "名", "宗", "处")  # 100个以上项目 counts its noun
CONJ_NEXT = re.compile(r"、|和|与|或")
_RUN_BEFORE = re.compile(r"[\u4e00-\u9fff（）、]+$")  # 高清路、…、城冯路（龙化段）4条乡道
_ITEM_SPLIT = re.compile(r"[、和及与]")
_QUOTED_BEFORE = re.compile(r"“([^”]{1,16})”$")
_HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass(slots=True)
class Number:
    """A match read as an amount, before its clause is read."""

    m: re.Match
    start: int  # of the number
    end: int  # of the whole match (number, unit, qualifier)
    num: str  # the number as written (the first of a range)
    value: float
    mag: str  # 万, 亿…
    unit_word: str  # 个, 元, %… ("" when none); a bare N before 大 counts 个 (qualifiers.py)
    unit_class: str  # units.tsv: percent, duration, measure, count, multiple, or ""
    fraction: str | None  # 一半
    per: re.Match | None  # 每立方米 written before the number (PM2.5浓度每立方米19.1微克)
    clause: tuple[int, int]
    after: str  # the qualifier word after the number and unit (左右, 以上…), or ""


@dataclass
class Candidate:
    """A number read in its clause, before coordination is resolved."""

    start: int  # of the number
    end: int  # of the whole match (number, unit, qualifier)
    value: float
    value_max: float | None
    unit: str
    unit_class: str
    qualifier: str
    sign: int
    reading: str  # "change" | "level" | ""
    name: str
    name_from_after: bool
    used_end: int  # end of the text this value's name was read from
    split_mark: str  # 分别/均/各/都 standing before the value, or ""
    subjects: list[str] | None  # names read around 分别 standing inside the name
    from_value: bool  # 由X增加到Y: X is the starting level, a year earlier
    verb: str  # the verb read before the value (增长, 提高到…), or ""
    at_year: int | None  # a year written right before the value (2025年的57.7%)
    qual_after: bool  # the qualifier was written after the value (5%和2%以内)
    ranked: bool  # 排名/位次 stands before the value: N位 is a position
    time_words: str | None  # "年均" or "" when the name was only time words (五年年均增长), to add to an inherited name
    clause: tuple[int, int]


def read_number(ctx: Context, text: str, m: re.Match, prev: list[Candidate]) -> Number | None:
    """The amount a match writes, or None when it is none; ``prev``: the candidates before."""
    num = m.group("num")
    start = m.start()
    unit_word = m.group("unit") or ""
    mag = m.group("mag") or ""
    fraction = m.group("half")
    # 超百亿, 破千亿, 近百个, 千余场, 超万亿元, 破万: a magnitude written only in words
    word_mag = m.group("bare") or (
        num in ("百", "千") and (patterns().qual_before.search(text, max(0, start - 4), start) or m.group("in1"))
    )
    if not _may_be_amount(ctx, text, m, unit_word, mag, word_mag):
        return None
    arabic = num[0].isdigit() or bool(fraction)
    before = text[max(0, start - 12) : start]
    per = PER_VOLUME.search(before) if unit_word in ("微克", "毫克") else None
    if per or (
        unit_word in ("微克", "毫克")
        and prev
        and prev[-1].clause == ctx.clause(start)
        and prev[-1].unit.endswith("/立方米")
    ):
        unit_word += "/立方米"  # PM2.5浓度由每立方米19.1微克降至17.2微克: 微克/立方米
        before = before[: per.start()] if per else before
    if _excluded(ctx, text, m, before, unit_word, mag):
        return None
    if fraction:
        value = 0.5
    elif m.group("bare"):
        value, mag = 1.0, num + mag  # 超万亿元 → 1 万亿元
    elif not arabic:
        value = _chinese_value(ctx, text, m, before, unit_word, word_mag, prev)
        if value is None:
            return None
    elif len(num) > 15:
        return None  # past float precision: a code or an identifier, not a figure
    else:
        value = parse_arabic(num)
    return _with_unit(ctx, text, m, value, mag, unit_word, arabic, per)


def _may_be_amount(ctx: Context, text: str, m: re.Match, unit_word: str, mag: str, word_mag) -> bool:
    """Not a share without 占 or a qualifier, a Chinese numeral without a unit, a year, or a
    numeral inside a longer number."""
    num, start = m.group("num"), m.start()
    if m.group("half") or unit_word == "成":
        # 占全国1/4, 近1/5, 占全市三成以上, 一半以上: a share, only with 占 or a qualifier
        p = patterns()
        if (
            m.group("pct1")
            or m.group("num2")
            or not (
                "占" in text[ctx.clause(start)[0] : start]
                or p.qual_before.search(text, max(0, start - 4), start)
                or p.share_of.search(text, max(0, start - 6), start)
                or m.group("after")
            )
        ):
            return False
    elif not num[0].isdigit() and not word_mag and (num == "一" or not (unit_word or mag)):
        return False  # 一般, 统一, 三农: Chinese numerals count only with a unit
    if unit_word == "年" and num.isdigit() and len(num) == 4:
        return False  # 2020年: a year
    # A match that starts inside a longer number, or a numeral inside a word.
    return not (start and (text[start - 1].isdigit() or text[start - 1] == "."))


def _excluded(ctx: Context, text: str, m: re.Match, before: str, unit_word: str, mag: str) -> bool:
    """A neighbour says the number is no amount: exclusions.tsv, quotes, a title, a grade."""
    p = patterns()
    num, start = m.group("num"), m.start()
    if (
        p.exclude_before.search(before)
        or OPEN_QUOTE.search(before)
        or OPEN_TITLE.search(text, max(0, start - 30), start)
    ):
        return True
    if '"' in before and ASCII_QUOTE.search(before) and text.count('"', ctx.clause(start)[0], start) % 2:
        return True  # inside "…" written with ASCII quotes; 拆除"一区三边"违法建设12万平方米 is outside
    after_num = m.end("num") if m.group("num2") is None else m.end("num2")
    rest = text[after_num : after_num + 6]
    if not mag and not unit_word and p.exclude_after.match(rest):
        return True
    if text.startswith("级", m.end()) or (unit_word == "人" and text.startswith("制", m.end())):
        return True  # 100亿级产业名镇, 四星级, 3人制篮球场: a grade or a format, not an amount
    if unit_word in MEDALS and not any(
        a.start() <= start < a.end() for a in MEDAL_RUN.finditer(text, max(0, start - 12), start + 12)
    ):
        return True  # 金/银/铜 count medals only in a run: 3金1银2铜
    # 二期项目, 1期试点: a phase, not a count of issues (举办院士讲堂12期)
    return unit_word == "期" and bool(not num[0].isdigit() or _HAN.match(text[m.end() : m.end() + 1]))


def _chinese_value(
    ctx: Context, text: str, m: re.Match, before: str, unit_word: str, word_mag, prev: list[Candidate]
) -> float | None:
    """The value of a Chinese numeral, when it counts: after a counting verb (新增两家) or as a
    magnitude in words (超百亿); not inside a project's name, a slogan or an idiom."""
    lex = lexicon()
    p = patterns()
    num, start = m.group("num"), m.start()
    value = parse_chinese(num)
    if value is None or num == "一":
        return None
    if not word_mag and unit_word != "成" and (not unit_word or not p.count_verb.search(before)):
        return None
    if (
        (word_mag or lex.units.get(unit_word) != "count")
        and CJK.match(text, m.end())
        and (p.facility_tail.search(text, m.end(), ctx.clause(start)[1]) or p.facility_ahead.match(text, m.end()))
    ):
        return None  # 实施百亿斤粮食产能提升工程: a magnitude in words inside a project's name
    if word_mag and prev and prev[-1].name_from_after and prev[-1].start < start < prev[-1].used_end:
        return None  # 新增1个经济总量近千亿、…的县市: inside the noun a count just named
    if not word_mag and text.startswith(lex.count_phrases, m.end()):
        return None  # 八个方面, 三个“一号工程”, 十项重大工程: structures and names, not counts
    around = text[max(0, start - 3) : m.end() + 3]
    if any(idiom in around for idiom in lex.idioms):
        return None
    return value


def _with_unit(
    ctx: Context, text: str, m: re.Match, value: float, mag: str, unit_word: str, arabic: bool, per: re.Match | None
) -> Number | None:
    """The unit and its class: written once for coordinated numbers, 人 before a noun for people;
    None for a bare year, a count restating its list, or a threshold inside a name."""
    lex = lexicon()
    num, start, fraction = m.group("num"), m.start(), m.group("half")
    if (unit_word == "个" or not unit_word) and not mag and arabic and not fraction:
        shared = _shared_unit(text, m.end(), unit_word)
        if shared:  # 高于全省22.7和28.8个百分点, 分别压缩65、45个工作日: the unit written once
            mag, unit_word = shared
    if len(num) == 4 and arabic and not unit_word and not mag and 1900 <= value <= 2100:
        return None
    unit_class = lex.units.get(unit_word, "")
    if unit_class == "count" and _restates_list(text, start, value):
        return None  # 帆船和沙滩排球两项赛事, 兰州新区、西固2个化工园区: the list just before
    if not unit_word and mag:
        if mag not in ("万", "亿", "万亿"):
            return None  # 人才总量超719万, 迈上5万亿台阶; 3千 alone is no amount
        unit_class = "count"
    clause = ctx.clause(start)
    if not unit_word and mag and _counts_people(text, m.end(), clause[1]):
        unit_word = "人"  # 为80万重点群体提供…: a number straight before a noun for people counts 人
    after = m.group("after") or ""
    # A threshold inside a name: 年产值50亿元以上农业全产业链, 集体经营性收入50万元以上行政村.
    if (
        after in ("以上", "以下", "及以上", "及以下")
        and m.end() < clause[1]
        and CJK.match(text, m.end())
        and (unit_class != "count" or unit_word not in GENERIC_CLASSIFIERS)
        and not (unit_class == "percent" and text.startswith("的", m.end()))
    ):  # 60%以上的县级特困供养机构
        return None
    # positional, in the fields' order: a call with keywords builds a dict, for every number
    return Number(m, start, m.end(), num, value, mag, unit_word, unit_class, fraction, per, clause, after)


def _restates_list(text: str, start: int, value: float) -> bool:
    """True when a count only restates the list standing right before it."""
    q = _QUOTED_BEFORE.search(text, max(0, start - 20), start)
    if q and len(q.group(1)) == value and re.fullmatch(r"[\u4e00-\u9fff]+", q.group(1)):
        return True  # “牛羊菜果薯药粮种”8个产业集群
    if value < 2 or value > 13:
        return False
    r = _RUN_BEFORE.search(text, max(0, start - 80), start)
    if not r or patterns().list_verb.search(r.group(0)):
        return False
    # The items of the list ending at the number: each of 1 to 12 characters; a longer first item
    # is cut (兰州新区、西固2个化工园区 → 2 items).
    parts = _ITEM_SPLIT.split(r.group(0))
    if len(parts) < 2 or not 1 <= len(parts[-1]) <= 12:
        return False
    n = 1
    for part in reversed(parts[:-1]):
        if not part:
            break
        n += 1
        if len(part) > 12 or n == 13:
            break
    return n == value


def _shared_unit(text: str, end: int, own: str = "") -> tuple[str, str] | None:
    """(magnitude, unit) of the next number when a bare number is coordinated with it."""
    cm = CONJ_NEXT.match(text, end)
    if not cm:
        return None
    nm = patterns().number.match(text, cm.end())
    if nm is None or not nm.group("num")[0].isdigit() or nm.group("num2"):
        return None
    unit = nm.group("unit") or ""
    if own == "个" and unit == "个百分点":
        return "", unit  # 分别高于全国12.7个、12个百分点
    if own or not unit or lexicon().units.get(unit) == "duration" and "工作日" not in unit:
        return None  # 2023和2024年: years
    return nm.group("mag") or "", unit


def _counts_people(text: str, end: int, stop: int) -> bool:
    """True when a noun for people (people.tsv) follows the number within a short phrase:
    17万党员干部, 1000万保定人民, 240万省外脱贫劳动力 — the number counts people."""
    p = patterns()
    m = p.people.match(text, end, stop)
    return bool(m) and not p.not_people.search(m.group(0))
