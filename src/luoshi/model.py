"""The data model: one place that defines every field.

Spans follow one convention everywhere: ``start`` inclusive, ``end`` exclusive, as
character offsets into the cleaned text (``Document.text``).  A value that is not known is
``None``, never a guess.  Field meanings for records are those of ``shared/spec/records.md``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal, get_args

# --- Vocabulary: every closed set of values, defined once -----------------------------------------
# Each set is a Literal type (for annotations and request models); its tuple, in the same order,
# comes from it (``typing.get_args``), for checks and listings.  The Chinese names of the values
# are in ``data/labels.tsv`` and the web app's catalog (``locale/``).
RecordType = Literal["indicator", "task"]
Kind = Literal["result", "target"]  # a figure or task achieved (review) or promised (plan)
Measure = Literal["change", "quantity", "rank"]  # an indicator's: a growth rate, a level, a place
Qualifier = Literal["about", "at_least", "at_most", "exact"]  # 左右, 以上, 以内, as stated
Action = Literal["start", "complete", "advance", "plan", "other"]  # a task's action
Verdict = Literal["met", "missed", "no_data"]  # a target judged by its result (link/verdict.py)
TrackingStatus = Literal["not_started", "on_track", "behind", "done", "dropped"]  # a tracked item's
Light = Literal["red", "yellow", "green", "grey"]  # a tracked item's traffic light (track/light.py)
# What the next year's report says of a planned project, and how that compares with the promise
# (link/follow.py, shared/spec/follow.md).
FollowStatus = Literal["done", "started", "progressed", "carried", "not_mentioned"]
Progress = Literal["ahead", "on_track", "behind", "unknown"]

RECORD_TYPES: tuple[RecordType, ...] = get_args(RecordType)
KINDS: tuple[Kind, ...] = get_args(Kind)
MEASURES: tuple[Measure, ...] = get_args(Measure)
QUALIFIERS: tuple[Qualifier, ...] = get_args(Qualifier)
TASK_ACTIONS: tuple[Action, ...] = get_args(Action)
VERDICTS: tuple[Verdict, ...] = get_args(Verdict)
TRACKING_STATUSES: tuple[TrackingStatus, ...] = get_args(TrackingStatus)
LIGHTS: tuple[Light, ...] = get_args(Light)
FOLLOW_STATUSES: tuple[FollowStatus, ...] = get_args(FollowStatus)
PROGRESS_VALUES: tuple[Progress, ...] = get_args(Progress)


def raw_span(offsets: list[int], raw_length: int, start: int, end: int) -> tuple[int, int]:
    """Map a cleaned span ``[start, end)`` to the raw span that covers it, through ``offsets``
    (``offsets[i]`` is the raw position of cleaned character ``i``)."""
    if start >= end:
        pos = offsets[start] if start < len(offsets) else raw_length
        return pos, pos
    return offsets[start], offsets[end - 1] + 1


@dataclass
class Sentence:
    start: int
    end: int


@dataclass
class OutlineNode:
    """A heading or block of the report.

    ``level``: 0 document, 1 part (一、), 2 section (（一）), 3 item (1.), 4 paragraph.
    ``kind``: ``"document" | "part" | "section" | "item" | "paragraph"``.
    ``title``: the heading text (for a paragraph, its lead sentence when it has one).
    ``start``/``end``: the node's extent in the cleaned text, children included.
    ``role``: for parts, ``"review"``, ``"plan"`` or ``None``; ``year``: the year it speaks of.
    """

    level: int
    kind: str
    title: str
    start: int
    end: int
    title_end: int | None = None
    role: str | None = None
    year: int | None = None
    lead: str | None = None
    sentences: list[Sentence] = field(default_factory=list)
    children: list["OutlineNode"] = field(default_factory=list)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def to_dict(self, sentences: bool = False) -> dict:
        d = {
            "level": self.level,
            "kind": self.kind,
            "title": self.title,
            "start": self.start,
            "end": self.end,
        }
        if self.role:
            d["role"] = self.role
        if self.year is not None:
            d["year"] = self.year
        if self.lead:
            d["lead"] = self.lead
        if sentences and self.sentences:
            d["sentences"] = [[s.start, s.end] for s in self.sentences]
        if self.children:
            d["children"] = [c.to_dict(sentences) for c in self.children]
        return d


@dataclass
class Metadata:
    title: str | None = None
    region: str | None = None
    level: str | None = None  # national | provincial | municipal | county
    year_delivered: int | None = None
    year_reviewed: int | None = None
    year_planned: int | None = None
    speaker: str | None = None
    date: str | None = None  # ISO date of delivery when the by-line gives it
    doc_type: str = "work_report"  # work_report | statistical_bulletin | budget_report | plan_report | other


@dataclass
class Record:
    """Fields shared by indicators and tasks."""

    type: RecordType
    kind: Kind
    year: int | None
    start: int
    end: int
    evidence: str
    section: str
    topic: str | None = None  # the policy area (data/topics.tsv), given by extraction (extraction/topics.py)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Indicator(Record):
    indicator: str = ""
    measure: Measure = "quantity"
    value: float = 0
    value_max: float | None = None
    unit: str = ""
    qualifier: Qualifier = "exact"
    estimated: bool = False
    scope: str | None = None
    indicator_id: str | None = None


@dataclass
class Task(Record):
    action: Action = "other"
    object: str = ""
    verb: str = ""


# Field order of the JSONL output: common fields first, then the type's own.
_HEAD = ("type", "kind", "year")
_INDICATOR_OWN = (
    "indicator",
    "measure",
    "value",
    "value_max",
    "unit",
    "qualifier",
    "estimated",
    "scope",
    "indicator_id",
)
_TASK_OWN = ("action", "object", "verb")
_TAIL = ("start", "end", "evidence", "section", "topic")
INDICATOR_FIELDS = _HEAD + _INDICATOR_OWN + _TAIL
TASK_FIELDS = _HEAD + _TASK_OWN + _TAIL
# Every field of either type, each type's own between the common head and tail (the store's columns).
RECORD_FIELDS = _HEAD + _INDICATOR_OWN + _TASK_OWN + _TAIL


def record_dict(rec: Record) -> dict:
    d = asdict(rec)
    order = INDICATOR_FIELDS if rec.type == "indicator" else TASK_FIELDS
    out = {k: d[k] for k in order}
    for k in ("value", "value_max"):
        if k in out and isinstance(out[k], float) and out[k].is_integer():
            out[k] = int(out[k])
    return out


@dataclass
class Document:
    """A report: its raw and cleaned text, the offset map, outline, metadata and records."""

    source: str
    format: str
    raw: str
    text: str
    offsets: list[int] = field(repr=False)
    metadata: Metadata
    outline: OutlineNode
    warnings: list[str] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """The raw-text span of the cleaned span ``[start, end)``."""
        return raw_span(self.offsets, len(self.raw), start, end)

    def to_dict(self, records: bool = True) -> dict:
        d = {
            "source": self.source,
            "format": self.format,
            "metadata": asdict(self.metadata),
            "warnings": self.warnings,
            "outline": self.outline.to_dict(),
            "text": self.text,
        }
        if records:
            d["records"] = [record_dict(r) for r in self.records]
        return d
