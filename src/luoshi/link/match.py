"""Which result of NEW answers a target of OLD (shared/spec/linking.md).

A result answers a target when all of these hold:

1. it is a ``result`` of the target's year (NEW reviews that year);
2. it measures the same indicator: the same canonical id (``data/indicators.tsv``), or, where
   an id is missing, a close name (bigram Dice of the normalised names, see :func:`same_indicator`);
3. its measure is comparable (change↔change, quantity↔quantity, rank↔rank) and its unit
   converts to the target's (``万人`` and ``人`` do; ``%`` and ``个百分点`` do not);
4. it stands for one year: a five-year average (``年均`` in its name or clause) never does, nor a
   change or a total stated in a five-year passage (:mod:`luoshi.link.period`); a level in such a
   passage (``城镇化率…提升到2025年的57.7%``) does, but only when NEW states no one-year figure.

Among the results that answer, the most specific statement wins (:func:`specificity`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..extraction.lexicon import lexicon
from ..model import Document, Indicator
from .period import Periods

# --- units -----------------------------------------------------------------------------------

_ALTERNATIVE = re.compile(r"[（(][^）)]*[）)]")

# Units of one dimension that convert (shared/spec/linking.md: "units that convert"), as
# base unit → (common unit, how many of it one base unit is). A unit not listed is its own.
EQUIVALENT_UNITS = {
    "斤": ("公斤", 0.5),
    "公斤": ("公斤", 1.0),
    "千克": ("公斤", 1.0),
    "吨": ("公斤", 1000.0),
    "亩": ("亩", 1.0),
    "公顷": ("亩", 15.0),
    "千瓦时": ("千瓦时", 1.0),
    "度": ("千瓦时", 1.0),
    "公里": ("公里", 1.0),
    "千米": ("公里", 1.0),
    "％": ("%", 1.0),
}


def split_unit(unit: str | None) -> tuple[float, str]:
    """``(factor, base unit)``: the magnitude word in front of a unit, as a factor.

    A bracket only names an alternative (``万户（套）`` is ``万户``); a unit of the lexicon
    keeps its own 千 (``千瓦`` is not a thousand 瓦, ``万千瓦`` is ten thousand 千瓦).

    >>> split_unit("万亿斤"), split_unit("亿元"), split_unit("万户（套）"), split_unit("%")
    ((1000000000000.0, '斤'), (100000000.0, '元'), (10000.0, '户'), (1.0, '%'))
    >>> split_unit("千瓦"), split_unit("万千瓦"), split_unit("万")
    ((1.0, '千瓦'), (10000.0, '千瓦'), (1.0, '万'))
    """
    unit = _ALTERNATIVE.sub("", (unit or "").replace(" ", ""))
    if unit in lexicon().units:
        return 1.0, unit
    for word, factor in _magnitudes():
        if unit.startswith(word) and len(unit) > len(word):
            return factor, unit[len(word) :]
    return 1.0, unit


@lru_cache(maxsize=4096)  # called for every target × result pair; a report has a few dozen units
def dimension(unit: str | None) -> tuple[float, str]:
    """``(factor, common unit)``: :func:`split_unit`, then one dimension's units made one.

    >>> dimension("万吨"), dimension("亿斤")
    ((10000000.0, '公斤'), (50000000.0, '公斤'))
    """
    factor, base = split_unit(unit)
    common, per = EQUIVALENT_UNITS.get(base, (base, 1.0))
    return factor * per, common


@lru_cache(maxsize=1)
def _magnitudes() -> tuple[tuple[str, float], ...]:
    return tuple(sorted(lexicon().magnitudes.items(), key=lambda kv: -len(kv[0])))


def convert(value: float, unit: str | None, to_unit: str | None) -> float | None:
    """``value`` in ``unit`` expressed in ``to_unit``, or None when the units do not convert.

    >>> convert(13900, "亿斤", "万亿斤"), convert(1300, "万吨", "亿斤")
    (1.39, 260.0)
    >>> convert(5.2, "%", "个百分点") is None
    True
    """
    f1, base1 = dimension(unit)
    f2, base2 = dimension(to_unit)
    if base1 != base2:
        return None
    return round(value * f1 / f2, 10)


def comparable(target: Indicator, result: Indicator) -> bool:
    """Same measure, and units that convert; ranks have no unit but must share their scope
    when both name one (全国第3 is not 全省第3)."""
    if target.measure != result.measure:
        return False
    if target.measure == "rank":
        return not (target.scope and result.scope) or target.scope == result.scope
    return dimension(target.unit)[1] == dimension(result.unit)[1]


# --- names -----------------------------------------------------------------------------------

# Words around an indicator's name that do not change what is measured.
NAME_LEAD = re.compile(
    r"^(?:20\d\d年|预计|初步统计|其中|力争|确保|实现|完成|保持|达到|全年|全省|全市|全区|全州|全县|全国|"
    r"全体|全社会|我省|我市|我区|本省|本市|地区)+"
)
NAME_TRAIL = re.compile(
    r"(?:(?:贸易)?总额|(?<!生产)总值|同口径|增速|增幅|增长率|增长|涨幅|降幅|下降|降低|提高|首次|实际|总量|年均|预期目标|目标)+$"
)
NAME_DROP = re.compile(r"常住居民|居民|\s")  # 城镇常住居民人均可支配收入 = 城镇人均可支配收入
FIVE_YEAR_AVERAGE = "年均"


@lru_cache(maxsize=65536)  # pure: every target's and result's name, many times over
def normalise_name(name: str | None) -> str:
    """The name with region words, verbs and measure words stripped.

    >>> normalise_name("全省地区生产总值"), normalise_name("单位国内生产总值能耗降幅")
    ('生产总值', '单位国内生产总值能耗')
    >>> normalise_name("农村常住居民人均可支配收入"), normalise_name("粮食产量首次")
    ('农村人均可支配收入', '粮食产量')
    """
    name = NAME_DROP.sub("", name or "")
    while True:
        before = name
        name = NAME_TRAIL.sub("", NAME_LEAD.sub("", name))
        if name == before or not name:
            return name or before


@lru_cache(maxsize=1)
def _canonical() -> tuple[dict[str, str], dict[str, str]]:
    """(normalised name → id, id → direction) from the indicator lexicon."""
    names: dict[str, str] = {}
    directions: dict[str, str] = {}
    for name, ind_id, direction in reversed(lexicon().indicators):  # longest name last: it wins
        names[normalise_name(name)] = ind_id
        directions[ind_id] = direction
    return names, directions


def canonical_id(rec: Indicator) -> str | None:
    """The record's canonical id, else the id its normalised name has in the lexicon.

    A name is looked up whole, never by a part of it: ``海洋生产总值`` is not ``gdp``.
    """
    if rec.indicator_id:
        return rec.indicator_id
    return _canonical()[0].get(normalise_name(rec.indicator))


def direction(indicator_id: str | None) -> str | None:
    """``up`` or ``down`` for a canonical id, None when the id is unknown."""
    return _canonical()[1].get(indicator_id) if indicator_id else None


@lru_cache(maxsize=65536)  # pure; a name is compared with every result's
def bigrams(s: str) -> frozenset[str]:
    """The string's character bigrams (the string itself when shorter than two)."""
    return frozenset({s[i : i + 2] for i in range(len(s) - 1)} or ({s} if s else ()))


def dice(a: str, b: str) -> float:
    """Bigram Dice similarity of two strings (1.0 for equal ones).

    >>> dice("海洋生产总值", "生产总值")
    0.75
    """
    A, B = bigrams(a), bigrams(b)
    if not A or not B:
        return 0.0
    return 2 * len(A & B) / (len(A) + len(B))


# A name close to another: Dice at least CLOSE (设市城市生活污水集中收集率 ~ 城市生活污水集中收集率;
# not 海洋生产总值 ~ 生产总值 at 0.75, nor 新增智能制造标杆企业 ~ 新增智能制造企业 at 0.75). A name
# counting what is new (新增…, 新建…) never matches one that does not: a flow is not a stock
# (新建智能化煤矿130座 is not 智能化煤矿达到400座).
CLOSE = 0.8
NEW_WORDS = re.compile(r"^(?:新增|新建|新开|新培育|新认定|新引进|新招引|新改建)")


def close_names(a: str, b: str) -> bool:
    """Whether two normalised names name the same thing.

    >>> close_names("省级专精特新中小企业", "培育省级专精特新中小企业"), close_names("海洋生产总值", "生产总值")
    (True, False)
    >>> close_names("绿色有机食品基地面积", "新增绿色有机食品基地面积")
    False
    """
    if a == b:
        return True
    if bool(NEW_WORDS.match(a)) != bool(NEW_WORDS.match(b)):
        return False
    return dice(a, b) >= CLOSE


def same_indicator(target: Indicator, result: Indicator) -> str | None:
    """How the two records name the same indicator: ``"id"``, ``"name"``, or None.

    With both ids known they must be equal; otherwise the normalised names must be close.
    """
    t_id, r_id = canonical_id(target), canonical_id(result)
    if t_id and r_id:
        return "id" if t_id == r_id else None
    return "name" if close_names(normalise_name(target.indicator), normalise_name(result.indicator)) else None


# --- one year or five ------------------------------------------------------------------------

LEVEL_UNITS = ("%", "‰", "")
LEVEL_WORDS = re.compile(r"率|比重|占比|比例|强度|人均|指数|水平|倍差|收入比")
# Verbs that state a level reached (records.md: 提高到/提升至/达到/降至 mark a level), as opposed to
# a bare count over the period (城镇新增就业603.7万人 in a five-year passage is a five-year sum).
LEVEL_VERBS = re.compile(
    r"达到|达|突破|超过|超|跃上|迈上|站上|跨越|提高到|提升到|提升至|提高至|增加到|增加至|增至|"
    r"降至|降到|下降到|稳定在|保持在|由[^，；。]*(?:到|至)|从[^，；。]*(?:到|至)"
)
PERIOD_SUM = re.compile(r"累计|五年|(?<![\d.])5年|年均")


def is_average(rec: Indicator) -> bool:
    """A five-year average (年均 in the name or the clause): never one year's figure."""
    return FIVE_YEAR_AVERAGE in (rec.indicator or "") or FIVE_YEAR_AVERAGE in (rec.evidence or "")


def is_level(rec: Indicator) -> bool:
    """A level at a point in time — a rate, share, intensity or per-head figure, a rank, or an
    amount the clause says was reached (``地区生产总值突破2万亿元、达到23562亿元``) — as opposed to
    a count over the period (``城镇新增就业603.7万人``)."""
    if rec.measure == "rank":
        return True
    if rec.measure != "quantity":
        return False
    return (
        dimension(rec.unit)[1] in LEVEL_UNITS
        or bool(LEVEL_WORDS.search(rec.indicator or ""))
        or bool(LEVEL_VERBS.search(rec.evidence or ""))
    )


@dataclass(frozen=True)
class Statement:
    """A result of NEW with what matching needs to know about where it stands."""

    record: Indicator
    period: bool  # stated in a five-year passage
    depth: int  # heading levels above it: the detailed paragraph is deeper than the summary

    @property
    def one_year(self) -> bool:
        return not self.period

    def stands_for_one_year(self) -> bool:
        """Whether the figure may stand for the year at all (see the module docstring)."""
        rec = self.record
        if is_average(rec):
            return False
        if self.period:
            return is_level(rec) and not PERIOD_SUM.search(rec.evidence or "")
        return True


def statements(doc: Document) -> list[Statement]:
    """Every indicator result of a document, with its passage and depth."""
    periods = Periods(doc)
    out = []
    for rec in doc.records:
        if isinstance(rec, Indicator) and rec.kind == "result":
            depth = rec.section.count(" / ") + 1 if rec.section else 0
            out.append(Statement(rec, rec.start in periods, depth))
    return out


# --- choosing --------------------------------------------------------------------------------

PRECISION = {"exact": 2, "about": 1, "at_least": 0, "at_most": 0}


@dataclass(frozen=True)
class Candidate:
    statement: Statement
    basis: str  # "id" or "name"
    similarity: float  # Dice of the normalised names

    @property
    def record(self) -> Indicator:
        return self.statement.record


def specificity(c: Candidate) -> tuple:
    """Sort key, larger is more specific. In order:

    1. a one-year statement over a level read from a five-year passage;
    2. an exact figure over an approximate one over a bound (``增长5.2%`` over ``超过5%``);
    3. the deeper heading path: the detailed paragraph over the summary;
    4. the closer name;
    5. the earlier statement.
    """
    s = c.statement
    return (s.one_year, PRECISION.get(c.record.qualifier, 0), s.depth, c.similarity, -c.record.start)


@dataclass(frozen=True)
class Match:
    """The chosen result (or None) and, when none, why."""

    result: Indicator | None
    basis: str | None
    note: str = ""


def _shelf(rec: Indicator) -> tuple:
    """Where :func:`comparable` results of ``rec`` can be: the same year, measure and (but for
    ranks) unit dimension."""
    return rec.year, rec.measure, None if rec.measure == "rank" else dimension(rec.unit)[1]


def shelves(pool: list[Statement]) -> dict[tuple, list[Statement]]:
    """The results of ``pool`` by :func:`_shelf`, each shelf in the pool's order, so that a
    target is compared only with the results it could match (same answers, far fewer tries)."""
    out: dict[tuple, list[Statement]] = {}
    for s in pool:
        if s.record.kind == "result":
            out.setdefault(_shelf(s.record), []).append(s)
    return out


def match_target(target: Indicator, pool: list[Statement], index: dict[tuple, list[Statement]] | None = None) -> Match:
    """The most specific result in ``pool`` that answers ``target`` (``index``: the pool's
    :func:`shelves`, to look only where a match can be)."""
    found: list[Candidate] = []
    set_aside: list[Indicator] = []
    t_name = normalise_name(target.indicator)
    for s in pool if index is None else index.get(_shelf(target), ()):
        r = s.record
        if r.year != target.year or r.kind != "result" or not comparable(target, r):
            continue
        basis = same_indicator(target, r)
        if basis is None:
            continue
        if not s.stands_for_one_year():
            set_aside.append(r)
            continue
        found.append(Candidate(s, basis, dice(t_name, normalise_name(r.indicator))))
    if found:
        best = max(found, key=specificity)
        return Match(best.record, best.basis)
    if set_aside:
        r = set_aside[0]
        return Match(None, None, f"NEW gives only a five-year figure ({r.evidence})")
    if not any(s.record.year == target.year for s in pool):
        return Match(None, None, f"NEW reports no results of {target.year}")
    return Match(None, None, f"NEW reports no {target.measure} of this indicator for {target.year}")
