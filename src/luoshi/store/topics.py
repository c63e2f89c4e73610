"""Policy areas: each record (and each passage) gets one topic from ``data/topics.tsv``.

The texts are tried in order — the record's own name (indicator or task object), the deepest
section heading, the shallower ones, the lead sentence of the paragraph, the evidence — and
the first one with a keyword decides.  In a text
each distinct keyword scores its length; the best score wins, ties going to the earlier row.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable


@dataclass(frozen=True)
class Topic:
    id: str
    en: str
    zh: str
    keywords: tuple[str, ...]


@lru_cache(maxsize=1)
def topics() -> tuple[Topic, ...]:
    """The rows of ``data/topics.tsv``, in order."""
    text = resources.files("luoshi.data").joinpath("topics.tsv").read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        tid, en, zh, words = line.split("\t")
        rows.append(Topic(tid, en, zh, tuple(w.strip() for w in words.split(",") if w.strip())))
    return tuple(rows)


def topic_ids() -> tuple[str, ...]:
    return tuple(t.id for t in topics())


@lru_cache(maxsize=1)
def _matcher() -> tuple[re.Pattern, dict[str, int], dict[str, int]]:
    owner: dict[str, int] = {}
    for i, t in enumerate(topics()):
        for w in t.keywords:
            owner.setdefault(w.lower(), i)
    pattern = re.compile("|".join(re.escape(w) for w in sorted(owner, key=len, reverse=True)), re.I)
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
    for word in {m.group(0).lower() for m in pattern.finditer(text)}:
        i = owner[word]
        scores[i] = scores.get(i, 0) + len(word)
    if not scores:
        return None
    i = min(scores, key=lambda k: (-scores[k], k))
    return topics()[i].id


def topic_for(headings: Iterable[str], lead: str | None = None, text: str = "", name: str | None = None
              ) -> str | None:
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
