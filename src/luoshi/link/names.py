"""Project names as reports write them, and when two of them name one project (shared/spec/follow.md).

A name is read as ``places + core + parts``: the place names it opens with (深圳宝龙专精特新产业园:
深圳; 区儿童公园 in a district's report: the district itself), its core, and the parts written
after it (一期, 北段, 东延), with generic words it may go without (项目, 工程) taken off.  Two names
are one project when no part class and no place tells them apart and their cores are equal, one
holds the other, or the shorter is the longer one's short form (its characters in order, first and
last ones shared: 龙岗数创走廊 / 龙岗数字创意产业走廊).  The words are in ``data/follow.tsv``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..extraction.lexicon import rows

_NOISE = re.compile(r"[\s“”\"'‘’《》（）()〈〉【】]")
_STOP = re.compile(r"[\s，,、；;。：:！？!?“”\"（）()及和与等]")
_NUMBERED = re.compile(r"\d号?$")
_LEFT_OUT = re.compile(r"[等、]")
_DIRECTIONS = frozenset("东南西北")
_DIGIT = re.compile(r"[\d一二三四五六七八九十]")
# Below this length a core is no name of its own (机场, 公园): it matches only itself.
MIN_CORE = 4


@dataclass(frozen=True)
class Table:
    statuses: dict[str, str]  # phrase → done | started | progressed
    status_re: re.Pattern
    suffixes: tuple[str, ...]  # longest first
    parts: tuple[tuple[re.Pattern, str], ...]  # (pattern anchored at the end, class)
    part_re: re.Pattern  # any part, at the start of a string
    selves: tuple[str, ...]
    pending: tuple[str, ...]  # words that make the verb after them a coming step
    firms: tuple[str, ...]  # words that end a firm's name
    frames: tuple[tuple[re.Pattern, str], ...]  # (a clause pattern around the name, status)
    sections: frozenset[str]  # part classes whose completion is a step for the whole
    places: frozenset[str]  # names and short names of the gazetteer
    facilities: tuple[str, ...]  # words a named thing ends with (data/facilities.tsv), longest first


@lru_cache(maxsize=1)
def table() -> Table:
    data = rows("follow.tsv")
    statuses = {w: v for k, w, *v in data if k == "status" for v in [v[0] if v else ""]}
    by_len = lambda ws: tuple(sorted(set(ws), key=len, reverse=True))  # noqa: E731
    parts = [(w, v[0]) for k, w, *v in data if k == "part"]
    places: set[str] = set()
    for r in _gazetteer():
        for name in (r[1], r[2] if len(r) > 2 else ""):
            if len(name) >= 2:
                places.add(name)
    return Table(
        statuses=statuses,
        status_re=re.compile("|".join(re.escape(w) for w in by_len(statuses))),
        suffixes=by_len(w for k, w, *_ in data if k == "suffix"),
        parts=tuple((re.compile(f"(?:{p})$"), c) for p, c in parts),
        part_re=re.compile("|".join(f"(?:{p})" for p, _ in parts)),
        selves=by_len(w for k, w, *_ in data if k == "self"),
        pending=by_len(w for k, w, *_ in data if k == "pending"),
        firms=by_len(w for k, w, *_ in data if k == "firm"),
        frames=tuple((re.compile(w), v[0]) for k, w, *v in data if k == "frame"),
        sections=frozenset(w for k, w, *_ in data if k == "section"),
        places=frozenset(places),
        facilities=by_len(r[0] for r in rows("facilities.tsv")),
    )


@dataclass(frozen=True)
class Name:
    text: str  # the name without quotes and brackets
    core: str
    places: frozenset[str] = field(default_factory=frozenset)
    parts: tuple[tuple[str, str], ...] = ()  # (class, written part)
    inner: str = ""  # the core without a place written inside it (中石化舟山六横LNG: 中石化六横LNG)

    def part(self, cls: str) -> str | None:
        return next((p for c, p in self.parts if c == cls), None)


def clean(name: str | None) -> str:
    return _NOISE.sub("", name or "")


def own_places(region: str | None) -> frozenset[str]:
    """The names a report's own government goes by (深圳市龙岗区: 龙岗区, 龙岗)."""
    out = set()
    for r in _gazetteer():
        if region and r[1] and region.endswith(r[1]):
            out.update(w for w in r[1:3] if len(w) >= 2)
    return frozenset(out)


@lru_cache(maxsize=1)
def _gazetteer() -> list[list[str]]:
    return rows("regions.tsv")


def _leading_place(s: str, own: frozenset[str]) -> tuple[str, str] | None:
    """``(place, as read)`` of a place name ``s`` opens with: a gazetteer name or a word for the
    report's own government (read as that government)."""
    t = table()
    for n in range(min(len(s) - 1, 8), 1, -1):
        if s[:n] in t.places:
            return s[:n], s[:n]
    for w in t.selves:
        if s.startswith(w) and len(s) > len(w) and s[len(w)] != "级":  # 区级养老护理院 names no place
            return w, "@own"
    return None


def _place_key(place: str, own: frozenset[str]) -> str:
    if place == "@own" or place in own:
        return "@own"
    for suffix in ("省", "市", "区", "县"):  # 深圳市 / 深圳
        if place.endswith(suffix) and len(place) > 2:
            return place[:-1]
    return place


def parse(name: str | None, own: frozenset[str] = frozenset()) -> Name:
    """Read a project name.

    >>> n = parse("深圳宝龙专精特新产业园（一期）")
    >>> n.core, sorted(n.places), n.parts
    ('宝龙专精特新产业园', ['深圳'], (('phase', '一期'),))
    >>> parse("宝龙生物药创新发展先导区二期项目").core
    '宝龙生物药创新发展先导区'
    >>> parse("区级养老护理院项目").core
    '区级养老护理院'
    """
    text = clean(name)
    s = text
    places: set[str] = set()
    core, parts = _core(s)
    while True:
        lead = _leading_place(s, own)
        if lead is None:
            break
        rest = s[len(lead[0]) :]
        rest_core, rest_parts = _core(rest)
        if len(rest_core) < MIN_CORE:  # 三门核电 keeps its place: 核电 is no name
            break
        places.add(_place_key(lead[1], own))
        s, core, parts = rest, rest_core, rest_parts
    return Name(text, core, frozenset(places), tuple(parts), _inner(core))


def _inner(core: str) -> str:
    """``core`` without a place name written after a firm's or owner's name (中石化舟山六横LNG,
    华电坪山分布式能源: zhejiang 2025, pingshan 2016), when a name of MIN_CORE + 1 is left."""
    i, w = _inner_at(core)
    return core[:i] + core[i + len(w) :] if w else ""


def _inner_place(core: str) -> str:
    return _inner_at(core)[1]


def _inner_at(core: str) -> tuple[int, str]:
    t = table()
    for i in range(2, len(core) - 2):
        for n in (3, 2):
            w = core[i : i + n]
            if len(w) == n and w in t.places and len(core) - n >= MIN_CORE + 1:
                return i, w
    return 0, ""


def _core(s: str) -> tuple[str, list[tuple[str, str]]]:
    """A name without the parts and generic words it ends with."""
    t = table()
    parts: list[tuple[str, str]] = []
    changed = True
    while changed and len(s) > 2:
        changed = False
        for w in t.suffixes:
            if s.endswith(w) and len(s) - len(w) >= 2:
                s, changed = s[: -len(w)], True
                break
        reach = _reach(s)  # a place's reach: 西成铁路甘肃段, 雄商高铁河南段 (not 南段)
        if reach:
            parts.insert(0, ("reach", reach))
            s, changed = s[: -len(reach)], True
            continue
        for pat, cls in t.parts:
            m = pat.search(s)
            if m and m.start() >= (2 if cls == "phase" else 3):  # 高新南片区 keeps its 南片区
                parts.insert(0, (cls, m.group()))
                s, changed = s[: m.start()], True
                break
    return s, parts


def _reach(s: str) -> str:
    """A place and 段 ending ``s`` (甘肃段), unless the place's first character ends the name before
    it (马峦北路南段: 路南 is a place, but 马峦北路 a road)."""
    t = table()
    if s.endswith("段"):
        for n in (3, 2):
            rest = s[: -n - 1]
            if s[-n - 1 : -1] in t.places and len(rest) >= 3 and not (rest + s[-n - 1]).endswith(t.facilities):
                return s[-n - 1 :]
    return ""


def _contains(long: str, short: str) -> bool:
    """``short`` inside ``long`` not cutting a number (3号线 is not in 13号线)."""
    i = long.find(short)
    while i >= 0:
        before = long[i - 1] if i else ""
        after = long[i + len(short)] if i + len(short) < len(long) else ""
        if not (_DIGIT.match(short[0]) and before and _DIGIT.match(before)) and not (
            _DIGIT.match(short[-1]) and after and _DIGIT.match(after)
        ):
            return True
        i = long.find(short, i + 1)
    return False


def short_form(long: str, short: str) -> bool:
    """Is ``short`` written as a short form of ``long`` (its characters in order, the first and
    last ones shared, at least half as long, ``long`` no firm)?"""
    if len(short) < MIN_CORE or len(short) * 2 < len(long) or short[0] != long[0] or short[-1] != long[-1]:
        return False
    if long.endswith(table().firms):  # 中海油公司 is no short form of 中国海油深圳分公司
        return False
    if set(_DIGIT.findall(short)) != set(_DIGIT.findall(long)):
        return False
    j, runs, run = 0, [], ""
    for ch in long:  # the runs of ``long`` that ``short`` leaves out
        if j < len(short) and ch == short[j]:
            j += 1
            runs, run = runs + [run] if run else runs, ""
        else:
            run += ch
    runs += [run] if run else []
    # what it leaves out is no direction of its own and no list (龙田片区 is not 龙田北等片区)
    return j == len(short) and not any(_LEFT_OUT.search(r) or r in _DIRECTIONS for r in runs)


def same_project(a: Name, b: Name) -> bool:
    """Whether two names name one project (see the module docstring).

    >>> p = lambda s: parse(s, own_places("深圳市龙岗区"))
    >>> same_project(p("六横公路大桥一期"), p("六横公路大桥一期工程")), same_project(p("甬金铁路"), p("甬舟铁路"))
    (True, False)
    >>> same_project(p("萧山机场三期"), p("萧山机场四期")), same_project(p("沙湾二水厂二期"), p("沙湾二水厂"))
    (False, True)
    >>> same_project(p("区儿童公园"), p("龙岗儿童公园")), same_project(p("轨道3号线"), p("轨道13号线"))
    (True, False)
    """
    if not a.core or not b.core:
        return False
    for cls, part in a.parts:
        other = b.part(cls)
        if other is not None and other != part:
            return False
    if a.places and b.places and not (a.places <= b.places or b.places <= a.places):
        return False
    x, y = a.core, b.core
    if x == y:
        return True
    (short, s_name), (long, _) = sorted(((x, a), (y, b)), key=lambda p: len(p[0]))
    l_name = b if s_name is a else a
    # The shorter name inside a longer one that lacks its part names something else (温州机场三期 is
    # not 温州机场枢纽; 轨道16号线南延 not 轨道16号线绿化恢复工程).
    lacks = long.startswith(short) and any(l_name.part(c) is None for c, _ in s_name.parts)
    # A core written with places stripped (区儿童公园) is a name only at the start of a longer one:
    # 森林主题儿童公园 is another park.
    lead = s_name.text[: max(0, s_name.text.find(short))]  # 区 of 区养老护理院 leads 区级公办养老护理院
    placed = bool(s_name.places) and not long.startswith(short) and not (lead and l_name.text.startswith(lead))
    if len(short) >= MIN_CORE and not lacks and not placed and _contains(long, short):
        return True
    if short_form(long, short):
        return True
    if (a.inner or b.inner) and _inner_place(x) != _inner_place(y) and _inner_place(x) and _inner_place(y):
        return False  # 深圳市外国语平湖学校 is not 深圳外国语学校龙岗学校
    for p, q in ((a.inner, y), (x, b.inner), (a.inner, b.inner)):
        if p and q and (p == q or min(len(p), len(q)) > MIN_CORE and (_contains(p, q) or _contains(q, p))):
            return True
    return False  # no likeness of characters: 长征国家文化公园贵州段 is not 长江国家文化公园贵州段


def _place_before(text: str, i: int) -> bool:
    """Does a place name or a word for the report's own government end at ``i``?"""
    t = table()
    return any(
        text[max(0, i - n) : i] in t.places or text[max(0, i - n) : i] in t.selves for n in range(1, 9) if i >= n
    )


def mention_at(
    text: str, start: int, end: int, own: frozenset[str], bare: bool = False
) -> tuple[int, int, Name] | None:
    """The name written around the core found at ``text[start:end]``: place names before it and
    parts and generic words after it, as ``(start, end, name)``.  A ``bare`` core (a name's core
    without the places it was written with) must not be the tail of a longer name: None for
    国际机场 in 宁波栎社国际机场."""
    t = table()
    s = start
    while True:
        for n in range(8, 0, -1):
            w = text[max(0, s - n) : s]
            if len(w) == n and (w in t.places or w in t.selves):
                s -= n
                break
        else:
            break
    if bare and s == start and start > 0 and "\u4e00" <= text[start - 1] <= "\u9fff":
        return None
    e = end
    while True:
        m = t.part_re.match(text, e)
        if m and m.end() > e:
            e = m.end()
            continue
        for w in t.suffixes:
            if text.startswith(w, e):
                e += len(w)
                break
        else:
            break
    return s, e, parse(text[s:e], own)


def short_forms_in(text: str, core: str):
    """Spans of ``text`` that write ``core`` in full where ``core`` is its short form
    (龙岗数字创意产业走廊 for 数创走廊 … 龙岗数创走廊), within one name (no punctuation)."""
    if len(core) < MIN_CORE:
        return
    i = text.find(core[0])
    while i >= 0:
        for j in range(i + len(core), min(len(text), i + 2 * len(core))):
            if _STOP.match(text[j]):
                break
            if text[j] == core[-1] and short_form(text[i : j + 1], core):
                yield i, j + 1
                break
        i = text.find(core[0], i + 1)


def continues(text: str, end: int) -> bool:
    """Does a longer name go on after ``text[:end]`` (温州机场枢纽能级, 杭州萧山国际机场旅客吞吐量)?"""
    if end >= len(text) or not ("\u4e00" <= text[end] <= "\u9fff") or _STOP.match(text[end]):
        return False
    m = table().status_re.match(text, end)
    return m is None


_LIST_SEP = "、和及与等"
_LIST_END = re.compile(r"[，,；;。：:！？!?\n]")


def coordinated_in(text: str, core: str, bare: bool = False):
    """Spans where ``core`` is written as one item of a list whose last item carries the words the
    items share (深惠、深大城际: longgang 2024 and 2022; 杭州、宁波、温州机场枢纽: zhejiang 2026;
    长城、长征、黄河国家文化公园: ningxia 2026; 横岗等街道文体中心: longgang), as ``(start, end)``
    of the item: the core's head, then a list mark, then its tail before the clause ends, with no
    status verb between.  A ``bare`` core (written with places, 宝丰储能电池) opens no longer word
    (空气储能、…锂电池 is no 储能电池)."""
    t = table()
    seen = set()
    for k in range(len(core) - 1, 1, -1):
        head, tail = core[:k], core[k:]
        if len(tail) < 2 and not _NUMBERED.search(head):  # 14号、16号线: a numbered item shares 线
            continue
        i = text.find(head)
        while i >= 0:
            j = i + k
            opens = not (bare and i > 0 and "\u4e00" <= text[i - 1] <= "\u9fff") or _place_before(text, i)
            if opens and i not in seen and j < len(text) and text[j] in _LIST_SEP:
                stop = _LIST_END.search(text, j, min(len(text), j + 40))
                end = stop.start() if stop else min(len(text), j + 40)
                m = text.find(tail, j + 1, end)
                if m > 0 and not t.status_re.search(text, j, m) and "的" not in text[j:m]:
                    seen.add(i)
                    yield i, j
            i = text.find(head, i + 1)


def lead_shared_in(text: str, core: str, lead: int = 2):
    """Spans where ``core`` is written without its first word, which an earlier item of the same
    list carries (轨道3号线四期、16号线二期: longgang 2024; 地铁5号线南延线、9号线: nanshan 2016,
    2017), as ``(start, end)`` of the item as written."""
    head, rest = core[:lead], core[lead:]
    if len(rest) < 3:
        return
    i = text.find(rest)
    while i >= 0:
        if i > 0 and text[i - 1] in _LIST_SEP and not text.startswith(head, i - lead):
            stop = max(text.rfind(c, 0, i) for c in "，,；;。：:！？!?\n")
            if text.find(head, stop + 1, i) >= 0:
                yield i, i + len(rest)
        i = text.find(rest, i + 1)
