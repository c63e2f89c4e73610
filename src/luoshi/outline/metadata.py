"""Report metadata: title, region, level, document type, years, speaker, date.

Region and level come from the report's own words, tried in order (``SELF_NAMES``): the
by-line ``我代表XX人民政府``, the congress line ``在XX第N届人民代表大会``, the title, a
scraper's 发文单位 field, the speaker's office ``XX人民政府市长``.  Each is looked up in the
gazetteer ``data/regions.tsv`` (every province, prefecture and county-level unit, from an
adcode table) and ``data/region_aliases.tsv``; the most specific unit named wins, a name
shared by several units is settled by the parent the text names most.  A by-line that names
no place (``我代表区人民政府``) still tells the kind of government (区, 县, 市, 省); the unit of
that kind the text names most is taken.  The document type comes from ``data/doc_types.tsv``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..model import Metadata, OutlineNode

HEAD_CHARS = 800  # title, by-line and speaker are looked for in the report's opening
OPENING_CHARS = 400  # the opening that tells the document type
TALLY_CHARS = 30000  # where place names are counted when the by-line names none
CN_NUM = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
DATE = re.compile(
    r"((?:20|19)\d\d|[二〇零一三四五六七八九]{4})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日"
)
ISO_DATE = re.compile(r"((?:20|19)\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
SPEAKER = re.compile(
    r"(?<!副)(总理|代理?省长|省长|代理?市长|市长|代理?主席|自治区主席|主席|代理?县长|县长|代理?区长|区长|州长|盟长|旗长)[\s\u3000]*([\u4e00-\u9fff]{2,3}?)(?=作|在|的|代表|\s|\n|，|$|同志)"
)
TITLE = re.compile(r"政府工作报告|统计公报|的报告$")
NAME = re.compile(r"[\u4e00-\u9fff][\u4e00-\u9fff\s\u3000]{1,4}")
NATIONAL = re.compile(r"在第?[一二三四五六七八九十]{1,3}届全国人民代表大会|国务院总理|代表国务院")

# Where a report names its own government, in the order they are trusted.  Each pattern's
# group 1 holds the place (or only the kind of government: 区, 市, 省 …).
SELF_NAMES: tuple[tuple[str, re.Pattern], ...] = (
    # 我代表龙岗区人民政府 / 我代表坪山新区管委会 / 我代表坪山区政府筹备组 / 我代表市人民政府
    ("by-line", re.compile(r"我(?:谨)?代表([^\s，。、：“”]{0,16}?)(?:人民政府|政府筹备组|管委会|管理委员会|政府)")),
    # 在保定市第十五届人民代表大会第六次会议上 / 高阳县第十八届人民代表大会第三次会议隆重开幕
    ("congress", re.compile(r"([^\s，。、：“”（(]{1,16}?)第?[一二三四五六七八九十]{1,3}届人民代表大会")),
    # 保定市人民政府市长 郭建英
    (
        "office",
        re.compile(r"([^\s，。、：“”]{1,16}?)人民政府(?:代理?|常务副)?(?:省长|市长|县长|区长|主席|州长|盟长|旗长)"),
    ),
)
# The kind of government a bare by-line names (我代表区人民政府), by the word's last characters.
KIND_SUFFIX = {
    "自治区": ("自治区",),
    "省": ("省",),
    "市": ("市",),
    "县": ("县",),
    "自治县": ("自治县",),
    "区": ("区",),
    "州": ("自治州",),
    "自治州": ("自治州",),
    "盟": ("盟",),
    "旗": ("旗",),
    "自治旗": ("自治旗",),
    "新区": ("新区", "区"),
}
LEVEL_ORDER = {"county": 0, "municipal": 1, "provincial": 2}


@dataclass(frozen=True)
class Region:
    adcode: str
    name: str
    short: str
    level: str
    parent: str
    province: str
    current: bool

    @property
    def qualified(self) -> str:
        """The name a report is filed under: a county-level unit with its parent (深圳市龙岗区),
        since many share a name (南山区 of 深圳市 and of 鹤岗市)."""
        return self.parent + self.name if self.level == "county" and self.parent else self.name


def _cn_int(s: str) -> int:
    if s.isdecimal():
        return int(s)
    if all(c in CN_NUM for c in s):  # 二〇二六 read digit by digit
        return int("".join(str(CN_NUM[c]) for c in s))
    if s.startswith("十"):
        return 10 + (CN_NUM.get(s[1], 0) if len(s) > 1 else 0)
    if "十" in s:
        tens, _, ones = s.partition("十")
        return CN_NUM[tens] * 10 + (CN_NUM[ones] if ones else 0)
    return CN_NUM.get(s, 0)


def _table(name: str) -> list[list[str]]:
    data = resources.files("luoshi.data").joinpath(name).read_text(encoding="utf-8")
    return [line.split("\t") for line in data.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def gazetteer() -> tuple[list[Region], dict[str, list[Region]]]:
    """The units of ``data/regions.tsv`` and an index from every form a text may write
    (full name, short form, alias) to the units it names."""
    units = []
    for row in _table("regions.tsv"):
        adcode, name, short, level, parent, province, status = (row + [""] * 7)[:7]
        units.append(Region(adcode, name, short, level, parent, province, status != "former"))
    by_code = {u.adcode: u for u in units if u.current}
    index: dict[str, list[Region]] = {}
    for u in units:
        for form in (u.name, u.short):
            if form and u not in index.setdefault(form, []):
                index[form].append(u)
    for alias, adcode, *_note in _table("region_aliases.tsv"):
        if adcode in by_code:
            index.setdefault(alias, []).insert(0, by_code[adcode])
    return units, index


@lru_cache(maxsize=None)
def region_order(region: str | None) -> tuple[str, str]:
    """A sort key that lists regions in the official order (GB/T 2260 codes: 北京 before 河北
    before 浙江, a province before its cities and districts); the State Council first, unknown
    names last by name.

    >>> sorted(["浙江省", "深圳市龙岗区", "河北省", "国务院", "保定市", "某地"], key=region_order)
    ['国务院', '河北省', '保定市', '浙江省', '深圳市龙岗区', '某地']
    """
    if not region:
        return ("999999", "")
    if region == "国务院":
        return ("000000", region)
    return (_codes().get(region) or "999999", region)


@lru_cache(maxsize=1)
def _codes() -> dict[str, str]:
    """Every current unit's filed name (浙江省, 保定市, 深圳市龙岗区) → its code."""
    units, _index = gazetteer()
    return {u.qualified: u.adcode for u in units if u.current}


@lru_cache(maxsize=1)
def _prefixes() -> dict[str, tuple[int, ...]]:
    """First two characters of every form → the lengths of the forms that start so, longest
    first: a position whose two characters start no name is passed at once."""
    lengths: dict[str, set[int]] = {}
    for form in gazetteer()[1]:
        lengths.setdefault(form[:2], set()).add(len(form))
    return {k: tuple(sorted(v, reverse=True)) for k, v in lengths.items()}


def _mentions(text: str, full_only: bool = False):
    """(form, start) of every place name in ``text``, longest first at each position, not
    overlapping; ``full_only``: full names and aliases, not short forms."""
    index = gazetteer()[1]
    prefixes = _prefixes()
    i, n = 0, len(text)
    while i < n - 1:
        for k in prefixes.get(text[i : i + 2], ()):
            form = text[i : i + k]
            if (
                len(form) == k
                and form in index
                and (not full_only or any(u.name == form for u in index[form]) or form.endswith("新区"))
            ):
                yield form, i
                i += k
                break
        else:
            i += 1


def _tally(text: str) -> Counter:
    """How often each form is named in ``text``."""
    return Counter(form for form, _ in _mentions(text))


def _settle(candidates: list[Region], spot: str, text: str) -> Region:
    """One unit of several that share a name: the one whose parent or province the spot or
    the text names most; a current unit before a former one."""
    index = gazetteer()[1]

    def weight(u: Region) -> tuple:
        named = 0
        for above in (u.parent, u.province):
            if not above:
                continue
            named += (above in spot) * 1000
            short = next((r.short for r in index.get(above, []) if r.name == above), "")
            named += text.count(above) + (text.count(short) if short else 0)
        return (named, u.current, -int(u.adcode))

    return max(candidates, key=weight)


def _resolve(spot: str, text: str) -> Region | None:
    """The most specific unit named in full in ``spot``."""
    index = gazetteer()[1]
    found = []
    for form, _ in _mentions(spot, full_only=True):
        units = [u for u in index[form] if u.name == form] or index[form]
        found.append(units[0] if len(units) == 1 else _settle(units, spot, text))
    if not found:
        return None
    return min(found, key=lambda u: LEVEL_ORDER[u.level])


def _kind(spot: str) -> str | None:
    """The kind of government a by-line names without a place: 区, 县, 市, 省, 自治区 …"""
    spot = spot.strip()
    for word in sorted(KIND_SUFFIX, key=len, reverse=True):
        if spot.endswith(word) and len(spot) <= len(word) + 1:
            return word
    return None


def _most_named(text: str, kind: str | None) -> Region | None:
    """The unit (of ``kind`` when given) the text names most."""
    index = gazetteer()[1]
    tally = _tally(text)
    scores: Counter = Counter()
    for form, n in tally.items():
        for u in index[form]:
            # 城区, 郊区, 矿区, 和县 are words too: only a by-line naming them in full tells them
            if not u.short or (kind and not u.name.endswith(KIND_SUFFIX[kind])):
                continue
            scores[u] += n
    if not scores:
        return None
    best = max(scores.values())
    top = [u for u, s in scores.items() if s == best]
    return top[0] if len(top) == 1 else _settle(top, "", text)


def _region(text: str, head: str, fields: dict[str, str]) -> tuple[str | None, str | None]:
    if NATIONAL.search(head):
        return "国务院", "national"
    body = text[:TALLY_CHARS]
    spots: list[str] = []
    kind = None
    for _name, pattern in SELF_NAMES:
        for m in pattern.finditer(head):
            spots.append(m.group(1))
            kind = kind or _kind(m.group(1))
    spots += [line for line in head.split("\n", 3)[:3] if "报告" in line]
    spots += [fields[k] for k in ("title", "issuer", "speaker") if fields.get(k)]
    for spot in spots:
        unit = _resolve(spot, body)
        if unit:
            return unit.qualified, unit.level
    # No place named where the report names itself: the unit the text names most.
    unit = _most_named(body, kind)
    return (unit.qualified, unit.level) if unit else (None, None)


def _title_lines(head: str) -> list[str]:
    """The opening lines that may be a title: short, and no sentence (，。) in them."""
    return [line for line in head.split("\n")[:6] if len(line) <= 80 and not re.search("[，。]", line)]


@lru_cache(maxsize=1)
def doc_type_rules() -> list[tuple[str, str, re.Pattern]]:
    """Rows of ``data/doc_types.tsv``: (doc_type, where, pattern)."""
    return [(t, where, re.compile(p)) for t, where, p, *_example in _table("doc_types.tsv")]


def doc_type(text: str, fields: dict[str, str] | None = None) -> str:
    """``work_report``, ``statistical_bulletin``, ``budget_report``, ``plan_report`` or
    ``other``, from the title lines, a scraper's 标题 field and the opening."""
    return _doc_type(text, fields)[0]


def _doc_type(text: str, fields: dict[str, str] | None) -> tuple[str, str]:
    """The document type and the line that told it."""
    title = "\n".join(_title_lines(text[:HEAD_CHARS]) + [(fields or {}).get("title", "")])
    opening = text[:OPENING_CHARS]
    for kind, where, pattern in doc_type_rules():
        m = pattern.search(title if where == "title" else opening)
        if m:
            end = m.string.find("\n", m.end())
            return kind, m.string[m.string.rfind("\n", 0, m.start()) + 1 : end if end >= 0 else None]
    return "other", ""


def _date(s: str, pattern: re.Pattern) -> tuple[int, str] | None:
    d = pattern.search(s)
    if not d:
        return None
    y, mo, da = (_cn_int(x) for x in d.groups())
    if 1949 < y < 2100 and 1 <= mo <= 12 and 1 <= da <= 31:
        return y, f"{y:04d}-{mo:02d}-{da:02d}"
    return None


def _speaker(s: str) -> str | None:
    m = SPEAKER.search(s)
    if m:
        return m.group(2)
    tail = s.split()[-1] if s.split() else ""  # 报告人：保定市人民政府市长 于群
    return tail if NAME.fullmatch(tail) and len(tail) <= 4 else None


YEAR = re.compile(r"(?<![到至\d])((?:19|20)\d\d)\s*年(?![底末]|远景)")


def _delivered(text: str, parts: list[OutlineNode]) -> int | None:
    """The year a report without a dated by-line was delivered, from its parts: the year a
    plan part's heading names (三、2017年工作安排), one after the year a review part's heading
    names (2021年以来工作回顾), one after the year the review parts speak of most (过去五年工作
    回顾 … 由2016年的532亿元跃升至2020年的801亿元), else the parts' own years."""

    def heading_years(role: str) -> list[int]:
        return [int(y) for p in parts if p.role == role for y in YEAR.findall(p.title)]

    plans, reviews = heading_years("plan"), heading_years("review")
    if plans:
        return min(plans)
    if reviews:
        return max(reviews) + 1
    named = Counter(int(y) for p in parts if p.role == "review" for y in YEAR.findall(text, p.start, p.end))
    if named:
        return max(named, key=lambda y: (named[y], y)) + 1
    plans = [p.year for p in parts if p.role == "plan" and p.year]
    reviews = [p.year for p in parts if p.role == "review" and p.year]
    if plans:
        return min(plans)
    if reviews:
        return max(reviews) + 1
    return None


def _years(meta: Metadata, text: str, outline: OutlineNode) -> None:
    """Years reviewed and planned from the parts' roles and years, held to the year delivered:
    a work report reviews the year before and plans its own year (or, delivered late in a
    year, reviews that year and plans the next)."""
    parts = [c for c in outline.children if c.kind == "part"]
    delivered = meta.year_delivered or _delivered(text, parts)
    if delivered is None:
        return
    meta.year_delivered = delivered
    reviews = [p.year for p in parts if p.role == "review" and p.year]
    plans = [p.year for p in parts if p.role == "plan" and p.year]
    near_reviews = [y for y in reviews if delivered - 1 <= y <= delivered]
    near_plans = [y for y in plans if delivered <= y <= delivered + 1]
    meta.year_reviewed = max(near_reviews) if near_reviews else delivered - 1
    meta.year_planned = min(near_plans) if near_plans else delivered
    if meta.year_planned <= meta.year_reviewed:
        meta.year_planned = meta.year_reviewed + 1


def _carried_out_and_planned(title: str) -> tuple[int, int] | None:
    """(2018, 2019) from 2018年预算执行情况和2019年预算草案: the first two years named, one after the other."""
    years = [int(y) for y in YEAR.findall(title)[:2]]
    return (years[0], years[1]) if len(years) == 2 and years[1] == years[0] + 1 else None


def detect(text: str, outline: OutlineNode, fields: dict[str, str] | None = None) -> Metadata:
    """Metadata of the cleaned ``text``; ``fields`` are a scraper's header fields
    (``clean.layout.scraper_fields``), used where the report's own words say nothing."""
    fields = fields or {}
    head = text[:HEAD_CHARS]
    meta = Metadata()
    for line in _title_lines(head):
        if TITLE.search(line):
            meta.title = re.split(r"——|—\s|（|\(", line)[0].strip() or line.strip()
            break
    if fields.get("title"):
        meta.title = re.split(r"——|—\s", fields["title"])[0].strip() or fields["title"]
    meta.doc_type, told = _doc_type(text, fields)
    address = head.find("各位代表")  # the by-line and its date stand above the address to the deputies
    byline = head[:address] if address >= 0 else "\n".join(line for line in head.split("\n")[:6] if len(line) <= 80)
    found = _date(byline, DATE) or (_date(fields["date"], ISO_DATE) if fields.get("date") else None)
    if found:
        meta.year_delivered, meta.date = found
    if meta.year_delivered is None and meta.title:
        y = re.search(r"((?:20|19)\d\d)\s*年", meta.title)
        if y:
            meta.year_delivered = int(y.group(1))
    if meta.doc_type == "statistical_bulletin":
        y = re.search(r"((?:20|19)\d\d)\s*年", meta.title or head)
        if y:  # a bulletin of 2022 is published in 2023: its figures are the results of 2022
            meta.year_reviewed = int(y.group(1))
            if meta.year_delivered is None or meta.year_delivered <= meta.year_reviewed:
                meta.year_delivered = meta.year_reviewed + 1
    elif meta.doc_type in ("budget_report", "plan_report") and _carried_out_and_planned(told):
        # 关于2018年预算执行情况和2019年预算草案的报告, delivered to the congress of the year planned
        meta.year_reviewed, meta.year_planned = _carried_out_and_planned(told)
        meta.year_delivered = meta.year_planned
    else:
        _years(meta, text, outline)
    meta.region, meta.level = _region(text, head, fields)
    s = SPEAKER.search(byline)
    if s:
        meta.speaker = s.group(2)
    elif fields.get("speaker"):
        meta.speaker = _speaker(fields["speaker"])
    return meta
