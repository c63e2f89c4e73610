"""Indicator records: numbers with units, their qualifiers, measures and names.

One pass of one compiled pattern finds every number with what may follow it (a range, 余/多,
a magnitude, a unit, 左右/以上…).  Each candidate is then checked against the exclusion table,
and read in its clause: the qualifier before it, the verb before it (增长 → change, 提高到 →
level), the name before it (or the counted noun after it), and coordination (分别, 均, 各).
Ranks (第N, 首位) are found by ``ranks.py``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Indicator
from .context import Context
from .lexicon import alternation, lexicon, rows
from .naming import indicator_id, split_subjects, trim
from .numerals import parse_arabic, parse_chinese

CHANGE_NAME = re.compile(r"增速|增幅|涨幅|(?<!自然)增长率|降幅|下降率")  # 人口自然增长率 is a level
NEGATIVE_NAME = re.compile(r"降幅|下降率")
BARE_RATIO_NAME = re.compile(r"(?:倍差|差距|系数|指数|比例|比值|比|倍数|率|值)$")
BARE_RATIO_VERB = re.compile(r"(?:降至|降到|缩小至|缩小到|缩小为|下降到|下降至|提高到|提高至|提升到|提升至|达到|达|为|保持在|控制在)$")
# A Chinese numeral is read as a count only after one of these (新增两家, 超过千万人次, 举办百场).
CN_VERBS = re.compile(r"(?:新增|新建|建成|达到|达|突破|超过|超|逾|近|约|增加|减少|累计|共|培育|引进|获批|认定|创建|完成"
                      r"|举办|开展|实施|建设|打造|组建|设立|开通|形成|吸引|带动|惠及|服务|培训|帮扶|办好|推出|拥有"
                      r"|(?<=[\u4e00-\u9fff]{2})等)$")  # 三利集团、宏润公司等四家企业
OPEN_QUOTE = re.compile(r"[“「『][^”」』]{0,8}$")
ASCII_QUOTE = re.compile(r'"[^"]{0,8}$')  # "415X": opening or closing? an odd count in the clause opens
OPEN_TITLE = re.compile(r"《[^》]{0,30}$")
CJK = re.compile(r"[\u4e00-\u9fff“]")
TIME_ONLY = re.compile(r"^(?:[一二两三四五六七八九十\d]+年(?:来)?|年均|累计|全年|当年|同期)+$")  # 五年年均: no subject
MODIFIER_NEXT = re.compile(r"[\u4e00-\u9fff“”]{2,20}?(?:增长|下降|提高|提升|降低)\d+(?:\.\d+)?%")
LIST_NAMES = re.compile(r"榜单|排行榜")
THRESHOLD_NEXT = re.compile(r"\d+(?:\.\d+)?[万亿]+元?(?=[\u4e00-\u9fff])(?!元)")
NOT_A_NOUN = re.compile(r"支持|用于|带动|实现|实施|推动|建设|增长|同比|比上|较上|占|左右|以上|以内|以下|的|、|和|及|等|关口|大关|台阶")
FACILITY_TAIL = re.compile(r"(?:项目|工程|生产线|装置|机组|电站|电厂|基地)$")
# 蠡县10万千瓦风电项目并网发电, 年产6万吨莱赛尔等项目: the project's name goes on after the capacity
FACILITY_AHEAD = re.compile(r"[\u4e00-\u9fff]{1,8}?等?(?:项目|工程|生产线|装置|机组|电站|电厂)")
RATIO_MOVES_TO = re.compile(r"(?:缩小|降|下降|降低|提高|提升|扩大)(?:至|到)")
ACTION_END = re.compile(r"(?:提升|建设|新建|建成|实施|完成|新增|改造|巩固|打造|培育|发展|推进|增加|达到|达|为|累计|共|超|突破|保障"
                        r"|投入|安排|争取|下达|筹措|拨付|发放|统筹)$")
RANKED = re.compile(r"排名|位次|排位|名次")
COMPARED_WITH = re.compile(r"(?:较|(?<!占)比|同比|相比|与)(?:上年|去年|上年同期|同期|“?十[一二三四五六]五”?(?:时期|末|期末)?|20\d\d年)?$")
YEAR_BEFORE = re.compile(r"(20\d\d)\s*年(?:的|底|末)?$")
SPLIT_MARK = re.compile(r"(?:分别|(?<![年人亩平])均|各|都|双双)$")
LIST_BEFORE = re.compile(r"(?:等|和|及|与|、)$")  # 洛阳等10个国家物流枢纽: the number counts what follows
NEXT_VALUE = re.compile(r"、|\d+(?:\.\d+)?(?![\dA-Za-z.强])")  # where a counted noun ends (5G工厂 goes on)
VERB_END = re.compile(r"(?:打造|培育|做大|做强|新建|建成|新增|引进|创建|组建|设立|认定|实施|建设|通达|覆盖|辐射|联通|连接)$")
LEADING_ACTION = re.compile(r"开工建设|开工|建成|提速|推进|实施|新增|新建|完成|培育|引进|建设|支持|打造|做好|改造")
# a list before 等 and the head after it: (lead+first items)(、 or ” before 等)(head)
LISTED_HEAD = re.compile(r"^(.*?)([、”].*)(?<![高同平对均初中上优])等(?!级)([^、等”“]+)$")  # not 高等职业学校
LIST_LEAD = re.compile(r"^[\u4e00-\u9fff]{0,6}?(?:新增|开展|完成|实施|建成|新建|培育|引进|举办|组织|推出)")
# what 总投资N亿元的 names: after a count (34个), the object up to its facility word (not one that a
# phase continues: 工程二期项目), else up to its verb or the clause's end
INVEST_OBJECT = re.compile(r"(?:\d+个)?(.*?(?:项目|工程|管线|管道|基地|园区|中心|电站|电厂|生产线)(?![一二三四五六七八九十\d]期)"
                           r"|.*?(?=建设|等|年底|年内|建成|开工|竣工|投产|投用|实施|完成|$))")
PER_VOLUME = re.compile(r"每立方米$")
# 完成 between a subject and an amount of money (生产总值完成1737.6亿元: baoding 2007 to 2022, gaoyang
# 2015 to 2019; 一般公共预算地方本级收入完成43.5亿元: pingshan 2019) is no part of the subject
DONE_BEFORE_AMOUNT = re.compile(r"(?<=[\u4e00-\u9fff）”]{2})完成$")
NOTE_BEFORE = re.compile(r"[（(][^（()）\d]{1,12}[）)]$")  # （下同）: pingshan 2014, pingshan 2015
MILESTONES = ("台阶", "新台阶", "大关", "关口")  # 迈上3万亿元台阶: a milestone names nothing
MEDALS = ("金", "银", "铜")
MEDAL_RUN = re.compile(r"\d+金\d+银(?:\d+铜)?")
INDEX_NAME = re.compile(r"(?:指数|系数)$")
BIG_COUNT = re.compile(r"大(?=[\u4e00-\u9fff])")  # 7大产业集群, 4大夜经济示范区: N大 counts 个
# 空气质量优良天数242天, 审批时限分别压缩65、45个工作日: the name measures a span of time
# 高于全国0.3个百分点, 快于经济增速1个百分点: a gap to a benchmark, not the indicator's own value
GAP = re.compile(r"(?:高于|低于|快于|慢于|领先)(?=全国|全省|全市|全区|经济增速|同期|平均)")
# 是2015年的2倍, 比2015年增加: the year is the base of a comparison, not the year of the value
SCOPE_WHOLE = r"(?:全国|全省|全市|全区|全县)$"  # 超过全省1/10: a qualifier before the whole a share is of
BASE_BEFORE = re.compile(r"(?:是|为|比|较|相当于)$")
BASE_NAME = re.compile(r"(?:是|为|相当于|比|较)20\d\d年(?:末|底)?的?$")
DURATION_NAME = re.compile(r"(?:天数|时长|用时|时间|时限)(?:分别|均)?(?:压缩|缩短|减少)?(?:[\d.]+[、和])*$")
NOT_PEOPLE = re.compile(r"惠及|带动|服务|覆盖|帮助|解决|吸纳|培训|资金|元|、")
GENERIC_CLASSIFIERS = ("个", "家", "项", "件", "条", "所", "座", "名", "宗", "处")  # 100个以上项目 counts its noun


def _pattern() -> re.Pattern:
    lex = lexicon()
    # a unit written in Latin letters ends where the word does (100PB is not 100 P)
    units = "|".join(re.escape(u) + ("(?![A-Za-z])" if u[-1].isascii() and u[-1].isalpha() else "")
                     + (f"(?![{re.escape(lex.unit_not_before[u])}])" if u in lex.unit_not_before else "")
                     for u in sorted(lex.units, key=len, reverse=True))
    mags = alternation(lex.magnitudes)
    # The qualifier words the pattern accepts come from qualifiers.tsv, so each has a row there.
    inside = alternation(lex.qualifiers["inside"])
    after = alternation(lex.qualifiers["after"])
    # A Chinese numeral is a candidate only when a magnitude or unit follows (一般, 统一 are not).
    cn_ahead = rf"(?=(?:{inside})?(?:{mags})?(?:{inside})?(?:{units}|(?<=[万亿])))"
    return re.compile(
        # 占全国一半以上: a half.  (A share written a/b — 占全国1/3 — is not read: its quotient is
        # not written in the text, which the provenance contract of records.md requires.)
        r"(?=[\d零〇一二两三四五六七八九十百千万亿])"  # a cheap first test at each position
        r"(?P<num>(?P<half>一半)"
        r"|(?P<bare>[万亿](?<=[超近逾破约][万亿]))"  # a magnitude written only in words: 超万亿元, 破万, 近万家
        rf"|\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+{cn_ahead})"
        r"(?:(?P<pct1>%)?\s*(?P<dash>[-—–~～])\s*(?P<num2>\d+(?:\.\d+)?))?"
        rf"(?P<in1>{inside})?"
        rf"(?P<mag>{mags})?"
        rf"(?P<in2>{inside})?"
        rf"(?P<unit>{units})?"
        r"(?P<alt>[（(][\u4e00-\u9fff]{1,2}[）)])?"
        rf"(?P<after>{after})?"
    )


_MILESTONE: re.Pattern | None = None


def _milestone(segment: str) -> bool:
    """True when a segment only states a milestone or standing of the subject before it
    (data/milestones.tsv: 历史性突破千亿大关, 稳居全国前十强)."""
    global _MILESTONE
    if _MILESTONE is None:
        _MILESTONE = re.compile("(?:" + "|".join(r[0] for r in rows("milestones.tsv")) + ")(?:位|名)?")
    return bool(_MILESTONE.fullmatch(segment.strip(" \u3000")))


_PATTERN: re.Pattern | None = None
_EXCLUDE_BEFORE: re.Pattern | None = None
_EXCLUDE_AFTER: re.Pattern | None = None
_QUAL_BEFORE: re.Pattern | None = None
_VERB_BEFORE: re.Pattern | None = None
_SHARE_OF: re.Pattern | None = None
_QUAL_ACTION: re.Pattern | None = None
_VERB_FULL: re.Pattern | None = None


def _compile() -> None:
    global _PATTERN, _EXCLUDE_BEFORE, _EXCLUDE_AFTER, _QUAL_BEFORE, _VERB_BEFORE, _SHARE_OF, _VERB_FULL, _QUAL_ACTION
    lex = lexicon()
    _PATTERN = _pattern()
    _EXCLUDE_BEFORE = re.compile("(?:" + "|".join(lex.exclude_before) + ")$")
    _EXCLUDE_AFTER = re.compile("(?:" + "|".join(lex.exclude_after) + ")")
    _QUAL_BEFORE = re.compile("(?:" + alternation(lex.qualifiers["before"]) + ")$")
    _VERB_BEFORE = re.compile("(?:" + alternation(lex.verbs) + ")$")
    _VERB_FULL = re.compile("(?:" + alternation(lex.verbs) + ")")
    _QUAL_ACTION = re.compile("(" + alternation(lex.qualifiers["before"]) + ")" + ACTION_END.pattern)
    _SHARE_OF = re.compile("(" + alternation(lex.qualifiers["before"]) + ")" + SCOPE_WHOLE)


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


def find_indicators(ctx: Context) -> list[Indicator]:
    if _PATTERN is None:
        _compile()
    text = ctx.text
    cands: list[Candidate] = []
    for m in _PATTERN.finditer(text):
        c = _read(ctx, text, m, cands)
        if c is not None:
            cands.append(c)
    records = _resolve(ctx, cands)
    from .ranks import find_ranks

    records.extend(find_ranks(ctx, records))
    records.sort(key=lambda r: (r.start, r.end))
    return records


def _read(ctx: Context, text: str, m: re.Match, prev: list[Candidate]) -> Candidate | None:
    lex = lexicon()
    num = m.group("num")
    start = m.start()
    unit_word = m.group("unit") or ""
    mag = m.group("mag") or ""
    fraction = m.group("half")
    # 超百亿, 破千亿, 近百个, 千余场, 超万亿元, 破万: a magnitude written only in words
    word_mag = m.group("bare") or (num in ("百", "千") and (
        _QUAL_BEFORE.search(text, max(0, start - 4), start) or m.group("in1")))
    if fraction or unit_word == "成":
        # 占全国1/4, 近1/5, 占全市三成以上, 一半以上: a share, only with 占 or a qualifier
        if m.group("pct1") or m.group("num2") or not (
                "占" in text[ctx.clause(start)[0]:start] or _QUAL_BEFORE.search(text, max(0, start - 4), start)
                or _SHARE_OF.search(text, max(0, start - 6), start) or m.group("after")):
            return None
    elif not num[0].isdigit() and not word_mag and (num == "一" or not (unit_word or mag)):
        return None  # 一般, 统一, 三农: Chinese numerals count only with a unit
    if unit_word == "年" and num.isdigit() and len(num) == 4:
        return None  # 2020年: a year
    # A match that starts inside a longer number, or a numeral inside a word.
    if start and (text[start - 1].isdigit() or text[start - 1] == "."):
        return None
    arabic = num[0].isdigit() or bool(fraction)
    before = text[max(0, start - 12):start]
    per = PER_VOLUME.search(before) if unit_word in ("微克", "毫克") else None
    if per or (unit_word in ("微克", "毫克") and prev and prev[-1].clause == ctx.clause(start)
               and prev[-1].unit.endswith("/立方米")):
        unit_word += "/立方米"  # PM2.5浓度由每立方米19.1微克降至17.2微克: 微克/立方米
        before = before[:per.start()] if per else before
    if _EXCLUDE_BEFORE.search(before) or OPEN_QUOTE.search(before) or OPEN_TITLE.search(text, max(0, start - 30), start):
        return None
    if '"' in before and ASCII_QUOTE.search(before) and text.count('"', ctx.clause(start)[0], start) % 2:
        return None  # inside "…" written with ASCII quotes; 拆除"一区三边"违法建设12万平方米 is outside
    after_num = m.end("num") if m.group("num2") is None else m.end("num2")
    rest = text[after_num:after_num + 6]
    if not mag and not unit_word and _EXCLUDE_AFTER.match(rest):
        return None

    if text.startswith("级", m.end()) or (unit_word == "人" and text.startswith("制", m.end())):
        return None  # 100亿级产业名镇, 四星级, 3人制篮球场: a grade or a format, not an amount
    if unit_word in MEDALS and not any(a.start() <= start < a.end() for a in MEDAL_RUN.finditer(text, max(0, start - 12), start + 12)):
        return None  # 金/银/铜 count medals only in a run: 3金1银2铜
    if unit_word == "期" and (not num[0].isdigit() or re.match(r"[\u4e00-\u9fff]", text[m.end():m.end() + 1])):
        return None  # 二期项目, 1期试点: a phase, not a count of issues (举办院士讲堂12期)
    if fraction:
        value = 0.5
    elif m.group("bare"):
        value, mag = 1.0, num + mag  # 超万亿元 → 1 万亿元
    elif not arabic:
        value = parse_chinese(num)
        if value is None or num == "一":
            return None
        if not word_mag and unit_word != "成" and (not unit_word or not CN_VERBS.search(before)):
            return None
        if (word_mag or lex.units.get(unit_word) != "count") and CJK.match(text, m.end()) and (
                FACILITY_TAIL.search(text, m.end(), ctx.clause(start)[1]) or FACILITY_AHEAD.match(text, m.end())):
            return None  # 实施百亿斤粮食产能提升工程: a magnitude in words inside a project's name
        if word_mag and prev and prev[-1].name_from_after and prev[-1].start < start < prev[-1].used_end:
            return None  # 新增1个经济总量近千亿、…的县市: inside the noun a count just named
        if not word_mag and text.startswith(lex.count_phrases, m.end()):
            return None  # 八个方面, 三个“一号工程”, 十项重大工程: structures and names, not counts
        around = text[max(0, start - 3):m.end() + 3]
        if any(idiom in around for idiom in lex.idioms):
            return None
    else:
        if len(num) > 15:
            return None  # past float precision: a code or an identifier, not a figure
        value = parse_arabic(num)
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
    if after in ("以上", "以下", "及以上", "及以下") and m.end() < clause[1] and CJK.match(text, m.end()) \
            and (unit_class != "count" or unit_word not in GENERIC_CLASSIFIERS) \
            and not (unit_class == "percent" and text.startswith("的", m.end())):  # 60%以上的县级特困供养机构
        return None
    if unit_class == "" and unit_word == "" and mag == "":
        pass  # bare number: only a ratio after a level verb (倍差降至1.67)
    # A year written right before the value (从2020年的53.2%提升到2025年的57.7%).
    pos = start - (len(per.group(0)) if per else 0)
    if text[pos - 1:pos] in "）)":
        note = NOTE_BEFORE.search(text, max(clause[0], pos - 14), pos)
        if note:
            pos = note.start()  # 同比增长（下同）10.0%: a note between the verb and the value
    at_year = None
    ym = YEAR_BEFORE.search(text, max(clause[0], start - 8), start)
    if ym and not BASE_BEFORE.search(text, max(clause[0], ym.start() - 3), ym.start()):
        at_year = int(ym.group(1))
        pos = ym.start()
    # Qualifier written before the number, and the verb before that.
    qualifier = "exact"
    qual_after = False
    qm = _QUAL_BEFORE.search(text, max(clause[0], pos - 4), pos)
    scope_qm = _SHARE_OF.search(text, max(clause[0], pos - 6), pos) if (fraction or unit_word == "成") and not qm else None
    if scope_qm:  # 超过全省一半: the qualifier stands before the whole it is a share of
        qualifier = lex.qualifiers["before"][scope_qm.group(1)]
    if qm:
        qualifier = lex.qualifiers["before"][qm.group(0)]
        pos = qm.start()
    follow = text[m.end():m.end() + 2]
    if qm and qualifier == "at_least" and (unit_class == "measure" or not unit_word) and (
            (CJK.match(follow) and not NOT_A_NOUN.match(follow)) or follow.startswith("的")
            or (follow.startswith("、") and THRESHOLD_NEXT.match(text, m.end() + 1))):
        return None  # 总投资超10亿元项目, 城区人口超50万县, 超1000亿元的集群, 超500亿、1000亿集群
    if unit_class == "measure" and CJK.match(follow) and not NOT_A_NOUN.match(follow) \
            and (FACILITY_TAIL.search(text, m.end(), clause[1]) or FACILITY_AHEAD.match(text, m.end(), clause[1])) \
            and not ACTION_END.search(text, clause[0], pos):
        return None  # 开工建设兰州石化120万吨乙烯改造项目: a capacity inside a project's name
    inside = m.group("in1") or m.group("in2")
    if inside:
        qualifier = lex.qualifiers["inside"][inside]
    if after:
        qualifier = lex.qualifiers["after"][after]
        qual_after = True
    sign, reading, verb = 1, "", ""
    vm = _VERB_BEFORE.search(text, max(clause[0], pos - 4), pos)
    if vm and vm.group(0) in ("增", "增加") and text[vm.start() - 1:vm.start()] == "新":
        vm = None  # 新增 names a flow (新增就业), it is not a change verb
    if qualifier == "exact" and not qm and not vm:
        qa = _QUAL_ACTION.search(text, max(clause[0], pos - 8), pos)
        if qa:  # 每个县至少建成1个…: the qualifier stands before the action verb
            qualifier = lex.qualifiers["before"][qa.group(1)]
    if not vm and qm and qm.group(0) in lex.verbs:
        verb, (sign, reading) = qm.group(0), lex.verbs[qm.group(0)]  # 控制在: a qualifier word and a level verb
    if vm:
        verb = vm.group(0)
        sign, reading = lex.verbs[verb]
        pos = vm.start()
        if not qm:  # 降幅超过3%: a qualifier may also stand between the verb and the number
            qm2 = _QUAL_BEFORE.search(text, max(clause[0], pos - 4), pos)
            if qm2:
                qualifier = lex.qualifiers["before"][qm2.group(0)] if qualifier == "exact" else qualifier
                pos = qm2.start()
    if unit_class == "duration" and not re.search(r"[由从](?:20\d\d年的?)?$", text[max(clause[0], start - 8):start]):
        # Only a level reached or a limit (达到10.5年, 压缩至6个工作日以内), or the start of
        # 由18小时缩短到5小时; never a date or a name.
        # A change of a span (比2015年增加115天) and the value of a count of days (优良天数242天) stand too.
        spans = reading == "change" or DURATION_NAME.search(text, clause[0], pos)
        if CJK.match(text, m.end()) or (unit_word in ("年", "个月") and reading != "level" and qualifier == "exact") \
                or not (reading == "level" or qualifier != "exact" or spans):
            return None
    if not unit_word and not mag and re.search(r"[由从]$", text[max(clause[0], start - 1):start]) \
            and RATIO_MOVES_TO.match(text, m.end()) and BARE_RATIO_NAME.search(trim(text[clause[0]:start - 1])):
        reading = "level"  # 城乡居民收入比值由3.27缩小至2.93: the starting ratio
    big = not unit_word and not mag and num.isdigit() and BIG_COUNT.match(text, m.end())
    if big:
        unit_word, unit_class = "个", "count"
    if not unit_word and not mag and not fraction:
        name_pre = trim(re.split(r"[由从]", text[clause[0]:pos])[0])
        if not (reading == "level" and BARE_RATIO_NAME.search(name_pre)) and not BARE_RATIO_VERB.search(text[clause[0]:start]) \
                and not ("." in num and INDEX_NAME.search(name_pre)):  # 空气质量综合指数4.463: an index's value
            return None
        if not BARE_RATIO_NAME.search(name_pre):
            return None
    # Name: what stands before in the clause (after any earlier value of the same clause).
    name_start = clause[0]
    for c in reversed(prev):
        if c.clause == clause:
            name_start = max(name_start, c.used_end)
            break
        if c.end <= clause[0]:
            break
    pre_raw = text[name_start:pos]
    seg_from = max(name_start, text.rfind("、", name_start, start) + 1)
    seg_to = text.find("、", m.end(), clause[1])
    inside_milestone = _milestone(text[seg_from:clause[1] if seg_to == -1 else seg_to])
    if inside_milestone and unit_word in GENERIC_CLASSIFIERS:
        return None  # 3年突破两个千亿大关: a count of milestones
    if name_start > clause[0] and "、" in pre_raw.rstrip("、"):
        pre_raw = pre_raw.rstrip("、").rsplit("、", 1)[1]  # 1.4万亿斤新台阶、亩产提升10.1斤 → 亩产
    if inside_milestone or ("、" in text[clause[0]:pos] and _milestone(pre_raw.rstrip("、"))):
        pre_raw = ""  # 首次突破2000亿元大关; 、稳居全国前十强、增长4.8%: the subject before
    if pre_raw.endswith("分别年均"):  # 分别年均增长 reads as 年均 … 分别
        pre_raw = pre_raw[:-4] + "年均分别"
    split_mark = ""
    subjects = None
    sm = SPLIT_MARK.search(pre_raw)
    if sm:
        split_mark = sm.group(0)
    elif "分别" in pre_raw:  # 交通、水利分别完成投资2500亿元、800亿元
        who, _, what = pre_raw.partition("分别")
        split_mark = "分别"
        subjects = [trim(w) + trim(what) for w in split_subjects(trim(who))]
        pre_raw = who + what
    name = trim(COMPARED_WITH.sub("", BASE_NAME.sub("", pre_raw) if "20" in pre_raw else pre_raw))
    if pre_raw.rstrip().endswith("、") and not LIST_BEFORE.search(pre_raw.rstrip()[:-1]):
        name = ""  # 、稳居全国前十强、增长4.8%: the value continues the previous subject
    elif unit_word.endswith("元") and DONE_BEFORE_AMOUNT.search(name):
        name = trim(DONE_BEFORE_AMOUNT.sub("", name))  # 生产总值完成1737.6亿元: the amount of the subject
    time_words = None
    if name and TIME_ONLY.match(name):  # 国内生产总值增加到121万亿元，五年年均增长5.2%
        time_words, name = ("年均" if "年均" in name else ""), ""
    name_from_after = False
    tail = ""
    if unit_class == "percent" and text.startswith("的", m.end()):  # 超50%的行政村达到美丽乡村标准
        tail = text[m.end() + 1:clause[1]]
    elif (unit_class == "count" or len(name) <= 2) and m.end() < clause[1] and CJK.match(text, m.end()):
        # The number counts the noun after it: 216个“两重”项目…, 新增100个以上项目纳入…
        stop = clause[1]
        nxt = NEXT_VALUE.search(text, m.end(), clause[1])
        if nxt:
            stop = nxt.start()
            opened = text.count("“", m.end(), stop)
            close = text.find("”", stop, clause[1]) if opened else -1
            if close != -1 and opened > text.count("”", m.end(), stop):
                nxt = NEXT_VALUE.search(text, close, clause[1])  # 10座“24小时图书馆”: a number inside a name
                stop = nxt.start() if nxt else clause[1]
        tail = text[m.end() + (1 if big else 0):stop]
        if len(tail) <= 5 and (_VERB_FULL.fullmatch(trim(tail)) or trim(tail) in MILESTONES):
            tail = ""  # 由59张增至410张: a verb alone names nothing; the value takes the subject before
    if tail and unit_class == "count" and not trim(pre_raw) and MODIFIER_NEXT.match(text, m.end()):
        return None  # 17个重点传统制造业增加值增长8%: the count only picks out the subject of the rate
    if unit_class == "count" and LIST_NAMES.search(text, m.end(), clause[1]) and "强" in text[clause[0]:start]:
        return None  # 研发投入500家、发明专利500家等五张榜单: list names, like 500强
    used_end = m.end()
    listed = LISTED_HEAD.match(name) if "等" in name else None
    if listed and len(listed.group(3)) >= 2:
        # 新增浙东工业母机、…、长三角大飞机等国家先进制造业集群4个: the list names members, the head what is counted
        lead = LIST_LEAD.match(listed.group(1))
        name = (lead.group(0) if lead else "") + listed.group(3)
    if name.endswith("总投资") and text.startswith("的", m.end()):
        # 加快总投资52亿元的34个配套项目建设: the investment of what follows 的
        what = INVEST_OBJECT.match(text, m.end() + 1, clause[1])
        if what and trim(what.group(1)):
            name = trim(what.group(1)) + "总投资"
    if tail and unit_class == "percent":
        name = trim(name + tail)
        used_end = clause[1]
    elif tail and len(name) > 4 and VERB_END.search(pre_raw) and not LIST_BEFORE.search(pre_raw.rstrip()):
        name = trim(VERB_END.search(pre_raw).group(0) + tail)  # 因地制宜聚力打造1-2个主导产业
        name_from_after = True
        used_end = m.end() + len(tail)
    elif tail and (not name or len(name) <= 4 or LIST_BEFORE.search(pre_raw.rstrip())):
        if LIST_BEFORE.search(pre_raw.rstrip()):  # 开工长深高速改扩建等2个项目 → 开工项目
            lead = LEADING_ACTION.match(pre_raw.strip())
            name = trim((lead.group(0) if lead else "") + tail)
        else:
            name = trim(name + tail)
        name_from_after = True
        used_end = m.end() + len(tail)
    if unit_word == "％":
        unit_word = "%"  # the full-width sign; ‰ stays its own unit
    if unit_word in MEDALS:
        base = trim(re.sub(r"(?:斩获|摘得|勇夺|夺得|获得|取得|获)$", "", name))
        games = re.search(r"在(.+?)上$", base)
        base = games.group(1) if games else base  # 南山健儿在杭州亚运会上 → 杭州亚运会
        if not base and prev and prev[-1].unit in MEDALS and prev[-1].clause == clause:
            base = prev[-1].name[:-2]  # 3金1银: the silver of the same games
        name = base + unit_word + "牌"
    unit = mag + unit_word + (m.group("alt") or "")
    value_max = None
    if m.group("num2"):
        value_max = parse_arabic(m.group("num2"))
        if value_max < value:
            value, value_max = value, value_max  # keep as written: 3-5分 → 3, 5
    subject = GAP.split(name, 1)[0] if "于" in name else name  # 增速高于全国: the gap is read by its subject
    if reading != "change" and (CHANGE_NAME.search(subject) or subject.endswith("增长")) and unit_class == "percent":
        reading = "change"
        if NEGATIVE_NAME.search(name):
            sign = -1
    from_value = pos > clause[0] and text[pos - 1] in "由从"
    return Candidate(start=start, end=m.end(), value=value, value_max=value_max, unit=unit,
                     unit_class=unit_class, qualifier=qualifier, sign=sign, reading=reading, name=name,
                     name_from_after=name_from_after, time_words=time_words, used_end=used_end, split_mark=split_mark, subjects=subjects, from_value=from_value, verb=verb, at_year=at_year, qual_after=qual_after, ranked=bool(RANKED.search(text, clause[0], pos)), clause=clause)


def _resolve(ctx: Context, cands: list[Candidate]) -> list[Indicator]:
    """Coordination (分别/均/各), inherited names and verbs, then records."""
    out: list[Indicator] = []
    i = 0
    n = len(cands)
    while i < n:
        c = cands[i]
        # A run of values in one clause joined by 、 (分别增长4.3%、6.1%).
        run = [c]
        j = i + 1
        while j < n and cands[j].clause == c.clause and ctx.text[run[-1].end:cands[j].start].strip() in ("、", "和", "、增长", ""):
            if cands[j].name and not cands[j].name_from_after:
                break
            run.append(cands[j])
            j += 1
        if len(run) > 1:
            for prev, k in zip(run, run[1:]):
                joined = ctx.text[prev.end:k.start].strip() in ("、", "和", "")
                if not k.reading:
                    k.reading, k.sign = c.reading, c.sign
                if joined and k.qualifier == "exact" and c.qualifier != "exact" and not c.qual_after \
                        and k.unit.lstrip("万亿千百十") == c.unit.lstrip("万亿千百十"):  # 分别超8万元、4.8万元; not 破亿、4次
                    k.qualifier = c.qualifier  # 分别超8万元、4.8万元
            last = run[-1]
            if last.qual_after:  # 分别控制在5%和2%以内: the closing word covers the list
                for k in run[:-1]:
                    if k.qualifier == "exact":
                        k.qualifier = last.qualifier
        if len(run) > 1 and not c.name and c.split_mark == "分别":
            # …、到位资金5000亿元，分别增长13.1%、33.7%: the subjects are the sentence's last values
            s0 = ctx.sentence(c.start)[0]
            prior = [r.indicator for r in out if r.start >= s0]
            prior = list(dict.fromkeys(prior))
            if len(prior) >= len(run):
                for k, nm in zip(run, prior[-len(run):]):
                    out.append(_record(ctx, k, nm))
                i = j
                continue
        names: list[str]
        for k in run:
            _complete(out, k)
        if c.name.startswith("占") and _inherit(out, c) and not c.name_from_after:
            c.name = _inherit(out, c) + c.name  # 总数达233家，占全市三成以上: the share of the subject before
        if GAP.match(c.name) and _inherit(out, c):
            # 增长5.4%、高于全国1.9个百分点: a gap to a benchmark, named after the indicator it follows
            c.name = GAP.split(_inherit(out, c), 1)[0] + c.name
        if not c.name:
            c.name = _inherit(out, c)
            if c.time_words is not None and c.name.endswith("年均"):
                c.name = c.name[:-2]  # the inherited subject, without its own 年均
            if c.name and c.time_words and not c.name.endswith(c.time_words):
                c.name += c.time_words
        # 原煤、原油、天然气产量达到6640.8万吨、1253.6万吨…: listed subjects, one value each; not
        # 外贸进出口额615.4亿元、增长25.2%, whose second value is a change of the first
        pure = all(ctx.text[a.end:b.start].strip() in ("、", "和", "") for a, b in zip(run, run[1:]))
        listed = split_subjects(c.name, wanted=len(run)) if len(run) > 1 and c.split_mark != "分别" and pure else []
        if len(run) > 1 and (c.split_mark == "分别" or len(listed) == len(run)):
            # 分别增长4.3%、6.1%; 原煤、原油、天然气产量达到6640.8万吨、1253.6万吨、9.1亿立方米
            subjects = listed or c.subjects or split_subjects(c.name, wanted=len(run))
            names = subjects if len(subjects) == len(run) else [c.name] * len(run)
            for k, nm in zip(run, names):
                out.append(_record(ctx, k, nm))
        else:
            for k in run:
                if k is not c and not k.name:
                    k.name = c.name
                parts = k.name.split("、") if "、" in k.name and not k.split_mark else []
                if len(parts) > 1 and all(len(p) >= 4 and (indicator_id(p) or p.endswith(lexicon().heads))
                                          for p in parts):
                    # 社会消费品零售总额、固定资产投资增长4%左右: full indicators sharing one value
                    for nm in parts:
                        out.append(_record(ctx, k, nm))
                elif k.split_mark in ("均", "各", "都", "双双"):
                    subjects = split_subjects(k.name, wanted=2 if len(split_subjects(k.name)) < 2 else None)
                    for nm in subjects:
                        out.append(_record(ctx, k, nm))
                else:
                    out.append(_record(ctx, k, k.name))
        i = j
    _share_heads(out)
    return out


def _share_heads(out: list[Indicator]) -> None:
    """新增5个国家级、60个省级高技能人才培训基地: the tier-only name takes the head of the next."""
    for a, b in zip(out, out[1:]):
        if a.start == b.start and a.indicator.endswith("级") and "级" in b.indicator[:-1]:
            head = b.indicator.split("级", 1)[1]
            if head:
                a.indicator += head
                a.indicator_id = indicator_id(a.indicator)


_ALONE = re.compile(r"^(?:总数|总量|总投资|总长|总里程|总面积|金额|交易额|累计|合计|总计|总规模|开工|竣工|建成|投产|完工|开通|新增|完成|签约|落地|同口径|可比口径)$")
_ALONE_HEAD = re.compile(r"^(?:总产|总产量|单产|亩产|产量)$")  # 粮食播种面积1520万亩、总产125亿斤 → 粮食总产; 、产量514.4万吨 → 粮食产量
# 实施省市重点项目414个，完成投资3210亿元: the investment of the projects just counted
_ALONE_INVEST = re.compile(r"^(?:完成投资|计划投资|投资|累计完成投资|完成年度投资)$")
_VERB_TAIL = re.compile(r"(?:开工|竣工|建成|投产|完工|开通|新增|完成|签约|落地)$")


def _complete(out: list[Indicator], c: Candidate) -> None:
    """新增“百亿县”4个、总数达到40个 → 百亿县总数; 重大项目开工390个、竣工437个 → 重大项目竣工."""
    if _ALONE_HEAD.match(c.name) and out and out[-1].end >= c.clause[0]:
        c.name = out[-1].indicator[:2] + c.name
    elif out and out[-1].end >= c.clause[0] - 1 and (
            _ALONE.match(c.name) or (_ALONE_INVEST.match(c.name) and out[-1].unit in ("个", "项"))):
        # 新增国家高新技术企业341家，总量3151家; 实施农业投资项目431个，总投资744亿元
        base = _VERB_TAIL.sub("", out[-1].indicator) or out[-1].indicator
        base = re.sub(r"^(?:新增|新建|建成|累计|新认定|实施)", "", base) or base
        c.name = base + c.name


def _inherit(out: list[Indicator], c: Candidate) -> str:
    """A value with no name of its own (、增长34.9%) takes the previous record's in its sentence."""
    if out and out[-1].end >= c.clause[0] - 40:
        return out[-1].indicator
    return ""


def _record(ctx: Context, c: Candidate, name: str) -> Indicator:
    kind, year = ctx.kind_year(c.start)
    if c.at_year:
        year = c.at_year
    elif c.from_value and year is not None:
        kind, year = "result", ctx.start_year(c.start, year)
    measure = "change" if c.reading == "change" and c.unit_class in ("percent", "multiple") else "quantity"
    unit = c.unit
    if unit == "位" and c.ranked:  # 排名由369位上升到235位
        measure, unit, name = "rank", "", RANKED.sub("", name) or name
    value = c.value * c.sign
    value_max = c.value_max * c.sign if c.value_max is not None else None
    start, end = c.clause
    evidence = ctx.text[start:end]
    name = name.replace(" ", "")
    if len(name) <= 2 and c.verb and indicator_id(name + c.verb):
        name += c.verb  # 经济增长5%左右: the verb is part of the indicator's name
    return Indicator(
        type="indicator", kind=kind, year=year, start=start, end=end,
        evidence=evidence, section=ctx.section(c.start),
        indicator=name, measure=measure, value=value, value_max=value_max, unit=unit,
        qualifier=c.qualifier, estimated=ctx.estimated(c.start), scope=None,
        indicator_id=indicator_id(name),
    )


_RUN_BEFORE = re.compile(r"[\u4e00-\u9fff（）、]+$")  # 高清路、…、城冯路（龙化段）4条乡道
_ITEM_SPLIT = re.compile(r"[、和及与]")
_LIST_END = re.compile(r"(?:各|均|都|分别|共|计|等|达到|达|为|新增|增加|建成|新建|实施)$")
_QUOTED_BEFORE = re.compile(r"“([^”]{1,16})”$")


def _restates_list(text: str, start: int, value: float) -> bool:
    """True when a count only restates the list standing right before it."""
    q = _QUOTED_BEFORE.search(text, max(0, start - 20), start)
    if q and len(q.group(1)) == value and re.fullmatch(r"[\u4e00-\u9fff]+", q.group(1)):
        return True  # “牛羊菜果薯药粮种”8个产业集群
    if value < 2 or value > 13:
        return False
    r = _RUN_BEFORE.search(text, max(0, start - 80), start)
    if not r or _LIST_END.search(r.group(0)):
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


CONJ_NEXT = re.compile(r"、|和|与|或")


def _shared_unit(text: str, end: int, own: str = "") -> tuple[str, str] | None:
    """(magnitude, unit) of the next number when a bare number is coordinated with it."""
    cm = CONJ_NEXT.match(text, end)
    if not cm:
        return None
    nm = _PATTERN.match(text, cm.end())
    if nm is None or not nm.group("num")[0].isdigit() or nm.group("num2"):
        return None
    unit = nm.group("unit") or ""
    if own == "个" and unit == "个百分点":
        return "", unit  # 分别高于全国12.7个、12个百分点
    if own or not unit or lexicon().units.get(unit) == "duration" and "工作日" not in unit:
        return None  # 2023和2024年: years
    return nm.group("mag") or "", unit


_PEOPLE: re.Pattern | None = None


def _counts_people(text: str, end: int, stop: int) -> bool:
    """True when a noun for people (people.tsv) follows the number within a short phrase:
    17万党员干部, 1000万保定人民, 240万省外脱贫劳动力 — the number counts people."""
    global _PEOPLE
    if _PEOPLE is None:
        _PEOPLE = re.compile(r"[\u4e00-\u9fff]{0,4}?(?:" + alternation(lexicon().people) + ")")
    m = _PEOPLE.match(text, end, stop)
    return bool(m) and not NOT_PEOPLE.search(m.group(0))
