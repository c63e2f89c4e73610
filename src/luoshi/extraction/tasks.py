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

from ..model import Task
from .context import Context
from .lexicon import alternation, lexicon, rows

LEAD = re.compile(r"^(?:推动|确保|力争|力促|争取|逐步|全力|积极|着力|大力|全面|高质量|高标准|高水平|高站位|高起点|高品质|有序|稳步|扎实|持续|继续|同步|"
                  r"加快|加速|开工|年内|今年|尽快|尽早|实现|完成|支持|启动|基本|顺利|如期|重点)+")
LEAD_WORD = re.compile(LEAD.pattern[1:].replace(")+", ")", 1))  # one lead word, matched at a position
# Adverbs and times between the objects and their verb (A上半年开工, A年底前建成, A9月份开通运营).
ADVERBS_BEFORE_VERB = re.compile(r"(?:建设|尽早|尽快|全面|正式|顺利|如期|基本|全部|部分|全线|整体|相继|先后|年内|陆续|加快|即将|交工|"
                                 r"[上下]半年|年底前?|年中|今年|明年|\d{1,2}月(?:底|份|中旬|下旬)?前?)+$")
TRAILER = re.compile(r"(?:(?<![高平同初中均对])等(?!级)[^、，]{0,12}?)?(?:项目)?(?:建设|的建设)?(?:进度|步伐|工作)?$")
LIST_MARK = re.compile(r"(?<![高平同初中均对])等(?!级)(?:\d+|[一二三四五六七八九十两]+)?[个项条座所家批]?(?:一批)?(?:重大|重点|在建|新建|新开工|标志性|省重点)?"
                       r"(?:[^、，]{0,6}?)?(?:项目|工程)")
PROJECT_FRAME = re.compile(r"项目(?:建设|前期)")  # 加快A、B项目建设: the items are projects
LIST_CATEGORY = re.compile(r"(?<![高平同初中均对])等(?!级)([^、，]{0,12}?)(?:项目)?(?:建设|的建设)?(?:进度|步伐|工作)?$")
ITEM_TRAILER = re.compile(r"(?:建设|全线|项目建设)$")
# A verb or a sector left alone is not a name: 推动新建项目尽快开工; 交通、水利等重大项目开工建设.
BARE_WORDS = ("新建", "续建", "在建", "改建", "扩建", "新开工", "建设", "项目", "交通", "水利", "能源", "产业", "民生",
              "城建", "农业", "工业", "市政", "社会", "生态", "文化", "教育", "卫生", "城市", "乡村", "林业", "湿地", "医疗", "体育", "养老",
              "基础设施", "公共服务")
SLOGAN_ITEM = re.compile(r"^(?:第|[一二三四五六七八九十两]+(?:枢纽|中心|基地|平台|区|园|港|线|廊|带|网)$)")  # “一枢纽、四中心”
PHASE = re.compile(r"[一二三四五六七八九]期")
PHASE_END = re.compile(r"[一二三四五六七八九]期(?:工程|项目)?$")
BRACKET = re.compile(r"[（(][^）)]*[）)]")
ENGINEERING = re.compile(r"路|桥|铁|水|港|机场|线|站|厂|馆|园|中心|隧道|管|堤|库|河|渠|枢纽|电|厂房|通道|高速|引|灌|段|街|网|修复|改造|防洪|治理")
QUOTED_OK_VERBS = ("上线运行", "投入运行", "上线")
# Preparatory work named after its object: 开展X前期工作, 完成X总体规划编制, 完成X控制性详规编制,
# X开展方案设计, 完成X实施方案审批, X完成计划立项, 谋划X规划选址, 完成X法定图则修编 (provinces,
# Baoding, Gaoyang, Longgang, Nanshan, Pingshan).
PREP = re.compile(r"(?:项目)?前期(?:工作|手续)?|(?:总体|控制性详细|空间|专项|详细)?规划(?:编制|方案|研究|选址)|"
                  r"控制性详规(?:编制)?|空间规划|城市设计|选址|(?:统筹)?实施方案(?:编制|审批)|方案设计|工程设计|计划立项|法定图则|规划建设|功能布局")
NUM_LIST = re.compile(r"(\d+(?:、\d+)+|[一二三四五六七八九](?:、[一二三四五六七八九])+)(号线|号|期)")  # 一、二期
# 争取A纳入…规划 / A、B等6条线路纳入市五期建设规划: a project put into a plan is planned
# (records.md: 争取纳入规划; Guizhou 2026, Longgang 2023, Pingshan 2022).
INCLUSION = re.compile(r"^(?:争取|推动|力争|积极)*(.{2,60}?)纳入[^，。；]{0,30}(?:规划|设施|项目库|清单)$")
CATEGORY_WORDS = re.compile(r"一批|重大|重点|在建|新建|新开工|标志性|省重点|省级|市级|^(?:\d+|[一二三四五六七八九十两]+)[个项条座所家处]")
PROJECT_WORD = re.compile(r"项目|工程")
CN_COUNT = re.compile(r"^[一二三四五六七八九十两]+[项大个]")
DIGIT_COUNT = re.compile(r"\d+[个家座条所项]")
LINE_WORD = re.compile(r"线|路|桥|港|站")
# An amount written after the name (沿黄生态廊道1194公里全线贯通) is not part of it.
TRAILING_AMOUNT = re.compile(r"\d+(?:\.\d+)?(?:公里|千米|米|平方米|万平方米|亩|万亩)$")
SPLIT = re.compile(r"、|和|及|以及")
SHARED_TAILS = ("快速化改造", "提升改造", "改造提升", "提升工程")
# Verbs that also lead programmes and policies (推动…创建, 抓好…工作, 深入推进…改革): they make a
# task only with a 建设/前期 frame (加快A建设, 抓好B项目建设) or of an object that is a facility.
WEAK_VERBS = ("加快", "加速", "谋划", "规划", "开展", "启动", "推动", "全力推动", "抓好", "提速", "深入推进", "统筹推进",
              "全面推进", "大力推进")
# An amount before the thing (20处交通综合治理, 15公里自行车道, 7个省重点村): a count, not a name;
# 6号线, 3号地块, 12英寸线 are names.
COUNTED = re.compile(r"^\d+(?:\.\d+)?(?!\d|号|期|英寸|\.)[^、]")
HEADING_NUMBER = re.compile(r"^[（(][一二三四五六七八九十]+[)）]")
FRAME_END = re.compile(r"(?:建设|建设进度|项目建设|前期工作|前期|规划编制)$")


def _compile():
    lex = lexicon()
    verbs = alternation(lex.task_verbs)
    return (re.compile(rf"^(?:{verbs})"), re.compile(rf"(?:{verbs})$"))


_VERB_START: re.Pattern | None = None
_VERB_END: re.Pattern | None = None
_VERB_ANY: re.Pattern | None = None


def find_tasks(ctx: Context) -> list[Task]:
    global _VERB_START, _VERB_END, _VERB_ANY
    if _VERB_START is None:
        _VERB_START, _VERB_END = _compile()
        _VERB_ANY = re.compile(alternation(lexicon().task_verbs))
    text = ctx.text
    out: list[Task] = []
    last_clause = (-1, -1)
    for vm in _VERB_ANY.finditer(text):
        start, end = ctx.clause(vm.start())
        if (start, end) == last_clause:
            continue
        last_clause = (start, end)
        prev = ctx.clause(start - 2) if start >= 2 and text[start - 1] in "，," else None
        if prev and _VERB_ANY.search(text, prev[0], prev[1]):
            prev = None  # the clause before has a verb of its own
        for s, e in _frames(text, start, end):
            out.extend(_read_clause(ctx, text[s:e], s, e, prev if s == start else None))
    return out


def _frames(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a clause at a 、 that closes one verb frame or opens another:
    建成信阳五岳、开工济源逢石河抽水蓄能电站; 兰张高铁兰武段开通运营、武张段开工建设."""
    cuts = [start]
    i = text.find("、", start, end)
    while i >= 0:
        if _VERB_END.search(text, cuts[-1], i) or _VERB_ANY.match(text, i + 1):
            cuts.append(i + 1)
        i = text.find("、", i + 1, end)
    cuts.append(end + 1)
    return [(a, b - 1) for a, b in zip(cuts, cuts[1:]) if b - 1 > a]


def _lead_cuts(body: str) -> list[int]:
    """0 and every boundary between the lead words a clause opens with (力争|启动|…)."""
    cuts = [0]
    m = LEAD_WORD.match(body)
    while m and m.end() > cuts[-1]:
        cuts.append(m.end())
        m = LEAD_WORD.match(body, m.end())
    return cuts


def _read_clause(ctx: Context, clause: str, start: int, end: int, prev: tuple[int, int] | None) -> list[Task]:
    lex = lexicon()
    body = clause.strip()
    if len(body) < 4:
        return []
    # The verb first: 开工建设梅山铁路专用线, after any lead words (力争启动X建设: 启动 is both).
    for cut in _lead_cuts(body):
        m = _VERB_ANY.match(body, cut)  # match() at pos: a "^" pattern would only match at 0
        if m and m.end() < len(body):
            verb = m.group(0)
            # A leading adverb that is itself part of the verb (加快推进): prefer the longer reading.
            objects = body[m.end():]
            framed = FRAME_END.search(objects) is not None or PREP.search(objects) is not None
            if lex.task_verbs[verb] == "advance" and _VERB_END.search(objects):
                break  # 推动A、B等项目开工建设: the verb at the end says what is done
            if verb == "开展" and not PREP.search(objects):
                continue  # 开展 only for preparatory work: 开展引白济洮前期工作
            tasks = _objects(ctx, objects, verb, lex.task_verbs[verb], clause, start, end, framed,
                             need_facility=verb in WEAK_VERBS and not framed)
            if tasks:
                return tasks
    # Included in a plan: 争取遵义茅台机场纳入国家“十五五”口岸发展规划 → plan.
    m = INCLUSION.match(body) if "纳入" in body else None
    if m:
        return _objects(ctx, m.group(1), "纳入", "plan", clause, start, end, True)
    # The objects first: 杭甬高速复线一期、甬金铁路等项目建成投用.
    m = _VERB_END.search(body)
    if m and m.start() > 0:
        verb = m.group(0)
        if verb in ("加快", "加速", "谋划"):
            return []
        objects = body[:m.start()]
        objects = ADVERBS_BEFORE_VERB.sub("", objects)
        lead_verb = _VERB_START.match(objects)
        if lead_verb is None:
            objects = LEAD.sub("", objects)
        elif lex.task_verbs[lead_verb.group(0)] == "advance":  # 推动A、B建成投用: the end verb decides
            objects = LEAD.sub("", objects[lead_verb.end():])
        return _objects(ctx, objects, verb, lex.task_verbs[verb], clause, start, end, False,
                        prev_text=ctx.text[prev[0]:prev[1]] if prev else None)
    return []


def _objects(ctx: Context, objects: str, verb: str, action: str, clause: str, start: int, end: int,
             framed: bool, prev_text: str | None = None, need_facility: bool = False) -> list[Task]:
    lex = lexicon()
    prep = PREP.search(objects)
    listed = bool(LIST_MARK.search(objects) or PROJECT_FRAME.search(objects))
    if need_facility and not (listed or prep or prev_text) and not _facility_any().search(objects):
        return []  # a weak verb with no facility anywhere in its objects (the common case, made cheap)
    if prep:
        action = "plan"  # …等项目前期取得实质性进展: what follows the preparatory work is not a name
        objects, listed, framed = objects[:prep.start()], listed or "前期" in prep.group(0), True
    elif objects.endswith("项目") and not SPLIT.search(objects):
        listed = True  # one named project: 开工建设兰州石化120万吨乙烯改造项目
    category = LIST_CATEGORY.search(objects)
    kind_of = CATEGORY_WORDS.sub("", category.group(1)) if category else ""
    if _no_task_verb().match(objects) or (category and _no_task_verb().search(category.group(0))):
        return []  # 推动A、B等项目落地: the list's own verb makes no task
    if kind_of and not (PROJECT_WORD.search(category.group(0)) or _is_facility(kind_of)) and \
            not all(_is_facility(i) for i in objects[:category.start()].split("、")):
        return []  # 许港、郑焦、郑新等产业带: examples of a non-physical category (A、B等文化新地标: named facilities stay)
    objects = TRAILER.sub("", objects.strip())
    objects = objects.strip("，、 ").removesuffix("以及").rstrip("和及与")  # 抓好投资和项目建设
    if not objects or len(objects) > 80:
        return []
    objects = NUM_LIST.sub(lambda m: "、".join(x + m.group(2) for x in m.group(1).split("、")), objects)
    items = _split(objects)
    carried = 0  # items carried from the clause before (A、B，C等项目建成投用)
    if prev_text is not None and action != "plan":
        prev_items = _split(prev_text.strip())
        if prev_items and all(i.endswith(lex.facilities) and not _not_task().search(i) for i in prev_items):
            items, carried = prev_items + items, len(prev_items)
    items = _share_affixes(items)
    if kind_of and _is_facility(kind_of):  # 周口、潢川、鲁山等机场 → 周口机场 …
        tail = _facility_end().search(kind_of)  # none when kind_of is a facility by its works or phase
        suffix = kind_of if len(kind_of) <= 6 or not tail else tail.group(0)
        items = [i if _is_facility(i) else i + suffix for i in items]
    if items and _not_task().search(items[-1]):
        return []  # the list's category is a programme: 涞源、涞水…5个规模化林场试点建设
    kept = []
    own = 0  # kept items of this clause's own
    for n, item in enumerate(items):
        raw_item, quoted = item, "“" in item
        if item.startswith("“") and item.endswith("”") and verb not in QUOTED_OK_VERBS and not listed:
            continue  # a quoted name alone is a brand or slogan: 积极推进“湾区组合港”
        item = item.strip("“”\"《》 ")
        if _not_task().search(item):
            continue
        if "的" in item:
            item = item.rsplit("的", 1)[1]
        if item.count("“") != item.count("”"):
            item = item.replace("“", "").replace("”", "")
        item = ITEM_TRAILER.sub("", TRAILING_AMOUNT.sub("", item)) or item
        if _has_own_verb(item):
            continue  # a clause with its own verb (…示范项目一期建成), not a name
        item = LEAD.sub("", item) if len(LEAD.sub("", item)) >= 2 else item
        if not (2 <= len(item) <= 30):
            return []  # a phrase, not a list of named things
        if COUNTED.match(item):
            continue  # 及15个社区公园: a count of unnamed things
        if HEADING_NUMBER.match(item):
            continue
        if item.endswith(lex.not_task_ends):
            continue
        if CN_COUNT.match(item) or DIGIT_COUNT.search(item):
            continue
        if item.startswith(lex.generic_objects) or _bare_facility(item) or \
                item in BARE_WORDS or SLOGAN_ITEM.match(item) or \
                (quoted and verb not in QUOTED_OK_VERBS and not _is_facility(item)
                 and not (listed and raw_item[:1] != "“")):  # 四方埔“工业上楼”等7个项目: a place, then the name
            continue
        if need_facility and not (_is_facility(item) or listed):
            continue
        if not (_is_facility(item) or listed or (framed and len(item) >= 3) or (quoted and verb in QUOTED_OK_VERBS)
                or (LINE_WORD.search(item) and any(_is_facility(i) for i in items))):
            continue
        kept.append(item)
        own += n >= carried
    if not own:
        return []  # the clause's own objects are no named things: nothing is carried into it
    kind, year = ctx.kind_year(start)
    section = ctx.section(start)
    evidence = ctx.text[start:end]
    return [Task(type="task", kind=kind, year=year, start=start, end=end, evidence=evidence, section=section,
                 action=action, object=item, verb=verb) for item in kept]


def _has_own_verb(item: str) -> bool:
    """A task verb inside the item (not at its start) that is not part of its facility word
    (生物医药企业加速器二期: 加速 is in 加速器)."""
    fac = _facility_end().search(PHASE_END.sub("", item))
    for v in _VERB_ANY.finditer(item, 1):
        if not (fac and v.start() < fac.end() and v.end() > fac.start()):
            return True
    return False


def _split(objects: str) -> list[str]:
    """A list into its items: always at 、; at 和/及/以及 only between two names of two characters
    or more, so that 太和风景 and 金和路 stay whole."""
    items = []
    for part in objects.split("、"):
        part = part.rsplit("——", 1)[-1]  # 全市首座新建“多站合一”智能化试点——思明变电站: the name follows the dash
        pieces = SPLIT.split(part)
        items.extend(pieces if all(len(p) >= 2 for p in pieces) else [part])
    return [i for i in items if i]


@lru_cache(maxsize=1)
def _not_task() -> re.Pattern:
    """Any word that makes a candidate a programme, policy or goal rather than a thing."""
    return re.compile(alternation(w for w, where in rows("not_tasks.tsv") if where in ("contains", "verb")))


@lru_cache(maxsize=1)
def _no_task_verb() -> re.Pattern:
    """A verb that makes no task (落地, 签约, 创建…): it drops the whole list it ends."""
    return re.compile(alternation(w for w, where in rows("not_tasks.tsv") if where == "verb"))


@lru_cache(maxsize=1)
def _facility_end() -> re.Pattern:
    """The longest facility suffix a name ends with."""
    return re.compile("(?:" + alternation(lexicon().facilities) + ")$")


@lru_cache(maxsize=1)
def _works_end() -> re.Pattern:
    """Works done on a facility (``data/works.tsv``): 人民广场提升改造 is a facility's works."""
    return re.compile("(?:" + alternation(r[0] for r in rows("works.tsv")) + ")$")


@lru_cache(maxsize=1)
def _facility_any() -> re.Pattern:
    """A facility word anywhere, or a phase (一期), or 工程: the least an object needs."""
    return re.compile(alternation(lexicon().facilities) + r"|[一二三四五六七八九]期|工程")


@lru_cache(maxsize=4096)
def _bare_facility(item: str) -> bool:
    """Only a facility word, with or without works: 片区更新, 园区, 更新单元."""
    return _works_end().sub("", item) in lexicon().facilities


@lru_cache(maxsize=4096)
def _is_facility(item: str) -> bool:
    if "（" in item or "(" in item:
        item = BRACKET.sub("", item)
    works = _works_end().search(item)
    if works and works.start() >= 2 and _names_facility(item[:works.start()]):
        return True
    return _names_facility(item)


def _names_facility(item: str) -> bool:
    if item.endswith("工程"):
        return bool(ENGINEERING.search(item[:-2]) or PHASE.search(item) or _names_facility(item[:-2]))
    return item.endswith(lexicon().facilities) or bool(PHASE.search(item))


def _share_affixes(items: list[str]) -> list[str]:
    """象山线、慈溪线 → 市域铁路慈溪线; 6号线、7号线 after 轨道交通6号线 → 轨道交通7号线;
    G228余慈段、九龙大道…快速化改造 → each 快速化改造."""
    if len(items) < 2:
        return items
    out = list(items)
    for i in range(1, len(out)):
        cur, prev = out[i], out[i - 1]
        if cur[:1].isdigit():
            m = re.match(r"^(\D+)\d", prev)
            if m and not m.group(1)[-1:].isdigit():
                out[i] = m.group(1) + cur
        elif len(cur) <= 3 and len(prev) > len(cur) + 1 and cur[-1] == prev[-1]:
            out[i] = prev[: len(prev) - len(cur)] + cur
    works = _works_end().search(out[-1]) if len(out) > 1 else None
    if works:  # 平山村、百旺村、渔二村综合整治: names of one kind share the works
        kind = _facility_end().search(out[-1][:works.start()])
        if kind and all(x.endswith(kind.group(0)) for x in out[:-1]):
            out = [x + works.group(0) for x in out[:-1]] + [out[-1]]
    for tail in SHARED_TAILS:
        if out and out[-1].endswith(tail) and len(out) > 1:
            out = [x if x.endswith(tail) else x + tail for x in out]
            break
    else:
        last = out[-1] if out else ""
        found = _facility_end().search(last)
        suffix = found.group(0) if found and len(last) > len(found.group(0)) + 1 else ""
        if len(out) > 1 and all(len(x) == len(out[0]) <= 3 and (len(x) <= 2 or not _is_facility(x)) for x in out[:-1]) and \
                len(last) > len(out[0]) + 1 and _is_facility(last[len(out[0]):]) and \
                not _is_facility(last[:len(out[0])]):  # 坂澜大道、五和大道龙岗段: a section of one
            # 黄河、长城、长征国家文化公园 / 坪山、坑梓老城区升级改造: names of one length share
            # what follows the last one's name.
            tail = last[len(out[0]):]
            out = [x + tail for x in out[:-1]] + [last]
        elif suffix and len(out) > 1:
            # 安家庄、唐家河、毛家川煤矿 / 雄忻、石雄铁路: a short name takes the suffix of the next
            # item that has one (深大、深惠城际及…16号线南延: 深大城际).
            for i in range(len(out) - 2, -1, -1):
                nxt = _facility_end().search(out[i + 1])
                if nxt and len(out[i + 1]) > len(nxt.group(0)) + 1:
                    suffix = nxt.group(0)
                if len(out[i]) <= 4 and not _is_facility(out[i]):
                    out[i] += suffix
    return out
