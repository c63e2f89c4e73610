"""Rank records: 位居全国第一, 居全省首位, 全国第4位, 中国外贸综合竞争力第四城."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from ..model import Indicator
from .context import Context
from .lexicon import alternation, either, lexicon, words
from .naming import indicator_id, split_subjects, trim
from .numerals import parse_chinese

_RANK = re.compile(r"第(?P<n>\d+|[一二三四五六七八九十]{1,3})|首位|榜首")
_STREAK = re.compile(r"连续(?:\d+|[一二两三四五六七八九十]+)年")
# The scan looks for literals only, so that it stays fast: the numeral of 五连冠 is read back
# from 连冠, and 前N / N强 are looked for after 跻身 only (_EXTRA, a second scan).
_EXTRA = re.compile(r"连冠|跻身")
_WINS = re.compile(r"(?:\d{1,2}|[二三四五六七八九十]{1,3})$")  # “五连冠”: first, N times running
# after 跻身: 跻身“中国创新百强区”前五, 跻身“全国十强”, 跻身全国区域孵化能力15强 (中国企业500强 stays a name)
_TOP = re.compile(
    r"(?:前(?P<top>\d{1,2}|[一二三四五六七八九十]{1,3})(?=[，。；、”]|$)"
    r"|(?<![\d一二三四五六七八九十百千])(?P<strong>\d{1,2}|[一二三四五六七八九十]{1,3})强(?=”?(?:[，。；、]|$)))"
)
_N_INDICATORS = re.compile(r"^([两二三四五六七八九十]|\d+)项指标(增速|增幅|)$")  # 两项指标增速: the N subjects before
_FROM = re.compile(r"[由从]")


class _Patterns(NamedTuple):
    verb: re.Pattern  # ranks.tsv verb
    scope_end: re.Pattern  # scope
    not_after: re.Pattern  # not
    after: re.Pattern  # after
    filler: re.Pattern  # filler, and a streak (连续3年)
    ranking: re.Pattern  # what a 连冠 must be won in
    cut_value: re.Pattern  # where a name read before a rank runs into the value before it
    opens: re.Pattern  # the subject that opens the clause before
    from_scope: re.Pattern  # 由全国第12位: a starting rank


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    lex = lexicon()
    return _Patterns(
        verb=re.compile("(?:" + alternation(lex.rank_verbs) + ")"),
        scope_end=re.compile("(?:" + alternation(lex.rank_scopes) + r")(?:并列)?$"),
        not_after=re.compile("(?:" + alternation(lex.rank_not) + ")"),
        after=re.compile("(?:" + alternation(lex.rank_after) + ")"),
        filler=re.compile(
            "(?:" + "|".join(words("ranks.tsv", "filler")) + r"|连续(?:\d+|[一二两三四五六七八九十]+)年)+$"
        ),
        ranking=re.compile("|".join(words("ranks.tsv", "ranking"))),
        # 增长5%、增速居…; 增加值2198.28亿元、全市第一
        cut_value=re.compile(either("ranks.tsv", "value") + r"\d|\d+(?:\.\d+)?[万亿千百]*[元家个项人吨%][、，]?$"),
        opens=re.compile(r"[\u4e00-\u9fff“”]{2,12}?(?=" + "|".join(words("ranks.tsv", "opens")) + ")"),
        from_scope=re.compile(r"[由从](?:" + "|".join(lex.rank_scopes) + r")?$"),
    )


def _merged(text: str):
    yield from _RANK.finditer(text)
    yield from _EXTRA.finditer(text)


def _hits(ctx: Context, text: str):
    """Every 第N / 首位 / 榜首 / N连冠 (and 前N, N强 after 跻身) that stands as a position:
    (start, end, value), in order."""
    extra = "连冠" in text or "跻身" in text
    return sorted(_scan(ctx, text)) if extra else list(_scan(ctx, text, False))


def _scan(ctx: Context, text: str, extra: bool = True):
    p = _patterns()
    for m in _merged(text) if extra else _RANK.finditer(text):
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
            if w and p.ranking.search(text, ctx.clause(m.start())[0], w.start()):
                yield w.start(), m.end(), 1.0  # a ranking's first place N times; a title's streak is none
            continue
        if m.group("n"):
            n = m.group("n")
            value = float(n) if n.isdigit() else parse_chinese(n)
            if value is None:
                continue
            if p.not_after.match(text, m.end()) and not p.after.match(text, m.end()):
                continue
            nxt = text[m.end() : m.end() + 1]
            if nxt and not (nxt in "，。；、）)：,;\n和及与" or p.after.match(text, m.end())):
                continue  # 第三届, 第五个…的城市: an ordinal inside a phrase
        else:
            value = 1.0
        after = p.after.match(text, m.end())
        yield m.start(), (after.end() if after else m.end()), value


def _groups(ctx: Context, text: str):
    """Hits of one clause joined only by 、/和/及/与 (居全国第五和第六) form one group."""
    group: list[tuple[int, int, float]] = []
    for hit in _hits(ctx, text):
        if (
            group
            and ctx.clause(hit[0]) == ctx.clause(group[-1][0])
            and text[group[-1][1] : hit[0]].strip() in ("、", "和", "及", "与", "、第")
        ):
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
    text = ctx.text
    before = before or []
    out: list[Indicator] = []
    for group in _groups(ctx, text):
        start = group[0][0]
        clause_start, clause_end = ctx.clause(start)
        pre = text[clause_start:start]
        read = _name_and_scope(pre, "连冠" in text[start : group[0][1]])
        if read is None:
            continue
        name_raw, scope = read
        split = "分别" in name_raw[-4:]
        name_raw = _FROM.split(name_raw)[0] if _FROM.search(name_raw) else name_raw
        if scope and name_raw.endswith(scope):
            name_raw = name_raw[: -len(scope)]
        cut = trim(_patterns().cut_value.split(name_raw)[0])
        name = cut if len(cut) >= 3 or not _patterns().cut_value.search(name_raw) else trim(name_raw)
        subjects = _rank_subjects(ctx, before, group, name, name_raw, scope, split)
        kind, year = ctx.kind_year(start)
        if _patterns().from_scope.search(pre) and year is not None:
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
            out.append(
                Indicator(
                    type="indicator",
                    kind=kind,
                    year=year,
                    start=clause_start,
                    end=clause_end,
                    evidence=text[clause_start:clause_end],
                    section=ctx.section(h_start),
                    indicator=nm,
                    measure="rank",
                    value=value,
                    value_max=None,
                    unit="",
                    qualifier="exact",
                    estimated=ctx.estimated(h_start),
                    scope=scope,
                    indicator_id=indicator_id(nm),
                )
            )
    return out


def _name_and_scope(pre: str, wins: bool) -> tuple[str, str | None] | None:
    """``(name as written, scope)`` of a rank from the clause before it: after a rank verb
    (位居全国第一), before a scope (全国第一), or a streak won (获全省“五连冠”); None when
    the clause has none of them, or the scope is too long to be one."""
    p = _patterns()
    verb = None
    for vm in p.verb.finditer(pre):
        verb = vm
    scope_m = p.scope_end.search(p.filler.sub("", pre))
    if verb is None and scope_m is None and not wins:
        return None
    if wins and verb is None and scope_m is None:
        # 政府履行教育职责评价获全省区（县）“五连冠”: the scope, if any, stands after 获
        name_raw, _, scope = re.sub(r"[“”\"]", "", pre).rpartition("获")
        name_raw = re.sub(r"(?:荣|再|又)$", "", name_raw) or scope
        scope = scope if name_raw != scope and len(scope) <= 12 else ""  # 影响力指数百强榜: no scope
    elif verb is not None:
        scope = p.filler.sub("", _STREAK.sub("", pre[verb.end() :])).strip()
        name_raw = pre[: verb.start()]
        if not scope:
            head = p.scope_end.search(p.filler.sub("", name_raw).replace("排名", ""))
            scope = head.group(0) if head else ""  # 综合算力指数全国排名第八
    else:
        scope = scope_m.group(0).replace("并列", "")
        name_raw = p.filler.sub("", pre)[: scope_m.start()]
    scope = scope.replace("并列", "") or None
    if scope and re.fullmatch(r"\d{4}", scope[:4] or ""):
        scope = scope[4:] or None
    if scope and len(scope) > 12:
        return None
    return name_raw, scope


def _rank_subjects(
    ctx: Context,
    before: list[Indicator],
    group: list[tuple[int, int, float]],
    name: str,
    name_raw: str,
    scope: str | None,
    split: bool,
) -> list[str]:
    """Whose rank it is: the subjects the name lists, else the indicators just before in the
    sentence (两项指标增速均排名全市第三; 分别居全国第二、第七), else the ranking itself or the
    subject that opens the clause before."""
    text = ctx.text
    start = group[0][0]
    clause_start = ctx.clause(start)[0]
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
            subjects = [r.indicator + name for r in prior[-len(group) :]]  # 分别居全国第二、第七、第九
    elif not name and "均" in name_raw and len(prior) > 1:
        subjects = list(dict.fromkeys(r.indicator for r in prior))  # 182宗、116.8亿元，均居全国第2位
    elif len(name) <= 2 and prior:  # 增长5%、增速居全国第3位: the rank is of the prior subject
        subjects = [prior[-1].indicator + name]
    elif not name and clause_start > 1:
        # 粮食总产再创历史新高，连续16年位居全国首位: the subject opens the clause before
        lead = _patterns().opens.match(text[ctx.clause(clause_start - 2)[0] : clause_start])
        subjects = [trim(lead.group(0))] if lead else []
    return subjects or [trim(scope or "")]


_QUOTED_RUN = re.compile(r"^((?:“[^”]{1,12}”){2,})(.*)$")


def _subjects(name: str) -> list[str]:
    """A rank shared by listed subjects: A、B和C均居全国第一; “飞天奖”“兰亭奖”获奖数全国第一."""
    m = _QUOTED_RUN.match(name)
    if m:
        return [f"“{q}”{m.group(2)}" for q in re.findall(r"“([^”]+)”", m.group(1))]
    if "、" in name or re.search(r"[^总]和", name):
        return split_subjects(name)
    return [name]
