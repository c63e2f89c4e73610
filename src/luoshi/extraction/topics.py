"""Policy areas: each record (and each passage, section) gets one topic from ``data/topics.tsv``.

The texts are tried in order — the record's own name (indicator or task object), the deepest
section heading, the shallower ones, the lead sentence of the paragraph, the evidence — and
the first one with a keyword decides.  In a text
each distinct keyword scores its length; the best score wins, ties going to the earlier row.
Extraction gives each record its topic (:func:`record_topic`); the store gives passages and
sections theirs.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from ..model import OutlineNode, Record
from .lexicon import rows


@dataclass(frozen=True)
class Topic:
    id: str
    en: str
    zh: str
    keywords: tuple[str, ...]


@lru_cache(maxsize=1)
def topics() -> tuple[Topic, ...]:
    """The rows of ``data/topics.tsv``, in order."""
    return tuple(
        Topic(tid, en, zh, tuple(w.strip() for w in words.split(",") if w.strip()))
        for tid, en, zh, words in rows("topics.tsv")
    )


def topic_ids() -> tuple[str, ...]:
    return tuple(t.id for t in topics())


@lru_cache(maxsize=1)
def _matcher() -> tuple[re.Pattern, dict[str, int], dict[str, int]]:
    owner: dict[str, int] = {}
    for i, t in enumerate(topics()):
        for w in t.keywords:
            owner.setdefault(w.lower(), i)
    # Matched against the text in lower case (the keywords are): three times faster than re.I.
    pattern = re.compile("|".join(re.escape(w) for w in sorted(owner, key=len, reverse=True)))
    return pattern, owner, {t.id: i for i, t in enumerate(topics())}


@lru_cache(maxsize=4096)
def best(text: str) -> str | None:
    """The topic whose keywords ``text`` shows most, or None.

    >>> best("（三）加快建设农业强省，全方位夯实粮食安全根基")
    'agriculture'
    >>> best("一、2024年工作回顾") is None
    True
    """
    if not text:
        return None
    pattern, owner, _ = _matcher()
    scores: dict[int, int] = {}
    for word in set(pattern.findall(text.lower())):
        i = owner[word]
        scores[i] = scores.get(i, 0) + len(word)
    if not scores:
        return None
    i = min(scores, key=lambda k: (-scores[k], k))
    return topics()[i].id


def topic_for(headings: Iterable[str], lead: str | None = None, text: str = "", name: str | None = None) -> str | None:
    """The topic of a record or passage: from its name, then its headings (deepest first),
    then its paragraph's lead sentence, then its own text.

    >>> topic_for(["二、2025年主要目标任务"], None, "城镇新增就业60万人以上")
    'welfare'
    >>> topic_for(["（五）强化统筹兼顾，城乡融合和区域协调发展取得实效"], None, "", name="粮食播种面积")
    'agriculture'
    """
    for candidate in (name, *headings, lead, text):
        if candidate:
            found = best(candidate)
            if found:
                return found
    return None


def deepest_first(section: str) -> list[str]:
    """The headings of a section path (``一、… / （三）…``), the deepest first."""
    return section.split(" / ")[::-1] if section else []


class Leads:
    """The lead sentence of the paragraph at a position."""

    def __init__(self, outline: OutlineNode):
        pars = []
        stack = [outline]
        while stack:  # outline.walk()'s order, without its nested generators
            node = stack.pop()
            if node.kind == "paragraph":
                pars.append(node)
            stack.extend(reversed(node.children))
        self.starts = [p.start for p in pars]
        self.pars = pars

    def at(self, pos: int) -> str | None:
        i = bisect.bisect_right(self.starts, pos) - 1
        if i >= 0 and pos <= self.pars[i].end:
            return self.pars[i].lead
        return None


def record_topic(rec: Record, leads: Leads) -> str | None:
    """The topic of an extracted record: from its name (indicator or task object), its section
    headings, its paragraph's lead sentence (``leads``), its evidence — :func:`topic_for`, with
    the headings' topic read once per section."""
    name = getattr(rec, "indicator", None) or getattr(rec, "object", None)
    return best(name) or _section_topic(rec.section) or best(leads.at(rec.start)) or best(rec.evidence)


@lru_cache(maxsize=1024)
def _section_topic(section: str) -> str | None:
    """The topic of the deepest heading of a section path that has one."""
    for heading in deepest_first(section):
        found = best(heading)
        if found:
            return found
    return None
