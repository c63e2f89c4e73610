"""Load the rule tables in ``luoshi/data/*.tsv`` (each documents its own fields)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


def rows(name: str) -> list[list[str]]:
    """Non-comment rows of a data table, split on tabs."""
    text = resources.files("luoshi.data").joinpath(name).read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        out.append([field.strip() for field in line.split("\t")])
    return out


@dataclass(frozen=True)
class Lexicon:
    units: dict[str, str]  # unit → class
    unit_not_before: dict[str, str]  # unit → characters that may not follow it (台 not before 阶: 台阶)
    magnitudes: dict[str, float]
    qualifiers: dict[str, dict[str, str]]  # position → word → qualifier
    verbs: dict[str, tuple[int, str]]  # verb → (sign, reading)
    rank_verbs: tuple[str, ...]
    rank_scopes: tuple[str, ...]
    rank_after: tuple[str, ...]
    rank_not: tuple[str, ...]
    exclude_after: tuple[str, ...]
    exclude_before: tuple[str, ...]
    task_verbs: dict[str, str]
    weak_task_verbs: frozenset[str]  # make a task only with a 建设 frame or of a facility
    quoted_task_verbs: frozenset[str]  # a quoted name alone may be their object
    facilities: tuple[str, ...]  # a tuple, so that str.endswith(facilities) tests them all
    not_task_ends: tuple[str, ...]  # words that drop it when it ends with them
    generic_objects: tuple[str, ...]  # words that open an unnamed, generic object
    indicators: tuple[tuple[str, str, str], ...]  # (name, id, direction), longest name first
    name_lead: tuple[str, ...]
    name_trail: tuple[str, ...]
    count_phrases: tuple[str, ...]  # 八个方面: a Chinese-numeral count that is a structure or slogan
    idioms: tuple[str, ...]  # 千家万户: numerals that are not numbers
    heads: tuple[str, ...]
    contractions: dict[str, tuple[str, str]]
    people: tuple[str, ...]  # nouns for people: 80万重点群体 counts 人 (records.md unit)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    quals: dict[str, dict[str, str]] = {"before": {}, "inside": {}, "after": {}}
    for word, pos, q in rows("qualifiers.tsv"):
        quals[pos][word] = q
    ranks = rows("ranks.tsv")
    excl = rows("exclusions.tsv")
    task_verbs = rows("task_verbs.tsv")
    inds = []
    for ind_id, direction, names in rows("indicators.tsv"):
        for name in names.split(","):
            inds.append((name.strip(), ind_id, direction))
    inds.sort(key=lambda t: -len(t[0]))
    by_len = lambda words: tuple(sorted(set(words), key=len, reverse=True))  # noqa: E731
    return Lexicon(
        units={r[0]: r[1] for r in rows("units.tsv")},
        unit_not_before={r[0]: r[2] for r in rows("units.tsv") if len(r) > 2 and r[2]},
        magnitudes={w: float(f) for w, f in rows("magnitudes.tsv")},
        qualifiers=quals,
        verbs={v: (int(s), r) for v, s, r in rows("change_verbs.tsv")},
        rank_verbs=by_len(w for w, role in ranks if role == "verb"),
        rank_scopes=by_len(w for w, role in ranks if role == "scope"),
        rank_after=by_len(w for w, role in ranks if role == "after"),
        rank_not=by_len(w for w, role in ranks if role == "not"),
        exclude_after=tuple(p for p, where, _ in excl if where == "after"),
        exclude_before=tuple(p for p, where, _ in excl if where == "before"),
        task_verbs={r[0]: r[1] for r in task_verbs},
        weak_task_verbs=frozenset(r[0] for r in task_verbs if r[2:] == ["weak"]),
        quoted_task_verbs=frozenset(r[0] for r in task_verbs if r[2:] == ["quoted"]),
        facilities=by_len(r[0] for r in rows("facilities.tsv")),
        not_task_ends=tuple(w for w, where in rows("not_tasks.tsv") if where == "ends"),
        indicators=tuple(inds),
        name_lead=by_len(w for w, end in rows("names.tsv") if end == "lead"),
        name_trail=by_len(w for w, end in rows("names.tsv") if end == "trail"),
        generic_objects=by_len(r[0] for r in rows("generic_objects.tsv")),
        count_phrases=by_len(r[0] for r in rows("count_phrases.tsv")),
        idioms=by_len(r[0] for r in rows("idioms.tsv")),
        heads=by_len(r[0] for r in rows("heads.tsv")),
        contractions={w: (a, b) for w, a, b in rows("contractions.tsv")},
        people=by_len(r[0] for r in rows("people.tsv")),
    )


def alternation(words) -> str:
    """A regex alternation of literal words, longest first."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=None)
def words(name: str, role: str | None = None) -> tuple[str, ...]:
    """The first field of the rows of a data table, in the table's order; with ``role``, of the
    rows whose second field is ``role``."""
    return tuple(r[0] for r in rows(name) if role is None or (len(r) > 1 and r[1] == role))


def either(name: str, role: str | None = None) -> str:
    """``(?:a|b|…)``: the words of :func:`words` as regular-expression alternatives, in the
    table's order (the first that matches wins).  A table read this way says in its header that
    a row may be a pattern (``(?<!自然)增长率``); most rows are plain words."""
    return "(?:" + "|".join(words(name, role)) + ")"
