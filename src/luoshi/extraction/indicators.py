"""Indicator records: numbers with units, their qualifiers, measures and names.

One pass of one compiled pattern (``patterns.number``) finds every number with what may follow
it (a range, 余/多, a magnitude, a unit, 左右/以上…).  Each match is then read in steps:

1. ``candidates.py`` — its value and unit, or dropped (a year, a quoted name, ``exclusions.tsv``);
2. ``qualifiers.py`` — the qualifier before it and the verb before that (增长 → change, 提高到 →
   level);
3. ``subjects.py`` — the name before it, or the counted noun after it, and the marks of
   coordination (分别, 均, 各);
4. ``coordination.py`` — values of one clause sharing readings and names, then records.

Ranks (第N, 首位) are found by ``ranks.py``.
"""

from __future__ import annotations

import re

from ..model import Indicator
from .candidates import MEDALS, Candidate, read_number
from .context import Context
from .coordination import resolve
from .numerals import parse_arabic
from .patterns import patterns
from .qualifiers import read_reading
from .ranks import find_ranks
from .subjects import medal_name, read_subject


def find_indicators(ctx: Context) -> list[Indicator]:
    text = ctx.text
    cands: list[Candidate] = []
    for m in patterns().number.finditer(text):
        c = _read(ctx, text, m, cands)
        if c is not None:
            cands.append(c)
    records = resolve(ctx, cands)
    records.extend(find_ranks(ctx, records))
    records.sort(key=lambda r: (r.start, r.end))
    return records


def _read(ctx: Context, text: str, m: re.Match, prev: list[Candidate]) -> Candidate | None:
    """One match read in its clause (the steps above), or None when it is no indicator."""
    n = read_number(ctx, text, m, prev)
    if n is None:
        return None
    r = read_reading(text, n)
    if r is None:
        return None
    s = read_subject(text, n, r, prev)
    if s is None:
        return None
    p = patterns()
    clause, name = n.clause, s.name
    unit_word = "%" if n.unit_word == "％" else n.unit_word  # the full-width sign; ‰ stays its own unit
    if unit_word in MEDALS:
        name = medal_name(name, unit_word, prev, clause)
    # a range keeps its ends as written: 3-5分 → 3, 5
    value_max = parse_arabic(m.group("num2")) if m.group("num2") else None
    reading, sign = r.reading, r.sign
    subject = p.gap.split(name, 1)[0] if "于" in name else name  # 增速高于全国: the gap is read by its subject
    if (
        reading != "change"
        and (p.change_name.search(subject) or subject.endswith("增长"))
        and n.unit_class == "percent"
    ):
        reading = "change"
        if p.decrease_name.search(name):
            sign = -1
    return Candidate(
        start=n.start,
        end=n.end,
        value=n.value,
        value_max=value_max,
        unit=n.mag + unit_word + (m.group("alt") or ""),
        unit_class=n.unit_class,
        qualifier=r.qualifier,
        sign=sign,
        reading=reading,
        name=name,
        name_from_after=s.name_from_after,
        time_words=s.time_words,
        used_end=s.used_end,
        split_mark=s.split_mark,
        subjects=s.subjects,
        from_value=r.pos > clause[0] and text[r.pos - 1] in "由从",
        verb=r.verb,
        at_year=r.at_year,
        qual_after=r.qual_after,
        ranked=bool(p.ranked.search(text, clause[0], r.pos)),
        clause=clause,
    )
