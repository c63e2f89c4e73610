"""The objects of a task: a list split into items (``、``; ``和`` only between names;
``6、7、8号线``), a shared head or tail carried to each (``黄河、长城、长征国家文化公园``), and
the tests of what an item is: a facility (``facilities.tsv``, works on one ``works.tsv``, a phase
such as 一期, 工程 of a physical work), or a programme, goal or kind (``not_tasks.tsv``)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from .lexicon import alternation, lexicon, rows, words

SPLIT = re.compile(r"、|和|及|以及")
PHASE = re.compile(r"[一二三四五六七八九]期")
BRACKET = re.compile(r"[（(][^）)]*[）)]")


class _Patterns(NamedTuple):
    engineering: re.Pattern  # task_objects.tsv engineering: before 工程, a physical work
    shared_tails: tuple[str, ...]  # works a list shares


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    return _Patterns(
        engineering=re.compile("|".join(words("task_objects.tsv", "engineering"))),
        shared_tails=words("task_objects.tsv", "shared_tail"),
    )


def split_items(objects: str) -> list[str]:
    """A list into its items: always at 、; at 和/及/以及 only between two names of two characters
    or more, so that 太和风景 and 金和路 stay whole."""
    items = []
    for part in objects.split("、"):
        part = part.rsplit("——", 1)[-1]  # 全市首座新建“多站合一”智能化试点——思明变电站: the name follows the dash
        pieces = SPLIT.split(part)
        items.extend(pieces if all(len(p) >= 2 for p in pieces) else [part])
    return [i for i in items if i]


@lru_cache(maxsize=1)
def not_task() -> re.Pattern:
    """Any word that makes a candidate a programme, policy or goal rather than a thing."""
    return re.compile(alternation(w for w, where in rows("not_tasks.tsv") if where in ("contains", "verb")))


@lru_cache(maxsize=1)
def no_task_verb() -> re.Pattern:
    """A verb that makes no task (落地, 签约, 创建…): it drops the whole list it ends."""
    return re.compile(alternation(w for w, where in rows("not_tasks.tsv") if where == "verb"))


@lru_cache(maxsize=1)
def facility_end() -> re.Pattern:
    """The longest facility suffix a name ends with."""
    return re.compile("(?:" + alternation(lexicon().facilities) + ")$")


@lru_cache(maxsize=1)
def _works_end() -> re.Pattern:
    """Works done on a facility (``data/works.tsv``): 人民广场提升改造 is a facility's works."""
    return re.compile("(?:" + alternation(r[0] for r in rows("works.tsv")) + ")$")


@lru_cache(maxsize=1)
def facility_any() -> re.Pattern:
    """A facility word anywhere, or a phase (一期), or 工程: the least an object needs."""
    return re.compile(alternation(lexicon().facilities) + r"|[一二三四五六七八九]期|工程")


@lru_cache(maxsize=4096)
def bare_facility(item: str) -> bool:
    """Only a facility word, with or without works: 片区更新, 园区, 更新单元."""
    return _works_end().sub("", item) in lexicon().facilities


@lru_cache(maxsize=4096)
def is_facility(item: str) -> bool:
    if "（" in item or "(" in item:
        item = BRACKET.sub("", item)
    works = _works_end().search(item)
    if works and works.start() >= 2 and _names_facility(item[: works.start()]):
        return True
    return _names_facility(item)


def _names_facility(item: str) -> bool:
    if item.endswith("工程"):
        return bool(_patterns().engineering.search(item[:-2]) or PHASE.search(item) or _names_facility(item[:-2]))
    return item.endswith(lexicon().facilities) or bool(PHASE.search(item))


def share_affixes(items: list[str]) -> list[str]:
    """象山线、慈溪线 → 市域铁路慈溪线; 6号线、7号线 after 轨道交通6号线 → 轨道交通7号线;
    G228余慈段、九龙大道…快速化改造 → each 快速化改造."""
    if len(items) < 2:
        return items
    out = list(items)
    for i in range(1, len(out)):
        cur, prev = out[i], out[i - 1]
        if cur[:1].isdigit():
            m = re.match(r"^(\D+)\d", prev)
            if m and not m.group(1)[-1:].isdigit():
                out[i] = m.group(1) + cur
        elif len(cur) <= 3 and len(prev) > len(cur) + 1 and cur[-1] == prev[-1]:
            out[i] = prev[: len(prev) - len(cur)] + cur
    works = _works_end().search(out[-1]) if len(out) > 1 else None
    if works:  # 平山村、百旺村、渔二村综合整治: names of one kind share the works
        kind = facility_end().search(out[-1][: works.start()])
        if kind and all(x.endswith(kind.group(0)) for x in out[:-1]):
            out = [x + works.group(0) for x in out[:-1]] + [out[-1]]
    for tail in _patterns().shared_tails:
        if out and out[-1].endswith(tail) and len(out) > 1:
            out = [x if x.endswith(tail) else x + tail for x in out]
            break
    else:
        last = out[-1] if out else ""
        found = facility_end().search(last)
        suffix = found.group(0) if found and len(last) > len(found.group(0)) + 1 else ""
        if (
            len(out) > 1
            and all(len(x) == len(out[0]) <= 3 and (len(x) <= 2 or not is_facility(x)) for x in out[:-1])
            and len(last) > len(out[0]) + 1
            and is_facility(last[len(out[0]) :])
            and not is_facility(last[: len(out[0])])
        ):  # 坂澜大道、五和大道龙岗段: a section of one
            # 黄河、长城、长征国家文化公园 / 坪山、坑梓老城区升级改造: names of one length share
            # what follows the last one's name.
            tail = last[len(out[0]) :]
            out = [x + tail for x in out[:-1]] + [last]
        elif suffix and len(out) > 1:
            # 安家庄、唐家河、毛家川煤矿 / 雄忻、石雄铁路: a short name takes the suffix of the next
            # item that has one (深大、深惠城际及…16号线南延: 深大城际).
            for i in range(len(out) - 2, -1, -1):
                nxt = facility_end().search(out[i + 1])
                if nxt and len(out[i + 1]) > len(nxt.group(0)) + 1:
                    suffix = nxt.group(0)
                if len(out[i]) <= 4 and not is_facility(out[i]):
                    out[i] += suffix
    return out
