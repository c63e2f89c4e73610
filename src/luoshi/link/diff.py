"""What changed between two reports: their targets and their named projects.

Targets: the one-year targets of OLD (its plan year) and of NEW (its plan year) are grouped by
indicator (canonical id, else normalised name; same measure and base unit). A group's first
statement represents it: reports give their main targets first and may repeat one further on.
Indicators targeted in both years are ``raised``, ``lowered`` or ``kept`` (GDP 6% → 5.5%:
lowered; compared on ``value``, then ``value_max``, in OLD's unit; a planned fall by its size, so
``降低2.5%`` → ``降低3%`` is raised); the others are new or dropped targets.

Projects: every task OLD plans for its plan year is looked up in NEW by object name, first
among NEW's results (what was done that year), then among NEW's targets (what is planned
now). A found project has a move from OLD's action to NEW's (开工 ``start`` → 建成
``complete`` is ``forward``); a project NEW never names has vanished.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from ..model import Document, Indicator, Task, record_dict
from .linker import one_year_targets, plan_year
from .match import canonical_id, convert, dice, dimension, normalise_name, same_indicator

Change = Literal["raised", "lowered", "kept"]
Progress = Literal["forward", "same", "backward", "unknown"]

# Order of a project's life: 谋划/前期 → 开工 → 推进 → 建成.
STAGE = {"plan": 0, "start": 1, "advance": 2, "complete": 3}
# Objects this close (bigram Dice of the cleaned names) are one project, unless they name
# different phases (杭州萧山国际机场三期 is not 四期).
SAME_PROJECT = 0.7  # 0.6 would make 陇电入川工程 the 陇电入鲁工程
_OBJECT_NOISE = re.compile(r"[\s“”\"'《》（）()]")
_PHASE = re.compile(r"[一二三四五六七八九十\d]+期")


@dataclass
class TargetChange:
    """An indicator targeted in both years."""

    old: Indicator
    new: Indicator
    change: Change
    indicator_id: str | None
    note: str  # "5.5% about → 5% at_least"

    def to_dict(self) -> dict:
        return {
            "change": self.change,
            "indicator_id": self.indicator_id,
            "note": self.note,
            "old": record_dict(self.old),
            "new": record_dict(self.new),
        }


@dataclass
class TaskMove:
    """A project of OLD's plan as NEW mentions it."""

    old: Task
    new: Task
    progress: Progress
    note: str  # "start → complete (result)"

    def to_dict(self) -> dict:
        return {
            "progress": self.progress,
            "note": self.note,
            "old": record_dict(self.old),
            "new": record_dict(self.new),
        }


@dataclass
class Diff:
    old_year: int | None
    new_year: int | None
    targets: list[TargetChange] = field(default_factory=list)
    new_targets: list[Indicator] = field(default_factory=list)
    dropped_targets: list[Indicator] = field(default_factory=list)
    tasks: list[TaskMove] = field(default_factory=list)
    vanished_tasks: list[Task] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "old_year": self.old_year,
            "new_year": self.new_year,
            "targets": [c.to_dict() for c in self.targets],
            "new_targets": [record_dict(r) for r in self.new_targets],
            "dropped_targets": [record_dict(r) for r in self.dropped_targets],
            "tasks": [m.to_dict() for m in self.tasks],
            "vanished_tasks": [record_dict(t) for t in self.vanished_tasks],
        }


# --- targets ---------------------------------------------------------------------------------


def _key(rec: Indicator) -> tuple:
    base = "" if rec.measure == "rank" else dimension(rec.unit)[1]
    return (canonical_id(rec) or normalise_name(rec.indicator), rec.measure, base)


def main_targets(doc: Document) -> list[Indicator]:
    """The document's one-year targets, one per indicator (its first statement)."""
    seen: set[tuple] = set()
    out = []
    for rec in one_year_targets(doc):
        k = _key(rec)
        if k not in seen:
            seen.add(k)
            out.append(rec)
    return out


def _describe(rec: Indicator) -> str:
    v = f"{rec.value:g}" + (f"–{rec.value_max:g}" if rec.value_max is not None else "")
    q = "" if rec.qualifier == "exact" else f" {rec.qualifier}"
    return f"{v}{rec.unit}{q}"


def compare_targets(old: Indicator, new: Indicator) -> Change:
    """Raised, lowered or kept, with NEW's value in OLD's unit.

    >>> from luoshi.model import Indicator
    >>> def t(v, vmax=None):
    ...     return Indicator("indicator", "target", 2025, 0, 0, "", "", value=v, value_max=vmax, unit="%")
    >>> compare_targets(t(6), t(5.5)), compare_targets(t(5), t(5, 5.5)), compare_targets(t(5), t(5))
    ('lowered', 'raised', 'kept')
    >>> compare_targets(t(-2.5), t(-3))  # 降低2.5% → 降低3%: a bigger planned fall
    'raised'
    """
    a = (old.value, old.value if old.value_max is None else old.value_max)
    nv = [convert(x, new.unit, old.unit) for x in (new.value, new.value if new.value_max is None else new.value_max)]
    b = tuple(x if x is not None else 0.0 for x in nv)
    if all(x < 0 for x in a + b):  # both falls: compare their sizes
        a, b = tuple(-x for x in a), tuple(-x for x in b)
    if abs(a[0] - b[0]) > 1e-9:
        return "raised" if b[0] > a[0] else "lowered"
    if abs(a[1] - b[1]) > 1e-9:
        return "raised" if b[1] > a[1] else "lowered"
    return "kept"


def _pair_targets(olds: list[Indicator], news: list[Indicator]) -> list[tuple[Indicator, Indicator]]:
    pairs = []
    for i, o in enumerate(olds):
        for j, n in enumerate(news):
            if o.measure != n.measure or _key(o)[2] != _key(n)[2]:
                continue
            basis = same_indicator(o, n)
            if basis:
                score = (basis == "id", dice(normalise_name(o.indicator), normalise_name(n.indicator)))
                pairs.append((score, i, j))
    pairs.sort(reverse=True)
    used_o, used_n, out = set(), set(), []
    for _, i, j in pairs:
        if i not in used_o and j not in used_n:
            used_o.add(i)
            used_n.add(j)
            out.append((olds[i], news[j]))
    return out


# --- projects --------------------------------------------------------------------------------


def _object(task: Task) -> str:
    return _OBJECT_NOISE.sub("", task.object or "")


def same_project(a: str, b: str) -> bool:
    """Whether two cleaned object names name one project.

    >>> same_project("六横公路大桥一期", "六横公路大桥一期工程"), same_project("甬金铁路", "甬舟铁路")
    (True, False)
    >>> same_project("陇电入川工程", "陇电入鲁工程"), same_project("萧山机场三期", "萧山机场四期")
    (False, False)
    """
    if not a or not b:
        return False
    pa, pb = _PHASE.findall(a), _PHASE.findall(b)
    if pa and pb and pa != pb:
        return False
    if a == b or (min(len(a), len(b)) >= 4 and (a in b or b in a)):
        return True
    return dice(a, b) >= SAME_PROJECT


def _find_project(task: Task, candidates: list[Task]) -> Task | None:
    name = _object(task)
    best, best_score = None, 0.0
    for c in candidates:
        other = _object(c)
        if same_project(name, other):
            score = dice(name, other)
            if score > best_score:
                best, best_score = c, score
    return best


def _progress(old: Task, new: Task) -> Progress:
    a, b = STAGE.get(old.action), STAGE.get(new.action)
    if a is None or b is None:
        return "unknown"
    return "forward" if b > a else "same" if b == a else "backward"


# --- the diff --------------------------------------------------------------------------------


def diff_documents(old: Document, new: Document) -> Diff:
    """What changed from OLD to NEW (see the module docstring)."""
    olds, news = main_targets(old), main_targets(new)
    pairs = _pair_targets(olds, news)
    paired_old = {id(o) for o, _ in pairs}
    paired_new = {id(n) for _, n in pairs}
    out = Diff(plan_year(old), plan_year(new))
    order = {id(o): k for k, o in enumerate(olds)}
    for o, n in sorted(pairs, key=lambda p: order[id(p[0])]):
        out.targets.append(
            TargetChange(
                o, n, compare_targets(o, n), canonical_id(o) or canonical_id(n), f"{_describe(o)} → {_describe(n)}"
            )
        )
    out.dropped_targets = [o for o in olds if id(o) not in paired_old]
    out.new_targets = [n for n in news if id(n) not in paired_new]

    year = plan_year(old)
    planned = [t for t in old.records if isinstance(t, Task) and t.kind == "target" and t.year == year]
    done = [t for t in new.records if isinstance(t, Task) and t.kind == "result" and t.year == year]
    later = [t for t in new.records if isinstance(t, Task) and t.kind == "target"]
    for task in planned:
        found = _find_project(task, done)
        kind = "result"
        if found is None:
            found, kind = _find_project(task, later), "target"
        if found is None:
            out.vanished_tasks.append(task)
            continue
        move = _progress(task, found)
        out.tasks.append(TaskMove(task, found, move, f"{task.action} → {found.action} ({kind} of {found.year})"))
    return out
