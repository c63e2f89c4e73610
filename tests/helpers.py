"""Helpers for the sentence-level executable spec (tests/test_extract_sentences.py).

``run`` wraps one sentence in a two-line report so that the outline gives it a part and a
year; the comparison helpers follow the rules of shared/spec/records.md and of the scorer
(names and task objects match loosely, by bigram Dice >= 0.5).
"""

from __future__ import annotations

import re
from functools import lru_cache

import luoshi

DEFAULT_YEAR = 2025  # the plan year of the wrapping report; its review is of DEFAULT_YEAR - 1

# Magnitudes as the scorer reads them: "1 千万标箱" and "1000 万标箱" are the same amount.
MAGNITUDES = [
    ("万亿", 1e12),
    ("千亿", 1e11),
    ("百亿", 1e10),
    ("十亿", 1e9),
    ("亿", 1e8),
    ("千万", 1e7),
    ("百万", 1e6),
    ("十万", 1e5),
    ("万", 1e4),
    ("千", 1e3),
    ("百", 1e2),
]


def heading(part: str, year: int = DEFAULT_YEAR) -> str:
    return f"一、{year - 1}年工作回顾" if part == "review" else f"二、{year}年主要目标任务"


@lru_cache(maxsize=None)
def run(sentence: str, part: str = "plan", year: int = DEFAULT_YEAR):
    """The sentence as the only paragraph of the review (part="review") or plan of a report."""
    return luoshi.extract(f"{heading(part, year)}\n{sentence}\n")


def default_kind_year(part: str, year: int = DEFAULT_YEAR) -> tuple[str, int]:
    return ("result", year - 1) if part == "review" else ("target", year)


def bigrams(s: str | None) -> set[str]:
    s = re.sub(r"\s+", "", s or "")
    return {s[i : i + 2] for i in range(len(s) - 1)} or ({s} if s else set())


def dice(a: str | None, b: str | None) -> float:
    A, B = bigrams(a), bigrams(b)
    if not A or not B:
        return 0.0
    return 2 * len(A & B) / (len(A) + len(B))


def split_unit(unit: str | None) -> tuple[float, str]:
    unit = re.sub(r"[（(][^）)]*[）)]", "", (unit or "").replace(" ", ""))
    for prefix, factor in MAGNITUDES:
        if unit.startswith(prefix) and len(unit) > len(prefix):
            return factor, unit[len(prefix) :]
    return 1.0, unit


def same_number(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= 1e-9


def same_amount(value: float, unit: str, exp_value: float, exp_unit: str, loose: bool) -> bool:
    """Equal value and unit; with ``loose`` the magnitude may sit in the value or the unit."""
    if not loose:
        return same_number(value, exp_value) and (unit or "") == (exp_unit or "")
    f1, base1 = split_unit(unit)
    f2, base2 = split_unit(exp_unit)
    return base1 == base2 and abs(value * f1 - exp_value * f2) <= 1e-6 * max(1.0, abs(exp_value * f2))


def value_written(v: float) -> str:
    """3.0 → "3", -6.9 → "6.9": the absolute value as a report writes it."""
    v = abs(float(v))
    return str(int(v)) if v == int(v) else repr(v).rstrip("0")


CN_NUMERAL = re.compile(r"[零〇一二两三四五六七八九十百千万亿]")
RANK_MARK = re.compile(r"[首第]")


def describe(rec) -> str:
    if rec.type == "task":
        return f"task {rec.kind} {rec.year} {rec.action} {rec.object!r} verb={rec.verb!r}"
    vmax = f"-{rec.value_max:g}" if rec.value_max is not None else ""
    extra = []
    if rec.estimated:
        extra.append("estimated")
    if rec.scope:
        extra.append(f"scope={rec.scope}")
    return (
        f"{rec.kind} {rec.year} {rec.indicator!r} {rec.measure} {rec.value:g}{vmax} {rec.unit!r} "
        f"{rec.qualifier} {' '.join(extra)}"
    ).rstrip()
