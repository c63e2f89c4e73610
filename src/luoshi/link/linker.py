"""Link the targets of one report to the results of the next (shared/spec/linking.md)."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Document, Indicator, Verdict, record_dict
from .match import Statement, canonical_id, convert, direction, match_target, shelves, statements
from .verdict import judge, target_direction


@dataclass
class Link:
    """One target of OLD, the result NEW gives for it (or None), and the verdict.

    ``gap`` is result minus target in the target's unit; ``indicator_id`` is the canonical id
    both were matched on, when known; ``rule`` says which rule gave the verdict
    (``"about: needs ≥ 5.7"``) or why there is no result.
    """

    target: Indicator
    result: Indicator | None
    verdict: Verdict
    gap: float | None
    indicator_id: str | None
    rule: str

    def to_dict(self) -> dict:
        """The JSON object of linking.md, plus ``rule``."""
        return {
            "target": record_dict(self.target),
            "result": record_dict(self.result) if self.result is not None else None,
            "verdict": self.verdict,
            "gap": self.gap,
            "indicator_id": self.indicator_id,
            "rule": self.rule,
        }


def plan_year(doc: Document) -> int | None:
    """The year a report plans for (its metadata, else the year after the one it reviews)."""
    meta = doc.metadata
    if meta.year_planned:
        return meta.year_planned
    return meta.year_reviewed + 1 if meta.year_reviewed else None


def one_year_targets(doc: Document) -> list[Indicator]:
    """The numeric targets of a report for its plan year, in document order.

    Multi-year targets (到2027年, 十五五 → 2030) are left out: one year's results cannot judge them.
    """
    year = plan_year(doc)
    return [r for r in doc.records if isinstance(r, Indicator) and r.kind == "target" and r.year == year]


def link_target(target: Indicator, pool: list[Statement], index: dict | None = None) -> Link:
    """The link of one target, against the statements of NEW (:func:`match.statements`;
    ``index``: their :func:`match.shelves`)."""
    found = match_target(target, pool, index)
    ind_id = canonical_id(target) or (canonical_id(found.result) if found.result is not None else None)
    dirn = target_direction(target, direction(ind_id))
    r = None
    if found.result is not None:
        r = convert(found.result.value, found.result.unit, target.unit)
    j = judge(target, r, dirn, found.note)
    rule = j.rule
    if found.result is not None and found.result.unit != target.unit and target.measure != "rank":
        rule += f" (result {found.result.value:g}{found.result.unit} = {r:g}{target.unit})"
    return Link(target, found.result, j.verdict, j.gap, ind_id, rule)


def results_of(new: Document) -> tuple[list[Statement], dict]:
    """NEW's statements and their shelves: what :func:`link_documents` compares targets with
    (a caller linking NEW with several reports can make them once)."""
    pool = statements(new)
    return pool, shelves(pool)


def link_documents(old: Document, new: Document, results: tuple[list[Statement], dict] | None = None) -> list[Link]:
    """One :class:`Link` per numeric target of OLD for OLD's plan year, in OLD's order
    (``results``: :func:`results_of` NEW, when already made)."""
    pool, index = results or results_of(new)
    return [link_target(t, pool, index) for t in one_year_targets(old)]
