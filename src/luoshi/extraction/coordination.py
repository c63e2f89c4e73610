"""Coordination: candidates of one clause joined by 、 share a reading, a qualifier and a name;
分别/均/各 share values out among subjects; a value with no name of its own takes the one before
(、增长34.9%); names that are only part of one (总量, 开工, 总产: ``partial_names.tsv``) take the
subject before.  Then each candidate becomes an :class:`Indicator` record."""

from __future__ import annotations

from ..model import Indicator
from .candidates import Candidate
from .context import Context
from .lexicon import lexicon
from .naming import indicator_id, split_subjects
from .patterns import patterns

_RUN_GAPS = ("、", "和", "、增长", "")  # what may stand between two values of a run
_JOINED = ("、", "和", "")
FIRM_UNITS = ("家", "户")  # a count of firms: 规模以上工业企业达7万家


def resolve(ctx: Context, cands: list[Candidate]) -> list[Indicator]:
    """Coordination (分别/均/各), inherited names and verbs, then records."""
    out: list[Indicator] = []
    i = 0
    while i < len(cands):
        run = _run(ctx, cands, i)
        _share_reading(ctx, run)
        c = run[0]
        if not (len(run) > 1 and not c.name and c.split_mark == "分别" and _named_by_values_before(ctx, out, run)):
            _name_first(out, run)
            _record_run(ctx, out, run)
        i += len(run)
    _share_heads(out)
    return out


def _run(ctx: Context, cands: list[Candidate], i: int) -> list[Candidate]:
    """A run of values in one clause joined by 、 (分别增长4.3%、6.1%), from ``cands[i]``."""
    c = cands[i]
    run = [c]
    for j in range(i + 1, len(cands)):
        k = cands[j]
        if k.clause != c.clause or ctx.text[run[-1].end : k.start].strip() not in _RUN_GAPS:
            break
        if k.name and not k.name_from_after:
            break
        run.append(k)
    return run


def _share_reading(ctx: Context, run: list[Candidate]) -> None:
    """The first value's reading and qualifier go to the values after it that have none."""
    if len(run) < 2:
        return
    c = run[0]
    for prev, k in zip(run, run[1:]):
        joined = ctx.text[prev.end : k.start].strip() in _JOINED
        if not k.reading:
            k.reading, k.sign = c.reading, c.sign
        if (
            joined
            and k.qualifier == "exact"
            and c.qualifier != "exact"
            and not c.qual_after
            and k.unit.lstrip("万亿千百十") == c.unit.lstrip("万亿千百十")
        ):  # 分别超8万元、4.8万元; not 破亿、4次
            k.qualifier = c.qualifier  # 分别超8万元、4.8万元
    last = run[-1]
    if last.qual_after:  # 分别控制在5%和2%以内: the closing word covers the list
        for k in run[:-1]:
            if k.qualifier == "exact":
                k.qualifier = last.qualifier


def _named_by_values_before(ctx: Context, out: list[Indicator], run: list[Candidate]) -> bool:
    """…、到位资金5000亿元，分别增长13.1%、33.7%: the subjects are the sentence's last values."""
    s0 = ctx.sentence(run[0].start)[0]
    prior = list(dict.fromkeys(r.indicator for r in out if r.start >= s0))
    if len(prior) < len(run):
        return False
    for k, nm in zip(run, prior[-len(run) :]):
        out.append(_record(ctx, k, nm))
    return True


def _name_first(out: list[Indicator], run: list[Candidate]) -> None:
    """Complete partial names; the first value with no name (or a share, or a gap) takes the
    subject of the record before."""
    p = patterns()
    for k in run:
        _complete(out, k)
    c = run[0]
    if c.name.startswith("占") and _inherit(out, c) and not c.name_from_after:
        c.name = _inherit(out, c) + c.name  # 总数达233家，占全市三成以上: the share of the subject before
    if p.gap.match(c.name) and _inherit(out, c):
        # 增长5.4%、高于全国1.9个百分点: a gap to a benchmark, named after the indicator it follows
        c.name = p.gap.split(_inherit(out, c), 1)[0] + c.name
    if not c.name:
        c.name = _inherit(out, c)
        if c.time_words is not None and c.name.endswith("年均"):
            c.name = c.name[:-2]  # the inherited subject, without its own 年均
        if c.name and c.time_words and not c.name.endswith(c.time_words):
            c.name += c.time_words


def _record_run(ctx: Context, out: list[Indicator], run: list[Candidate]) -> None:
    """Records of a run: one subject each when its name lists them (or 分别 shares them out),
    else the first name for every value."""
    c = run[0]
    # 原煤、原油、天然气产量达到6640.8万吨、1253.6万吨…: listed subjects, one value each; not
    # 外贸进出口额615.4亿元、增长25.2%, whose second value is a change of the first
    pure = all(ctx.text[a.end : b.start].strip() in _JOINED for a, b in zip(run, run[1:]))
    listed = split_subjects(c.name, wanted=len(run)) if len(run) > 1 and c.split_mark != "分别" and pure else []
    if len(run) > 1 and (c.split_mark == "分别" or len(listed) == len(run)):
        # 分别增长4.3%、6.1%; 原煤、原油、天然气产量达到6640.8万吨、1253.6万吨、9.1亿立方米
        subjects = listed or c.subjects or split_subjects(c.name, wanted=len(run))
        names = subjects if len(subjects) == len(run) else [c.name] * len(run)
        for k, nm in zip(run, names):
            out.append(_record(ctx, k, nm))
        return
    for k in run:
        if k is not c and not k.name:
            k.name = c.name
        parts = k.name.split("、") if "、" in k.name and not k.split_mark else []
        if len(parts) > 1 and all(len(p) >= 4 and (indicator_id(p) or p.endswith(lexicon().heads)) for p in parts):
            # 社会消费品零售总额、固定资产投资增长4%左右: full indicators sharing one value
            for nm in parts:
                out.append(_record(ctx, k, nm))
        elif k.split_mark in ("均", "各", "都", "双双"):
            subjects = split_subjects(k.name, wanted=2 if len(split_subjects(k.name)) < 2 else None)
            for nm in subjects:
                out.append(_record(ctx, k, nm))
        else:
            out.append(_record(ctx, k, k.name))


def _share_heads(out: list[Indicator]) -> None:
    """新增5个国家级、60个省级高技能人才培训基地: the tier-only name takes the head of the next."""
    for a, b in zip(out, out[1:]):
        if a.start == b.start and a.indicator.endswith("级") and "级" in b.indicator[:-1]:
            head = b.indicator.split("级", 1)[1]
            if head:
                a.indicator += head
                a.indicator_id = indicator_id(a.indicator)


def _complete(out: list[Indicator], c: Candidate) -> None:
    """新增“百亿县”4个、总数达到40个 → 百亿县总数; 重大项目开工390个、竣工437个 → 重大项目竣工."""
    p = patterns()
    head = p.alone_head.match(c.name)
    if head and out and out[-1].end >= c.clause[0]:
        # 粮食播种面积1520万亩、总产125亿斤 → 粮食总产; 、产量514.4万吨 → 粮食产量; 、年度产量… → 粮食产量
        c.name = out[-1].indicator[:2] + head.group(1)
    elif (
        out
        and out[-1].end >= c.clause[0] - 1
        and (
            p.alone.match(c.name)
            or (p.alone_invest.match(c.name) and out[-1].unit in ("个", "项"))
            or (p.alone_firms.match(c.name) and out[-1].unit.endswith(FIRM_UNITS))
        )
    ):
        # 新增国家高新技术企业341家，总量3151家; 实施农业投资项目431个，总投资744亿元
        base = p.verb_tail.sub("", out[-1].indicator) or out[-1].indicator
        base = p.verb_lead.sub("", base) or base
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
        measure, unit, name = "rank", "", patterns().ranked.sub("", name) or name
    value = c.value * c.sign
    value_max = c.value_max * c.sign if c.value_max is not None else None
    start, end = c.clause
    evidence = ctx.text[start:end]
    name = name.replace(" ", "")
    if len(name) <= 2 and c.verb and indicator_id(name + c.verb):
        name += c.verb  # 经济增长5%左右: the verb is part of the indicator's name
    return Indicator(
        type="indicator",
        kind=kind,
        year=year,
        start=start,
        end=end,
        evidence=evidence,
        section=ctx.section(c.start),
        indicator=name,
        measure=measure,
        value=value,
        value_max=value_max,
        unit=unit,
        qualifier=c.qualifier,
        estimated=ctx.estimated(c.start),
        scope=None,
        indicator_id=indicator_id(name),
    )
