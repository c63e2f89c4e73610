"""Rank records: 位居全国第一, 居全省首位, 全国第4位, 中国外贸综合竞争力第四城."""
from __future__ import annotations

import re

from ..model import Indicator
from .context import Context
from .lexicon import alternation, lexicon
from .naming import indicator_id, split_subjects, trim
from .numerals import parse_chinese

_RANK: re.Pattern | None = None
_VERB: re.Pattern | None = None
_SCOPE_END: re.Pattern | None = None
_NOT_AFTER: re.Pattern | None = None
_AFTER: re.Pattern | None = None
_STREAK = re.compile(r"连续(?:\d+|[一二两三四五六七八九十]+)年")
_FILLER = re.compile(r"(?:均|继续|持续|稳定|始终|一直|并列|连续(?:\d+|[一二两三四五六七八九十]+)年)+$")


def _compile() -> None:
    global _RANK, _VERB, _SCOPE_END, _NOT_AFTER, _AFTER
    lex = lexicon()
    # The scan looks for literals only, so that it stays fast: the numeral of 五连冠 is read back
    # from 连冠, and 前N / N强 are looked for after 跻身 only (_EXTRA, a second scan).
    _RANK = re.compile(r"第(?P<n>\d+|[一二三四五六七八九十]{1,3})|首位|榜首")
    _VERB = re.compile("(?:" + alternation(lex.rank_verbs) + ")")
    _SCOPE_END = re.compile("(?:" + alternation(lex.rank_scopes) + r")(?:并列)?$")
    _NOT_AFTER = re.compile("(?:" + alternation(lex.rank_not) + ")")
    _AFTER = re.compile("(?:" + alternation(lex.rank_after) + ")")


_EXTRA = re.compile(r"连冠|跻身")
_RANKING = re.compile(r"榜|评价|评估|排名|排行|指数|考核")  # what a 连冠 must be won in
_WINS = re.compile(r"(?:\d{1,2}|[二三四五六七八九十]{1,3})$")  # “五连冠”: first, N times running
# after 跻身: 跻身“中国创新百强区”前五, 跻身“全国十强”, 跻身全国区域孵化能力15强 (中国企业500强 stays a name)
_TOP = re.compile(r"(?:前(?P<top>\d{1,2}|[一二三四五六七八九十]{1,3})(?=[，。；、”]|$)"
                  r"|(?<![\d一二三四五六七八九十百千])(?P<strong>\d{1,2}|[一二三四五六七八九十]{1,3})强(?=”?(?:[，。；、]|$)))")
def _merged(text: str):
    yield from _RANK.finditer(text)
    yield from _EXTRA.finditer(text)


# where a name read before a rank runs into the value before it: 增长5%、增速居…; 增加值2198.28亿元、全市第一
_N_INDICATORS = re.compile(r"^([两二三四五六七八九十]|\d+)项指标(增速|增幅|)$")  # 两项指标增速: the N subjects before
_CUT_VALUE = re.compile(r"(?:突破|超过|超|达到|达|增长|为|约)\d|\d+(?:\.\d+)?[万亿千百]*[元家个项人吨%][、，]?$")


def _hits(ctx: Context, text: str):
    """Every 第N / 首位 / 榜首 / N连冠 (and 前N, N强 after 跻身) that stands as a position:
    (start, end, value), in order."""
    extra = "连冠" in text or "跻身" in text
    return sorted(_scan(ctx, text)) if extra else list(_scan(ctx, text, False))


def _scan(ctx: Context, text: str, extra: bool = True):
    for m in (_merged(text) if extra else _RANK.finditer(text)):
        if m.re is _EXTRA and m.group(0) == "跻身":
            end = ctx.clause(m.start())[1]
            for t in _TOP.finditer(text, m.end(), end):
                top = t.group("top") or t.group("strong")
                value = float(top) if top.isdigit() else parse_chinese(top)
                if value is not None and value <= 20:
                    yield t.start(), t.end(), value
            continue
        if m.re is _EXTRA:
            w = _WINS.search(text, max(0, m.start() - 3), m.start())
            if w and _RANKING.search(text, ctx.clause(m.start())[0], w.start()):
                yield w.start(), m.end(), 1.0  # a ranking's first place N times; a title's streak is none
            continue
        if m.group("n"):
            n = m.group("n")
            value = float(n) if n.isdigit() else parse_chinese(n)
            if value is None:
                continue
            if _NOT_AFTER.match(text, m.end()) and not _AFTER.match(text, m.end()):
                continue
            nxt = text[m.end():m.end() + 1]
            if nxt and not (nxt in "，。；、）)：,;\n和及与" or _AFTER.match(text, m.end())):
                continue  # 第三届, 第五个…的城市: an ordinal inside a phrase
        else:
            value = 1.0
        after = _AFTER.match(text, m.end())
        yield m.start(), (after.end() if after else m.end()), value


def _groups(ctx: Context, text: str):
    """Hits of one clause joined only by 、/和/及/与 (居全国第五和第六) form one group."""
    group: list[tuple[int, int, float]] = []
    for hit in _hits(ctx, text):
        if group and ctx.clause(hit[0]) == ctx.clause(group[-1][0]) \
                and text[group[-1][1]:hit[0]].strip() in ("、", "和", "及", "与", "、第"):
            group.append(hit)
            continue
        if group:
            yield group
        group = [hit]
    if group:
        yield group


def find_ranks(ctx: Context, before: list[Indicator] | None = None) -> list[Indicator]:
    """Rank records; ``before`` (the other indicators) lends names to a bare 持续位居全国首位
    or to 分别居全国第二、第七、第九 after 分别增长6%、5.2%、5.2%."""
    if _RANK is None:
        _compile()
    text = ctx.text
    before = before or []
    out: list[Indicator] = []
    for group in _groups(ctx, text):
        start = group[0][0]
        clause_start, clause_end = ctx.clause(start)
        pre = text[clause_start:start]
        verb = None
        for vm in _VERB.finditer(pre):
            verb = vm
        scope_m = _SCOPE_END.search(_FILLER.sub("", pre))
        wins = "连冠" in text[start:group[0][1]]
        if verb is None and scope_m is None and not wins:
            continue
        if wins and verb is None and scope_m is None:
            # 政府履行教育职责评价获全省区（县）“五连冠”: the scope, if any, stands after 获
            name_raw, _, scope = re.sub(r"[“”\"]", "", pre).rpartition("获")
            name_raw = re.sub(r"(?:荣|再|又)$", "", name_raw) or scope
            scope = scope if name_raw != scope and len(scope) <= 12 else ""  # 影响力指数百强榜: no scope
        elif verb is not None:
            scope = _FILLER.sub("", _STREAK.sub("", pre[verb.end():])).strip()
            name_raw = pre[:verb.start()]
            if not scope:
                head = _SCOPE_END.search(_FILLER.sub("", name_raw).replace("排名", ""))
                scope = head.group(0) if head else ""  # 综合算力指数全国排名第八
        else:
            scope = scope_m.group(0).replace("并列", "")
            name_raw = _FILLER.sub("", pre)[:scope_m.start()]
        scope = scope.replace("并列", "") or None
        if scope and re.fullmatch(r"\d{4}", scope[:4] or ""):
            scope = scope[4:] or None
        if scope and len(scope) > 12:
            continue
        split = "分别" in name_raw[-4:]
        name_raw = re.split(r"[由从]", name_raw)[0] if re.search(r"[由从]", name_raw) else name_raw
        if scope and name_raw.endswith(scope):
            name_raw = name_raw[: -len(scope)]
        cut = trim(_CUT_VALUE.split(name_raw)[0])
        name = cut if len(cut) >= 3 or not _CUT_VALUE.search(name_raw) else trim(name_raw)
        sentence_start = ctx.sentence(start)[0]
        prior = [r for r in before if sentence_start <= r.start < start and r.measure != "rank"]
        subjects = _subjects(name) if name else []
        counted = _N_INDICATORS.match(name)
        if counted:
            # 地区生产总值…增长11.7%，固定资产投资总额…增长15.9%，两项指标增速均排名全市第三
            k = int(counted.group(1)) if counted.group(1).isdigit() else int(parse_chinese(counted.group(1)) or 0)
            named = list(dict.fromkeys(r.indicator for r in prior))
            if 0 < k <= len(named):
                subjects = [nm + counted.group(2) for nm in named[-k:]]
        if not name and scope and scope not in lexicon().rank_scopes and len(group) == 1:
            subjects = [scope]  # 位居2023先进制造业百强城市第四: the ranking names itself
        elif len(group) > 1 or split:
            if len(subjects) != len(group) and len(prior) >= len(group) and len(name) <= 2:
                subjects = [r.indicator + name for r in prior[-len(group):]]  # 分别居全国第二、第七、第九
        elif not name and "均" in name_raw and len(prior) > 1:
            subjects = list(dict.fromkeys(r.indicator for r in prior))  # 182宗、116.8亿元，均居全国第2位
        elif len(name) <= 2 and prior:  # 增长5%、增速居全国第3位: the rank is of the prior subject
            subjects = [prior[-1].indicator + name]
        elif not name and clause_start > 1:
            # 粮食总产再创历史新高，连续16年位居全国首位: the subject opens the clause before
            lead = re.match(r"[\u4e00-\u9fff“”]{2,12}?(?=再创|创|实现|达到|突破|连续|保持|继续|稳居|位居|居)",
                            text[ctx.clause(clause_start - 2)[0]:clause_start])
            subjects = [trim(lead.group(0))] if lead else []
        if not subjects:
            subjects = [trim(scope or "")]
        kind, year = ctx.kind_year(start)
        if re.search(r"[由从](?:" + "|".join(lexicon().rank_scopes) + r")?$", pre) and year is not None:
            kind, year = "result", ctx.start_year(start, year)  # 由全国第12位跃升至第9位
        if not scope and out and out[-1].start == clause_start and out[-1].scope:
            scope = out[-1].scope
        if len(group) == 1:
            pairs = [(group[0], nm) for nm in subjects]  # A、B均居全国第一: one rank each
        elif len(subjects) == len(group):
            pairs = list(zip(group, subjects))
        else:
            pairs = [(hit, name or subjects[0]) for hit in group]
        for (h_start, _h_end, value), nm in pairs:
            out.append(Indicator(
                type="indicator", kind=kind, year=year, start=clause_start, end=clause_end,
                evidence=text[clause_start:clause_end], section=ctx.section(h_start),
                indicator=nm, measure="rank", value=value, value_max=None, unit="", qualifier="exact",
                estimated=ctx.estimated(h_start), scope=scope, indicator_id=indicator_id(nm),
            ))
    return out


_QUOTED_RUN = re.compile(r"^((?:“[^”]{1,12}”){2,})(.*)$")


def _subjects(name: str) -> list[str]:
    """A rank shared by listed subjects: A、B和C均居全国第一; “飞天奖”“兰亭奖”获奖数全国第一."""
    m = _QUOTED_RUN.match(name)
    if m:
        return [f"“{q}”{m.group(2)}" for q in re.findall(r"“([^”]+)”", m.group(1))]
    if "、" in name or re.search(r"[^总]和", name):
        return split_subjects(name)
    return [name]
