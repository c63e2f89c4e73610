"""Draft the task breakdown (重点工作分工方案) of a report: one row per work item of its plan part,
in the sheet layout that :mod:`luoshi.track.breakdown` reads back (the items and the sheet:
:mod:`luoshi.track.draft_sheet`).

Work items, in document order, from each plan part of the planned year:

* the main expected targets passage (主要预期目标是：…, ``data/target_passages.tsv``): one item
  per target — split on "；" (a "，" inside a piece parts it only between clauses that each hold
  a target figure), or on "，" when the passage has no "；";
* every work sentence of the 重点工作 sections: a sentence with a clause led by an action verb
  (``data/work_clauses.tsv``) or holding a record; a sentence of several "；" clauses, each led
  by a verb, gives one item per clause; a paragraph's lead (做大做强先进制造业集群。) is no item
  but the last step of the items' section path;
* a list of named projects under one verb (建成国家级互联网骨干直联点和人工智能超算中心二期): one
  item per project, worded verb + project.

Each item carries its span ``[start, end)`` in the cleaned text and the records whose start lies
in it; its deadline is the latest one the text states (``data/stated_deadlines.tsv``, read by
:func:`luoshi.track.dates.parse_deadline`), else the end of the planned year, and
``deadline_source`` says which; its lead and supporting units are suggestions
(:mod:`luoshi.track.departments`).  A line that wraps inside a sentence (实施重点产⏎业基础再造…)
is joined.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from ..extraction.context import Context
from ..extraction.lexicon import rows
from ..model import Document, Record
from .dates import DeadlineError, parse_deadline
from .departments import load_departments, suggest
from .draft_sheet import Draft, DraftItem

_SENTENCE_END = "。！？!?"
_HEADING_LINE = re.compile(r"[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．、]")
_TRIM = "，,；;。：:、 \u3000\n"


@lru_cache(maxsize=1)
def _rules():
    verbs = sorted((w for w, role in rows("work_clauses.tsv") if role == "verb"), key=len, reverse=True)
    manners = sorted((w for w, role in rows("work_clauses.tsv") if role == "manner"), key=len, reverse=True)
    led = re.compile(rf"(?:{'|'.join(map(re.escape, manners))})*(?:{'|'.join(map(re.escape, verbs))})")
    deadlines = re.compile("|".join(f"(?:{r[0]})" for r in rows("stated_deadlines.tsv")))
    passages = re.compile("|".join(f"(?:{r[0]})" for r in rows("target_passages.tsv")))
    addresses = tuple(w for w, role in rows("work_clauses.tsv") if role == "address")
    return led, deadlines, passages, addresses


def _record_ref(rec: Record) -> dict:
    name = getattr(rec, "indicator", None) or getattr(rec, "object", "")
    return {
        "type": rec.type,
        "kind": rec.kind,
        "name": name,
        "start": rec.start,
        "end": rec.end,
        "evidence": rec.evidence,
    }


def _clean(text: str) -> str:
    return re.sub(r"\s*\n\s*", "", text).strip(_TRIM)


class _Drafter:
    def __init__(self, doc: Document, departments):
        self.doc, self.text = doc, doc.text
        self.ctx = Context(doc)
        self.year = doc.metadata.year_planned or doc.metadata.year_delivered or date.today().year
        self.departments = departments
        self.records = sorted(doc.records, key=lambda r: r.start)
        self.led, self.deadlines, self.passages, self.addresses = _rules()
        self.leads = {}  # paragraph start → its lead sentence's end
        self.paragraphs = []  # (start, end, lead end) of the paragraphs that open with a lead
        self.headings = [
            (n.start, n.title_end if n.title_end is not None else n.start + len(n.title))
            for n in doc.outline.walk()
            if n.kind in ("part", "section", "item")
        ]
        for node in doc.outline.walk():
            if node.kind == "paragraph" and node.lead and self._opens_line(node.start):
                self.leads[node.start] = node.start + len(node.lead)
                self.paragraphs.append((node.start, node.end, node.start + len(node.lead)))
        self.items: list[DraftItem] = []

    def _opens_line(self, pos: int) -> bool:
        """Does a sentence open at ``pos`` (after a full stop or a heading), not a wrapped line?"""
        before = self.text[:pos].rstrip()
        return (
            not before
            or before[-1] in _SENTENCE_END
            or any(b <= pos and not self.text[b:pos].strip() for _, b in self.headings)
        )

    # --- pieces of text ------------------------------------------------------------------------
    def records_in(self, start: int, end: int, *, targets_only: bool = False) -> list[Record]:
        return [
            r
            for r in self.records
            if start <= r.start < end and (not targets_only or r.type == "indicator" and r.kind == "target")
        ]

    def sentences(self, start: int, end: int):
        """Sentence spans of ``[start, end)``, heading lines left out; a line that wraps inside a
        sentence (it ends with no punctuation and the next is no heading) continues it."""
        text = self.text
        skips = sorted((a, b) for a, b in self.headings if start <= a < end)
        pos = start
        s = None
        while pos < end:
            skip = next(((a, b) for a, b in skips if a == pos), None)
            if skip:
                if s is not None and text[s:pos].strip():
                    yield s, pos
                s, pos = None, max(skip[1], pos + 1)
                continue
            ch = text[pos]
            if s is None:
                if ch.isspace():
                    pos += 1
                    continue
                s = pos
            if ch in _SENTENCE_END:
                yield s, pos + 1
                s = None
            elif ch == "\n":
                prev = text[s:pos].rstrip()
                nxt = text[pos + 1 : pos + 12]
                if (
                    not prev
                    or prev[-1] in "；;：:）)"
                    or _HEADING_LINE.match(nxt)
                    or any(a == pos + 1 for a, _ in skips)
                ):
                    if prev:
                        yield s, pos
                    s = None
            pos += 1
        if s is not None and text[s:end].strip():
            yield s, end

    def is_led(self, start: int, end: int) -> bool:
        """Does a clause of ``[start, end)`` open with an action verb?"""
        piece = self.text[start:end]
        return any(self.led.match(c.strip()) for c in re.split(r"[，,；;：:]", piece))

    # --- items -------------------------------------------------------------------------------
    def section(self, pos: int) -> str:
        """The headings above ``pos``, and the lead of its paragraph when ``pos`` follows it."""
        path = self.ctx.section(pos)
        for start, end, lead_end in self.paragraphs:
            if lead_end <= pos < end:
                lead = _clean(self.text[start:lead_end])
                return f"{path} / {lead}" if path else lead
        return path

    def add(self, kind: str, start: int, end: int, task: str, records: list[Record]) -> None:
        task = _clean(task)
        if not task or len(task) < 4:
            return
        deadline, source, stated = self.deadline(start, end)
        section = self.section(start)
        lead, supporting = suggest(
            task, self.departments, self.doc.metadata.region, self.doc.metadata.level, context=section
        )
        self.items.append(
            DraftItem(
                len(self.items) + 1,
                kind,
                task,
                start,
                end,
                section,
                deadline,
                source,
                stated,
                lead,
                supporting,
                True,
                [_record_ref(r) for r in records],
            )
        )

    def deadline(self, start: int, end: int) -> tuple[date, str, str | None]:
        best = None
        for m in self.deadlines.finditer(self.text, start, end):
            try:
                when = parse_deadline(m.group(0).lstrip("到至于在"), self.year)
            except DeadlineError:
                continue
            if when and when.year >= self.year and (best is None or when >= best[0]):
                best = (when, m.group(0))
        if best:
            return best[0], "stated", best[1]
        return date(self.year, 12, 31), "default", None

    def targets(self, start: int, end: int) -> None:
        """The items of a main-targets passage ``[start, end)`` (after its colon)."""
        outer = "；" if "；" in self.text[start:end] else "，"
        for a, b in self.pieces(start, end, outer + "。"):
            clauses = self.pieces(a, b, "，") if outer == "；" else [(a, b)]
            holding = [bool(self.records_in(x, y, targets_only=True)) for x, y in clauses]
            if sum(holding) < 2:  # one target (or none with a figure): the piece is the item
                clauses, holding = [(a, b)], [True]
            groups: list[tuple[int, int]] = []  # a clause without a figure stays with the one before
            for (x, y), has in zip(clauses, holding):
                if has or not groups:
                    groups.append((x, y))
                else:
                    groups[-1] = (groups[-1][0], y)
            for x, y in groups:
                self.add("target", x, y, self.text[x:y], self.records_in(x, y, targets_only=True))

    def work(self, start: int, end: int, preamble: bool = False) -> None:
        for s, e in self.sentences(start, end):
            recs = self.records_in(s, e)
            if s in self.leads and e <= self.leads[s] + 1 and not recs:
                continue  # a paragraph's lead: a heading of the items below it
            if preamble:  # the preamble (总体要求): only the clauses naming projects
                for a, b in self.pieces(s, e, "，；：。"):
                    if any(r.type == "task" for r in self.records_in(a, b)):
                        self.work_piece(a, b)
                continue
            if not recs and not self.is_led(s, e):
                continue
            opening = self.text[s : s + 12].lstrip('“”"‘’ ')
            if opening.startswith(self.addresses) and not any(r.type == "task" for r in recs):
                continue  # 各位代表，…: a link between passages
            for a, b in self.clauses(s, e):
                self.work_piece(a, b)

    def pieces(self, s: int, e: int, marks: str) -> list[tuple[int, int]]:
        """``[s, e)`` cut at each of ``marks`` (the marks left out)."""
        out, pos = [], s
        for m in re.finditer(f"[{marks}]|$", self.text[s:e]):
            out.append((pos, s + m.start()))
            pos = s + m.end()
        return [(a, b) for a, b in out if a < b]

    def clauses(self, s: int, e: int):
        """A sentence's "；" clauses when each is led by a verb, else the sentence."""
        parts, pos = [], s
        for m in re.finditer(r"；|$", self.text[s:e]):
            parts.append((pos, s + m.start()))
            pos = s + m.end()
        if len(parts) > 1 and all(self.led.match(_clean(self.text[a:b])) for a, b in parts if _clean(self.text[a:b])):
            return parts
        return [(s, e)]

    def work_piece(self, s: int, e: int) -> None:
        recs = self.records_in(s, e)
        spans: dict[tuple[int, int], list[Record]] = {}
        for r in recs:
            if r.type == "task":
                spans.setdefault((r.start, r.end), []).append(r)
        lists = sorted(span for span, group in spans.items() if len(group) > 1)
        if not lists:
            self.add("work", s, e, self.text[s:e], recs)
            return
        pos = s
        for a, b in lists:
            if a > pos:
                self.rest(pos, a)
            for r in spans[(a, b)]:
                self.add(
                    "project",
                    a,
                    b,
                    self.project_words(r),
                    [x for x in recs if x is r or x.type == "indicator" and a <= x.start < b],
                )
            pos = b
        if pos < e:
            self.rest(pos, e)

    def rest(self, a: int, b: int) -> None:
        piece = _clean(self.text[a:b])
        if piece and (self.records_in(a, b) or self.is_led(a, b)):
            self.add("work", a, b, self.text[a:b], self.records_in(a, b))

    def project_words(self, rec) -> str:
        ev = rec.evidence
        if rec.verb and rec.verb in ev and rec.object in ev and ev.find(rec.object) < ev.find(rec.verb):
            return rec.object + rec.verb
        return (rec.verb or "") + rec.object

    # --- the plan part ---------------------------------------------------------------------
    def plan_parts(self):
        parts = [n for n in self.doc.outline.children if n.role == "plan"]
        this_year = [n for n in parts if n.year in (None, self.year)]
        return this_year or parts

    def run(self) -> list[DraftItem]:
        for part in self.plan_parts():
            body = part.title_end if part.title_end is not None else part.start
            m = self.passages.search(self.text, body, part.end)
            heads = [n for n in part.children if n.kind in ("section", "item")]
            first = heads[0].start if heads else None
            passage = None
            if m and (first is None or m.start() < first):
                end = self.text.find("。", m.end(), part.end)
                passage = (m.end(), end if end >= 0 else part.end)
            if first is not None:  # the preamble: only sentences holding targets
                self.work(body, passage[0] if passage else first, preamble=True)
                if passage:
                    self.targets(*passage)
                    self.work(passage[1] + 1, first, preamble=True)
                self.work(first, part.end)
            elif passage:
                self.work(body, passage[0], preamble=True)
                self.targets(*passage)
                self.work(passage[1] + 1, part.end)
            else:
                self.work(body, part.end)
        for n, item in enumerate(self.items, start=1):
            item.number = n
        return self.items


def breakdown(doc: Document, departments=None) -> Draft:
    """The drafted task breakdown of ``doc`` (extracted, or restored from the store), with
    units suggested from ``departments`` (:func:`luoshi.track.departments.load_departments`)."""
    table = departments if departments is not None else load_departments()
    drafter = _Drafter(doc, table)
    m = doc.metadata
    title = f"{m.region or ''}{drafter.year}年《政府工作报告》重点工作分工方案（草稿）"
    return Draft(doc.source, title, m.region, m.level, drafter.year, drafter.run())
