"""Task records: named physical projects with what is done to them.

Two frames, read clause by clause:

* verb first — ``开工建设梅山铁路专用线``, ``加快宁波东方理工大学（暂名）建设``;
* objects first — ``杭甬高速复线一期、甬金铁路等项目建成投用``, ``甬江科创区建设加速推进``.

The verb is read after any lead words (``力争启动X建设``); a weak verb (推动, 加快, 抓好…) needs
a 建设/前期 frame or a facility, and a verb at the clause's end decides (``推动A、B等项目开工建设``);
``争取A纳入…规划`` is planned. The objects are split into one record each (``、``; ``和`` only
between names; ``6、7、8号线``), a shared head or tail carried to each (``黄河、长城、长征国家文化
公园``), and kept only when they look like a named physical thing — a facility suffix
(``facilities.tsv``), works on one (``works.tsv``: ``人民广场提升改造``), a phase such as ``一期``,
a 建设 frame, or a list marked ``等项目`` — and name no programme, goal or kind
(``not_tasks.tsv``, ``generic_objects.tsv``). Preparatory work (前期, 规划编制, 方案设计) makes the
action ``plan`` whatever the verb. Cases by construction: tests/test_task_constructions.py.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from ..model import Task
from .context import Context
from .lexicon import alternation, either, lexicon, words
from .task_objects import (
    SPLIT,
    bare_facility,
    facility_any,
    facility_end,
    is_facility,
    no_task_verb,
    not_task,
    share_affixes,
    split_items,
)

TRAILER = re.compile(r"(?:(?<![高平同初中均对])等(?!级)[^、，]{0,12}?)?(?:项目)?(?:建设|的建设)?(?:进度|步伐|工作)?$")
PROJECT_FRAME = re.compile(r"项目(?:建设|前期)")  # 加快A、B项目建设: the items are projects
LIST_CATEGORY = re.compile(
    r"(?<![高平同初中均对])等(?!级)([^、，]{0,12}?)(?:项目)?(?:建设|的建设)?(?:进度|步伐|工作)?$"
)
PHASE_END = re.compile(r"[一二三四五六七八九]期(?:工程|项目)?$")
NUM_LIST = re.compile(r"(\d+(?:、\d+)+|[一二三四五六七八九](?:、[一二三四五六七八九])+)(号线|号|期)")  # 一、二期
# 争取A纳入…规划 / A、B等6条线路纳入市五期建设规划: a project put into a plan is planned
# (records.md: 争取纳入规划; Guizhou 2026, Longgang 2023, Pingshan 2022).
INCLUSION = re.compile(r"^(?:争取|推动|力争|积极)*(.{2,60}?)纳入[^，。；]{0,30}(?:规划|设施|项目库|清单)$")
PROJECT_WORD = re.compile(r"项目|工程")
CN_COUNT = re.compile(r"^[一二三四五六七八九十两]+[项大个]")
DIGIT_COUNT = re.compile(r"\d+[个家座条所项]")
# An amount written after the name (沿黄生态廊道1194公里全线贯通) is not part of it.
TRAILING_AMOUNT = re.compile(r"\d+(?:\.\d+)?(?:公里|千米|米|平方米|万平方米|亩|万亩)$")
# An amount before the thing (20处交通综合治理, 15公里自行车道, 7个省重点村): a count, not a name;
# 6号线, 3号地块, 12英寸线 are names.
COUNTED = re.compile(r"^\d+(?:\.\d+)?(?!\d|号|期|英寸|\.)[^、]")
HEADING_NUMBER = re.compile(r"^[（(][一二三四五六七八九十]+[)）]")


class _Patterns(NamedTuple):
    verb_start: re.Pattern  # task_verbs.tsv
    verb_end: re.Pattern
    verb_any: re.Pattern
    lead: re.Pattern  # task_frames.tsv lead: any run of them
    lead_word: re.Pattern  # one of them, matched at a position
    adverbs: re.Pattern  # adverb: between the objects and the verb after them
    frame_end: re.Pattern
    item_trailer: re.Pattern
    prep: re.Pattern
    list_mark: re.Pattern  # A、B等重点项目 (task_objects.tsv list_kind)
    category: re.Pattern
    slogan_item: re.Pattern
    line_word: re.Pattern
    bare_words: frozenset[str]


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    verbs = alternation(lexicon().task_verbs)
    lead = either("task_frames.tsv", "lead")
    return _Patterns(
        verb_start=re.compile(rf"^(?:{verbs})"),
        verb_end=re.compile(rf"(?:{verbs})$"),
        verb_any=re.compile(verbs),
        lead=re.compile("^" + lead + "+"),
        lead_word=re.compile(lead),
        # A上半年开工, A年底前建成, A9月份开通运营
        adverbs=re.compile(either("task_frames.tsv", "adverb") + "+$"),
        frame_end=re.compile(either("task_frames.tsv", "frame_end") + "$"),
        item_trailer=re.compile(either("task_frames.tsv", "item_trailer") + "$"),
        prep=re.compile("|".join(words("task_frames.tsv", "prep"))),
        list_mark=re.compile(
            r"(?<![高平同初中均对])等(?!级)(?:\d+|[一二三四五六七八九十两]+)?[个项条座所家批]?(?:一批)?"
            + either("task_objects.tsv", "list_kind")
            + r"?(?:[^、，]{0,6}?)?(?:项目|工程)"
        ),
        category=re.compile("|".join(words("task_objects.tsv", "category"))),
        slogan_item=re.compile(r"^(?:第|[一二三四五六七八九十两]+" + either("task_objects.tsv", "slogan_head") + "$)"),
        line_word=re.compile("|".join(words("task_objects.tsv", "line"))),
        bare_words=frozenset(words("task_objects.tsv", "bare")),
    )


def find_tasks(ctx: Context) -> list[Task]:
    verb_any = _patterns().verb_any
    text = ctx.text
    out: list[Task] = []
    vm = verb_any.search(text)
    while vm:  # each clause with a task verb, once
        start, end = ctx.clause(vm.start())
        prev = ctx.clause(start - 2) if start >= 2 and text[start - 1] in "，," else None
        if prev and verb_any.search(text, prev[0], prev[1]):
            prev = None  # the clause before has a verb of its own
        for s, e in _frames(text, start, end):
            out.extend(_read_clause(ctx, text[s:e], s, e, prev if s == start else None))
        vm = verb_any.search(text, end)  # no verb runs past a clause's end (a punctuation mark)
    return out


def _frames(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a clause at a 、 that closes one verb frame or opens another:
    建成信阳五岳、开工济源逢石河抽水蓄能电站; 兰张高铁兰武段开通运营、武张段开工建设."""
    p = _patterns()
    cuts = [start]
    i = text.find("、", start, end)
    while i >= 0:
        if p.verb_end.search(text, cuts[-1], i) or p.verb_any.match(text, i + 1):
            cuts.append(i + 1)
        i = text.find("、", i + 1, end)
    cuts.append(end + 1)
    return [(a, b - 1) for a, b in zip(cuts, cuts[1:]) if b - 1 > a]


def _lead_cuts(body: str) -> list[int]:
    """0 and every boundary between the lead words a clause opens with (力争|启动|…)."""
    lead_word = _patterns().lead_word
    cuts = [0]
    m = lead_word.match(body)
    while m and m.end() > cuts[-1]:
        cuts.append(m.end())
        m = lead_word.match(body, m.end())
    return cuts


def _read_clause(ctx: Context, clause: str, start: int, end: int, prev: tuple[int, int] | None) -> list[Task]:
    lex = lexicon()
    p = _patterns()
    body = clause.strip()
    if len(body) < 4:
        return []
    # The verb first: 开工建设梅山铁路专用线, after any lead words (力争启动X建设: 启动 is both).
    for cut in _lead_cuts(body):
        m = p.verb_any.match(body, cut)  # match() at pos: a "^" pattern would only match at 0
        if m and m.end() < len(body):
            verb = m.group(0)
            # A leading adverb that is itself part of the verb (加快推进): prefer the longer reading.
            objects = body[m.end() :]
            framed = p.frame_end.search(objects) is not None or p.prep.search(objects) is not None
            if lex.task_verbs[verb] == "advance" and p.verb_end.search(objects):
                break  # 推动A、B等项目开工建设: the verb at the end says what is done
            if verb == "开展" and not p.prep.search(objects):
                continue  # 开展 only for preparatory work: 开展引白济洮前期工作
            tasks = _objects(
                ctx,
                objects,
                verb,
                lex.task_verbs[verb],
                start,
                end,
                framed,
                need_facility=verb in lex.weak_task_verbs and not framed,
            )
            if tasks:
                return tasks
    # Included in a plan: 争取遵义茅台机场纳入国家“十五五”口岸发展规划 → plan.
    m = INCLUSION.match(body) if "纳入" in body else None
    if m:
        return _objects(ctx, m.group(1), "纳入", "plan", start, end, True)
    # The objects first: 杭甬高速复线一期、甬金铁路等项目建成投用.
    m = p.verb_end.search(body)
    if m and m.start() > 0:
        verb = m.group(0)
        if verb in ("加快", "加速", "谋划"):
            return []
        objects = body[: m.start()]
        objects = p.adverbs.sub("", objects)
        lead_verb = p.verb_start.match(objects)
        if lead_verb is None:
            objects = p.lead.sub("", objects)
        elif lex.task_verbs[lead_verb.group(0)] == "advance":  # 推动A、B建成投用: the end verb decides
            objects = p.lead.sub("", objects[lead_verb.end() :])
        return _objects(
            ctx,
            objects,
            verb,
            lex.task_verbs[verb],
            start,
            end,
            False,
            prev_text=ctx.text[prev[0] : prev[1]] if prev else None,
        )
    return []


def _objects(
    ctx: Context,
    objects: str,
    verb: str,
    action: str,
    start: int,
    end: int,
    framed: bool,
    prev_text: str | None = None,
    need_facility: bool = False,
) -> list[Task]:
    """The tasks of a verb's objects: one for each named physical thing among them."""
    p = _patterns()
    prep = p.prep.search(objects)
    listed = bool(p.list_mark.search(objects) or PROJECT_FRAME.search(objects))
    if need_facility and not (listed or prep or prev_text) and not facility_any().search(objects):
        return []  # a weak verb with no facility anywhere in its objects (the common case, made cheap)
    if prep:
        action = "plan"  # …等项目前期取得实质性进展: what follows the preparatory work is not a name
        objects, listed, framed = objects[: prep.start()], listed or "前期" in prep.group(0), True
    elif objects.endswith("项目") and not SPLIT.search(objects):
        listed = True  # one named project: 开工建设兰州石化120万吨乙烯改造项目
    category = LIST_CATEGORY.search(objects)
    kind_of = p.category.sub("", category.group(1)) if category else ""
    if no_task_verb().match(objects) or (category and no_task_verb().search(category.group(0))):
        return []  # 推动A、B等项目落地: the list's own verb makes no task
    if (
        kind_of
        and not (PROJECT_WORD.search(category.group(0)) or is_facility(kind_of))
        and not all(is_facility(i) for i in objects[: category.start()].split("、"))
    ):
        return []  # 许港、郑焦、郑新等产业带: examples of a non-physical category (A、B等文化新地标: named facilities stay)
    found = _items(objects, kind_of, action, prev_text)
    if found is None:
        return []
    items, carried = found
    kept = _named_things(items, carried, verb, listed, framed, need_facility)
    if not kept:
        return []
    kind, year = ctx.kind_year(start)
    section = ctx.section(start)
    evidence = ctx.text[start:end]
    return [
        Task(
            type="task",
            kind=kind,
            year=year,
            start=start,
            end=end,
            evidence=evidence,
            section=section,
            action=action,
            object=item,
            verb=verb,
        )
        for item in kept
    ]


def _items(objects: str, kind_of: str, action: str, prev_text: str | None) -> tuple[list[str], int] | None:
    """``(items, carried)``: the objects split into items, with shared heads and tails, after
    any items carried from the clause before (A、B，C等项目建成投用); None when the objects are
    no list of names (empty, too long, or a programme's category: 涞源、涞水…5个规模化林场试点)."""
    objects = TRAILER.sub("", objects.strip())
    objects = objects.strip("，、 ").removesuffix("以及").rstrip("和及与")  # 抓好投资和项目建设
    if not objects or len(objects) > 80:
        return None
    objects = NUM_LIST.sub(lambda m: "、".join(x + m.group(2) for x in m.group(1).split("、")), objects)
    items = split_items(objects)
    carried = 0  # items carried from the clause before (A、B，C等项目建成投用)
    if prev_text is not None and action != "plan":
        prev_items = split_items(prev_text.strip())
        if prev_items and all(i.endswith(lexicon().facilities) and not not_task().search(i) for i in prev_items):
            items, carried = prev_items + items, len(prev_items)
    items = share_affixes(items)
    if kind_of and is_facility(kind_of):  # 周口、潢川、鲁山等机场 → 周口机场 …
        tail = facility_end().search(kind_of)  # none when kind_of is a facility by its works or phase
        suffix = kind_of if len(kind_of) <= 6 or not tail else tail.group(0)
        items = [i if is_facility(i) else i + suffix for i in items]
    if items and not_task().search(items[-1]):
        return None  # the list's category is a programme: 涞源、涞水…5个规模化林场试点建设
    return items, carried


def _named_things(
    items: list[str], carried: int, verb: str, listed: bool, framed: bool, need_facility: bool
) -> list[str]:
    """The items that name a physical thing, cleaned; [] when the clause's own items name none,
    or one is a phrase rather than a name."""
    kept = []
    own = 0  # kept items of this clause's own
    for n, raw_item in enumerate(items):
        item = _cleaned(raw_item, verb, listed)
        if item is None:
            continue
        if not (2 <= len(item) <= 30):
            return []  # a phrase, not a list of named things
        if _names_a_thing(item, raw_item, items, verb, listed, framed, need_facility):
            kept.append(item)
            own += n >= carried
    return kept if own else []  # the clause's own objects are no named things: nothing is carried into it


def _cleaned(item: str, verb: str, listed: bool) -> str | None:
    """An item without quotes, trailers and lead words; None for a quoted brand or slogan, a
    programme, or a clause with its own verb."""
    p = _patterns()
    if item.startswith("“") and item.endswith("”") and verb not in lexicon().quoted_task_verbs and not listed:
        return None  # a quoted name alone is a brand or slogan: 积极推进“湾区组合港”
    item = item.strip('“”"《》 ')
    if not_task().search(item):
        return None
    if "的" in item:
        item = item.rsplit("的", 1)[1]
    if item.count("“") != item.count("”"):
        item = item.replace("“", "").replace("”", "")
    item = p.item_trailer.sub("", TRAILING_AMOUNT.sub("", item)) or item
    if _has_own_verb(item):
        return None  # a clause with its own verb (…示范项目一期建成), not a name
    return p.lead.sub("", item) if len(p.lead.sub("", item)) >= 2 else item


def _names_a_thing(
    item: str, raw_item: str, items: list[str], verb: str, listed: bool, framed: bool, need_facility: bool
) -> bool:
    """Does the cleaned item name a physical thing: a facility, an item of a list of projects,
    a thing in a 建设 frame?  Not a count, a heading's number, a generic or bare word, a slogan."""
    p = _patterns()
    lex = lexicon()
    quoted = "“" in raw_item
    quoted_ok = verb in lex.quoted_task_verbs
    if COUNTED.match(item) or HEADING_NUMBER.match(item) or item.endswith(lex.not_task_ends):
        return False  # 及15个社区公园: a count of unnamed things
    if CN_COUNT.match(item) or DIGIT_COUNT.search(item):
        return False
    if (
        item.startswith(lex.generic_objects)
        or bare_facility(item)
        or item in p.bare_words
        or p.slogan_item.match(item)
        or (quoted and not quoted_ok and not is_facility(item) and not (listed and raw_item[:1] != "“"))
    ):  # 四方埔“工业上楼”等7个项目: a place, then the name
        return False
    if need_facility and not (is_facility(item) or listed):
        return False
    return bool(
        is_facility(item)
        or listed
        or (framed and len(item) >= 3)
        or (quoted and quoted_ok)
        or (p.line_word.search(item) and any(is_facility(i) for i in items))
    )


def _has_own_verb(item: str) -> bool:
    """A task verb inside the item (not at its start) that is not part of its facility word
    (生物医药企业加速器二期: 加速 is in 加速器)."""
    fac = facility_end().search(PHASE_END.sub("", item))
    for v in _patterns().verb_any.finditer(item, 1):
        if not (fac and v.start() < fac.end() and v.end() > fac.start()):
            return True
    return False
