"""Follow-through: what the report of year N+1 says of each project the report of year N planned
(shared/spec/follow.md).

Every task of OLD's plan part (``kind: target`` of its plan year) is looked for in NEW, by name
(``names.same_project``), in two ways: among NEW's task records, and in NEW's text, where the
project's core name is searched for and read with the place names before it and the parts after
it (a project named in a sentence the task extractor passed over).  Each mention is read in its
clause: its part (review or plan: NEW's outline), and the status its strongest verb gives
(``data/follow.tsv``: 建成 done, 开工 started, 主体完工 or 获批建设 progressed); a mention in the
review with no such verb says nothing of the project.  The review decides (its strongest statement);
else a mention in the plan part makes the project ``carried``; else it is ``not_mentioned``.
Progress compares the status with the promise (follow.md's table).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..extraction.context import Context
from ..model import FOLLOW_STATUSES, Document, FollowStatus, Progress, Task, record_dict
from .linker import plan_year
from .names import (
    Name,
    continues,
    coordinated_in,
    lead_shared_in,
    mention_at,
    own_places,
    parse,
    same_project,
    short_forms_in,
    table,
)

STATUSES = FOLLOW_STATUSES  # done, started, progressed, carried, not_mentioned (luoshi.model)
STRENGTH = {"done": 3, "started": 2, "progressed": 1}
# follow.md "Progress against the promise": promised action → status → progress.
PROGRESS = {
    "complete": {"done": "on_track", "started": "behind", "progressed": "behind", "carried": "behind"},
    "start": {"done": "ahead", "started": "on_track", "progressed": "on_track", "carried": "behind"},
    "advance": {"done": "ahead", "started": "on_track", "progressed": "on_track", "carried": "on_track"},
    "plan": {"done": "ahead", "started": "ahead", "progressed": "on_track", "carried": "on_track"},
}


@dataclass
class Mention:
    """A place in NEW that names the project."""

    start: int  # the name's span
    end: int
    name: Name
    part: str  # review | plan
    status: str  # done | started | progressed (review) or carried (plan)
    verb: str
    clause: tuple[int, int]
    verbed: bool  # a status verb stands in the clause

    def rank(self) -> tuple:
        return (self.part == "review", self.verbed, STRENGTH.get(self.status, 0))


@dataclass
class Follow:
    task: Task
    status: FollowStatus
    progress: Progress
    found: dict | None

    def to_dict(self) -> dict:
        return {"task": record_dict(self.task), "status": self.status, "progress": self.progress, "found": self.found}


def progress(action: str, status: FollowStatus) -> Progress:
    """follow.md's table; an action outside it (other) compares as ``advance``."""
    if status == "not_mentioned":
        return "unknown"
    return PROGRESS.get(action, PROGRESS["advance"])[status]


def planned_tasks(doc: Document) -> list[Task]:
    """The tasks of a report's plan part for its plan year."""
    year = plan_year(doc)
    return [t for t in doc.records if isinstance(t, Task) and t.kind == "target" and t.year == year]


class Reader:
    """Reads the mentions of a project in one report (NEW)."""

    def __init__(self, doc: Document, year: int | None):
        self.doc = doc
        self.text = doc.text
        self.year = year  # the year NEW reviews
        self.ctx = Context(doc)
        self.own = own_places(doc.metadata.region)
        self.tasks = [(t, parse(t.object, self.own)) for t in doc.records if isinstance(t, Task)]

    def _part(self, pos: int) -> str | None:
        kind, year = self.ctx.kind_year(pos)
        if self.ctx.in_annex(pos):
            return None
        if kind == "result":
            return "review" if year is None or self.year is None or year <= self.year else None
        return "plan"

    def _read(self, start: int, end: int, name: Name, verbatim: bool = True) -> Mention | None:
        """The mention of a project at ``[start, end)`` read in its clause (None: a mention in the
        review with no status verb)."""
        part = self._part(start)
        if part is None:
            return None
        c0, c1 = self.ctx.clause(start)
        t = table()
        best, verb = None, ""
        for m in t.status_re.finditer(self.text, c0, c1):
            if verbatim and start <= m.start() < end:  # a verb inside the name (开通 in 开通路) says nothing
                continue
            status = t.statuses[m.group()]
            if any(self.text.endswith(w, c0, m.start()) for w in t.pending):
                status = "progressed"  # 即将投入使用: a coming step
            if best is None or STRENGTH[status] > STRENGTH[best]:
                best, verb = status, m.group()
        for pat, status in t.frames:
            for m in pat.finditer(self.text, c0, c1):
                if m.start() <= start and end <= m.end() and (best is None or STRENGTH[status] > STRENGTH[best]):
                    best, verb = status, f"{m.group()[:2]}…{m.group()[-2:]}"
        verbed = best is not None
        if part == "plan":
            status = "carried"
        elif best is None:
            return None
        else:
            status = best
        return Mention(start, end, name, part, status, verb, (c0, c1), verbed)

    def mentions(self, task: Task) -> list[Mention]:
        old = parse(task.object, self.own)
        if not old.core:
            return []
        out: dict[int, Mention] = {}
        for rec, name in self.tasks:
            if not same_project(old, name):
                continue
            i = self.text.find(rec.object, rec.start, rec.end) if rec.object else -1
            start, end = (i, i + len(rec.object)) if i >= 0 else (rec.start, rec.end)
            m = self._read(start, end, name, verbatim=i >= 0)
            if m:
                out.setdefault(start, m)
        core = old.core
        spans = []
        if len(core) >= 3:
            i = self.text.find(core)
            while i >= 0:
                spans.append((i, i + len(core)))
                i = self.text.find(core, i + 1)
        spans += short_forms_in(self.text, core)
        for i, j in coordinated_in(self.text, core, bare=bool(old.places)):
            m = self._read(i, j, old)
            if m:
                out.setdefault(i, m)
        for i, j in lead_shared_in(self.text, core):
            got = mention_at(self.text, i, j, self.own)
            if got:
                name = parse(core[:2] + self.text[got[0] : got[1]], self.own)
                if same_project(old, name):
                    m = self._read(got[0], got[1], name)
                    if m:
                        out.setdefault(got[0], m)
        for i, j in spans:
            got = mention_at(self.text, i, j, self.own, bare=bool(old.places))
            if not got or not same_project(old, got[2]):
                continue
            if old.parts and not got[2].parts and continues(self.text, got[1]):
                continue  # 温州机场枢纽 is not 温州机场三期
            m = self._read(got[0], got[1], got[2])
            if m:
                out.setdefault(got[0], m)
        for m in out.values():  # a completed section is a step for the whole
            if m.status == "done" and any(c in table().sections and old.part(c) is None for c, _ in m.name.parts):
                m.status = "progressed"
        return sorted(out.values(), key=lambda m: m.start)


def follow_documents(old: Document, new: Document) -> list[Follow]:
    """What NEW says of each task of OLD's plan part (see the module docstring)."""
    year = plan_year(old)
    reader = Reader(new, year)
    out = []
    for task in planned_tasks(old):
        mentions = reader.mentions(task)
        if not mentions:
            out.append(Follow(task, "not_mentioned", "unknown", None))
            continue
        best = max(mentions, key=lambda m: m.rank())
        c0, c1 = best.clause
        found = {
            "object": best.name.text,
            "verb": best.verb,
            "evidence": new.text[c0:c1],
            "start": best.start,
            "end": best.end,
            "part": best.part,
        }
        out.append(Follow(task, best.status, progress(task.action, best.status), found))
    return out
