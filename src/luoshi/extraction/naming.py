"""Indicator names: trim a clause fragment to the phrase that names what is measured, split
coordinated subjects, and find the canonical indicator id."""

from __future__ import annotations

import re
from functools import lru_cache

from .lexicon import alternation, either, lexicon, words

_EDGE_PUNCT = " 、，,；;：:（(）)—-「」\u3000"
_SUBJECT_SPLIT = re.compile(r"、|以及|和|及|与")
_STREAK = re.compile(r"连续\d+年|连续[一二两三四五六七八九十]+年")
PAIRED = ("城镇", "农村", "城市", "乡村", "国有", "民营", "中央", "地方", "城区", "郊区")  # halves of a pair


@lru_cache(maxsize=1)
def _trimmers() -> tuple[re.Pattern, re.Pattern, tuple[str, ...]]:
    """The lead and trail words of names.tsv, and the ends a name keeps (年均: its 均 is no
    trail word)."""
    lex = lexicon()
    lead = re.compile("^(?:" + alternation(lex.name_lead) + ")+")
    trail = re.compile("(?:" + alternation(lex.name_trail) + ")+$")
    return lead, trail, words("names.tsv", "keep")


_PERIOD_WORDS = re.compile(r"“?十[一二三四五六]五”?(?:时期|期间|末)?")  # “十五五”时期 names a period, not a subject
_YEAR_LEAD = re.compile(r"^20\d\d年(?:全年)?")  # 2025年全省地区生产总值
# an item's number before its text: 10.新增幼儿园学位, ⑤城乡低保标准, （3）…, 一是…
_ITEM_FIRST = set("0123456789（(一二三四五六七八九十①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽")
_ITEM_MARK = re.compile(
    r"^(?:\d{1,2}[.．、](?!\d)|[①-⑳⑴-⒇]|[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,2}是)"
)


def trim(name: str) -> str:
    """Trim lead/trail words and punctuation; no spaces.

    >>> trim("预计全年地区生产总值")
    '地区生产总值'
    >>> trim("政策性融资担保余额和增量均")
    '政策性融资担保余额和增量'
    >>> trim("脱贫地区农民收入年均")
    '脱贫地区农民收入年均'
    >>> trim("10.新增幼儿园学位"), trim("⑤农村低保标准"), trim("一是实现坪山河干流综合整治工程完成工程量")
    ('新增幼儿园学位', '农村低保标准', '实现坪山河干流综合整治工程完成工程量')
    """
    lead, trail, kept = _trimmers()
    name = _PERIOD_WORDS.sub("", name) if "五”" in name or "五时期" in name else name
    if name.endswith(kept) and len(name) > 2:  # trim what stands before 年均
        inner = trim(name[:-2])
        return inner + name[-2:] if inner else name
    name = _STREAK.sub("", name.replace(" ", "")) if "连续" in name else name.replace(" ", "")
    if name and name.lstrip(_EDGE_PUNCT)[:1] in _ITEM_FIRST:
        name = _ITEM_MARK.sub("", name.lstrip(_EDGE_PUNCT))
    while name:
        before = name
        name = lead.sub("", _YEAR_LEAD.sub("", name.strip(_EDGE_PUNCT)))
        if not name.endswith(kept):
            m = trail.search(name)
            if m:
                cut = m.start()
                # Give back a trailing 均 that belongs to 年均/人均/亩均.
                while cut < len(name) and name[: cut + 1].endswith(kept):
                    cut += 1
                name = name[:cut]
        if name == before:
            break
    if name.count("“") > name.count("”"):
        name = name.replace("“", "", 1) if name.startswith("“") else name + "”"
    if name.count("”") > name.count("“"):
        name = name[:-1] if name.endswith("”") else "“" + name
    return name


def split_subjects(name: str, wanted: int | None = None) -> list[str]:
    """Coordinated subjects, sharing a head noun and a prefix.

    >>> split_subjects("城镇居民和农村居民人均可支配收入")
    ['城镇居民人均可支配收入', '农村居民人均可支配收入']
    >>> split_subjects("规上工业企业亩均税收、亩均增加值")
    ['规上工业企业亩均税收', '规上工业企业亩均增加值']
    >>> split_subjects("本外币存贷款增速", wanted=2)
    ['本外币存款增速', '本外币贷款增速']
    """
    lex = lexicon()
    name = _SECTORS.sub(_expand_sectors, name)
    for end in words("names.tsv", "keep"):  # 高技术制造业、装备制造业增加值年均 → each …年均
        if name.endswith(end) and len(name) > len(end):
            return [s + end for s in split_subjects(name[: -len(end)], wanted)]
    parts = [p for p in _SUBJECT_SPLIT.split(name) if p]
    if len(parts) < 2:
        if wanted == 2 or wanted is None:
            for word, (a, b) in sorted(lex.contractions.items(), key=lambda kv: -len(kv[0])):
                if word in name and wanted == 2:
                    return [name.replace(word, a, 1), name.replace(word, b, 1)]
        return [name]
    first, last = parts[0], parts[-1]
    tail = ""
    first_headed = any(first.endswith(h) for h in lex.heads)
    for h in lex.heads:
        if last.endswith(h) and len(last) > len(h):
            core = last[: -len(h)]
            inner = next((x for x in lex.heads if core.endswith(x) and len(core) > len(x)), "")
            if inner and not first_headed:  # 化工、有色行业增加值增速 → 化工增加值增速
                tail, parts[-1] = inner + h, core[: -len(inner)]
            elif inner or (not first_headed and len(first) <= len(core) + 2):
                tail = h
                parts[-1] = core
            break
    if len(parts) == 2 and parts[0] in PAIRED and parts[1][:2] in PAIRED and len(parts[1]) > 2:
        parts[0] += parts[1][2:]  # 城镇和农村常住居民人均可支配收入 → 城镇常住居民…
    peer = min(parts[1:], key=len)
    prefix = ""
    k = first.find(peer[:2]) if len(peer) >= 2 else -1
    if k > 0:
        prefix = first[:k]
    elif not tail and (not first_headed or len(peer) <= 3) and len(first) >= len(peer) + 2:
        prefix = first[: len(first) - len(peer)]
    out = [parts[0] + tail] + [prefix + p + tail for p in parts[1:]]
    return out


_SECTORS = re.compile(r"([一二三](?:、[一二三])+)产(业)?")  # 一、二、三产业 → 第一产业、第二产业、第三产业


def _expand_sectors(m: re.Match) -> str:
    return "、".join(f"第{x}产业" if m.group(2) else f"{x}产" for x in m.group(1).split("、"))


def indicator_id(name: str) -> str | None:
    """The canonical id of a main indicator (linking.md), or None.

    >>> indicator_id("全省生产总值"), indicator_id("海洋生产总值"), indicator_id("城镇调查失业率")
    ('gdp', None, 'unemployment')
    """
    ids, edge, suffixes = _ids()
    core = edge.sub("", name, count=1)
    found = ids.get(core) or ids.get(name)
    if found:
        return found
    for suffix in suffixes:
        if core.endswith(suffix):
            return ids.get(core[: -len(suffix)])
    return None


@lru_cache(maxsize=1)
def _ids() -> tuple[dict[str, str], re.Pattern, tuple[str, ...]]:
    """The indicator ids by name (indicators.tsv), and the words trimmed from a name to find
    one: from its start (names.tsv id_scope, then id_verb), from its end (id_suffix)."""
    ids = {name: ind_id for name, ind_id, _direction in reversed(lexicon().indicators)}
    edge = re.compile("^" + either("names.tsv", "id_scope") + "?" + either("names.tsv", "id_verb") + "?")
    return ids, edge, words("names.tsv", "id_suffix")
