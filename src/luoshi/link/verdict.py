"""Was a target met? The verdict rules of shared/spec/linking.md, each stated as text.

Let ``t`` be the target value and ``r`` the result, both in the target's unit.

- The **side** of a target is ``floor`` (the result must reach it) or ``ceiling`` (it must not
  exceed it). The qualifier decides when it bounds: ``at_least`` → floor, ``at_most`` → ceiling.
  Otherwise the indicator's direction does: ``up`` → floor, ``down`` (CPI, unemployment, energy
  intensity: less is better) → ceiling.
- A **decrease** (``t < 0``: ``下降3%以上`` is -3, ``at_least``) carries its qualifier on the size
  of the fall, as records.md reads it (``降幅超过3%`` → at_least): "a fall of at least 3" is
  ``r <= -3``, so ``at_least`` bounds a ceiling and ``at_most`` a floor.
- An indicator outside the lexicon has direction ``up``, unless its target is a decrease: a
  target to cut something by 0.3 points wants it lower. A rank's direction is ``down``: first
  is best.
- ``tol`` is 5% of ``|t|`` for ``about`` (``6%左右`` needs 5.7), else 0: a floor needs
  ``r >= t - tol``, a ceiling ``r <= t + tol``.
- A range (``value_max``) needs its less demanding end: ``r >= min`` for a floor,
  ``r <= max`` for a ceiling (``5%-5.5%``, up: needs ≥ 5).
- ``gap = r - t``, in the target's unit; no result gives ``no_data`` and no gap.

Energy intensity, worked through: the target ``单位国内生产总值能耗降低2.5%左右`` is -2.5,
``about``, direction ``down``, so a ceiling with tol 0.125: met when ``r <= -2.375``, i.e. when
intensity fell by at least about 2.5%. ``降幅超过3%`` (r = -3) meets it with gap -0.5; a fall of
2% (r = -2) misses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..model import Indicator, Verdict

Side = Literal["floor", "ceiling"]

ABOUT_TOLERANCE = 0.05  # 5% of |t| for "about" (linking.md)
EPSILON = 1e-9  # comparisons forgive float noise: 6 - 0.3 is 5.7


def fmt(x: float) -> str:
    """A number as a reader writes it.

    >>> fmt(5.7), fmt(110.0), fmt(5.775), fmt(-2.375), fmt(6 - 6 * 0.05)
    ('5.7', '110', '5.775', '-2.375', '5.7')
    """
    x = round(x, 6)
    return str(int(x)) if x == int(x) else repr(x)


@dataclass(frozen=True)
class Rule:
    """What a target asks of its result: ``r >= bound`` (floor) or ``r <= bound`` (ceiling)."""

    side: Side
    bound: float
    text: str

    def met(self, r: float) -> bool:
        return r >= self.bound - EPSILON if self.side == "floor" else r <= self.bound + EPSILON


def target_direction(target: Indicator, known: str | None) -> str:
    """``up`` or ``down``: the lexicon's direction when known, else as the module says."""
    if known:
        return known
    if target.measure == "rank":
        return "down"
    return "down" if target.value < 0 else "up"


def rule_for(target: Indicator, direction: str) -> Rule:
    """The rule a target sets, with its text.

    >>> from luoshi.model import Indicator
    >>> def t(v, q="exact", vmax=None, m="change"):
    ...     return Indicator("indicator", "target", 2025, 0, 0, "", "", value=v, value_max=vmax,
    ...                      qualifier=q, measure=m)
    >>> rule_for(t(6, "about"), "up").text
    'about: needs ≥ 5.7'
    >>> rule_for(t(5.5), "down").text
    'ceiling (down): needs ≤ 5.5'
    >>> rule_for(t(5, vmax=5.5), "up").text
    'range 5–5.5 (up): needs ≥ 5'
    >>> rule_for(t(-2.5, "about"), "down").text
    'about, ceiling (down): needs ≤ -2.375'
    >>> rule_for(t(-3, "at_least"), "up").text
    'at least a fall of 3: needs ≤ -3'
    """
    t, q = target.value, target.qualifier
    if target.value_max is not None:
        lo, hi = sorted((t, target.value_max))
        side: Side = "floor" if direction == "up" else "ceiling"
        bound = lo if side == "floor" else hi
        op = "≥" if side == "floor" else "≤"
        return Rule(side, bound, f"range {fmt(t)}–{fmt(target.value_max)} ({direction}): needs {op} {fmt(bound)}")
    fall = t < 0
    if q in ("at_least", "at_most"):
        if fall:  # the words bound the size of the fall
            side = "ceiling" if q == "at_least" else "floor"
            label = ("at least" if q == "at_least" else "at most") + f" a fall of {fmt(-t)}"
        else:
            side = "floor" if q == "at_least" else "ceiling"
            label = "at least" if q == "at_least" else "at most"
        bound = t
    else:
        side = "floor" if direction == "up" else "ceiling"
        tol = ABOUT_TOLERANCE * abs(t) if q == "about" else 0.0
        bound = t - tol if side == "floor" else t + tol
        if q == "about":
            label = "about" if side == "floor" else "about, ceiling (down)"
        else:
            label = "floor (up)" if side == "floor" else "ceiling (down)"
    op = "≥" if side == "floor" else "≤"
    return Rule(side, bound, f"{label}: needs {op} {fmt(bound)}")


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    gap: float | None
    rule: str


def judge(target: Indicator, r: float | None, direction: str, note: str = "") -> Judgement:
    """The verdict for result value ``r`` (in the target's unit; None when NEW has none).

    >>> from luoshi.model import Indicator
    >>> gdp = Indicator("indicator", "target", 2025, 0, 0, "", "", value=6, qualifier="about", measure="change")
    >>> judge(gdp, 5.7, "up"), judge(gdp, 5.69, "up").verdict
    (Judgement(verdict='met', gap=-0.3, rule='about: needs ≥ 5.7'), 'missed')
    >>> judge(gdp, None, "up", "NEW reports none")
    Judgement(verdict='no_data', gap=None, rule='no result: NEW reports none')
    """
    if r is None:
        return Judgement("no_data", None, f"no result: {note}" if note else "no result")
    rule = rule_for(target, direction)
    return Judgement("met" if rule.met(r) else "missed", round(r - target.value, 6), rule.text)
