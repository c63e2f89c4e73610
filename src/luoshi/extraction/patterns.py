"""The compiled patterns of the indicator steps, built once from the rule tables.

Each pattern's words are rows of a table in ``data/`` (its header says what each role means),
joined in the table's order; :func:`patterns` compiles them all on first use.  Patterns of
structure only (digits, quotes, brackets) stay with the step that uses them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import alternation, either, lexicon, rows, words

CJK = re.compile(r"[\u4e00-\u9fff“]")  # a Chinese character (or an opening quote) stands here


@dataclass(frozen=True)
class Patterns:
    # the candidates (candidates.py)
    number: re.Pattern  # a number with what may follow it: range, 余/多, magnitude, unit, 左右/以上
    exclude_before: re.Pattern  # exclusions.tsv
    exclude_after: re.Pattern
    count_verb: re.Pattern  # a Chinese numeral after one counts (value_verbs.tsv count)
    facility_tail: re.Pattern  # a project's name goes on after the value (project_words.tsv)
    facility_ahead: re.Pattern
    people: re.Pattern  # a noun for people after the number (people.tsv)
    not_people: re.Pattern
    list_verb: re.Pattern  # a list before a count ends with one: the count does not restate it
    # the qualifier and the verb (qualifiers.py)
    qual_before: re.Pattern  # qualifiers.tsv
    share_of: re.Pattern  # 超过全省一半: a qualifier before the whole a share is of
    qual_action: re.Pattern  # 至少建成1个: a qualifier before an action verb
    action_end: re.Pattern
    verb_before: re.Pattern  # change_verbs.tsv
    not_a_noun: re.Pattern
    duration_name: re.Pattern
    ratio_name: re.Pattern
    ratio_verb: re.Pattern
    ratio_moves_to: re.Pattern
    index_name: re.Pattern
    change_name: re.Pattern
    decrease_name: re.Pattern
    base_before: re.Pattern
    ranked: re.Pattern
    # the name (subjects.py)
    verb_full: re.Pattern  # a change verb alone names nothing
    milestone: re.Pattern  # milestones.tsv
    split_mark: re.Pattern  # coordination.tsv
    list_before: re.Pattern
    compared_with: re.Pattern  # comparisons.tsv
    base_name: re.Pattern
    gap: re.Pattern
    time_only: re.Pattern  # partial_names.tsv time
    modifier_next: re.Pattern
    list_names: re.Pattern
    names_after: re.Pattern  # value_verbs.tsv
    list_action: re.Pattern
    list_lead: re.Pattern
    invest_object: re.Pattern  # project_words.tsv invest
    medal_verb: re.Pattern
    # coordination (coordination.py)
    alone: re.Pattern  # partial_names.tsv
    alone_head: re.Pattern
    alone_invest: re.Pattern
    alone_firms: re.Pattern
    verb_tail: re.Pattern
    verb_lead: re.Pattern


@lru_cache(maxsize=1)
def patterns() -> Patterns:
    return Patterns(number=_number(), **_candidates(), **_qualifiers(), **_names(), **_partial_names())


def _number() -> re.Pattern:
    lex = lexicon()
    # a unit written in Latin letters ends where the word does (100PB is not 100 P)
    units = "|".join(
        re.escape(u)
        + ("(?![A-Za-z])" if u[-1].isascii() and u[-1].isalpha() else "")
        + (f"(?![{re.escape(lex.unit_not_before[u])}])" if u in lex.unit_not_before else "")
        for u in sorted(lex.units, key=len, reverse=True)
    )
    mags = alternation(lex.magnitudes)
    # The qualifier words the pattern accepts come from qualifiers.tsv, so each has a row there.
    inside = alternation(lex.qualifiers["inside"])
    after = alternation(lex.qualifiers["after"])
    # A Chinese numeral is a candidate only when a magnitude or unit follows (一般, 统一 are not).
    cn_ahead = rf"(?=(?:{inside})?(?:{mags})?(?:{inside})?(?:{units}|(?<=[万亿])))"
    return re.compile(
        # 占全国一半以上: a half.  (A share written a/b — 占全国1/3 — is not read: its quotient is
        # not written in the text, which the provenance contract of records.md requires.)
        r"(?=[\d零〇一二两三四五六七八九十百千万亿])"  # a cheap first test at each position
        r"(?P<num>(?P<half>一半)"
        r"|(?P<bare>[万亿](?<=[超近逾破约][万亿]))"  # a magnitude written only in words: 超万亿元, 破万, 近万家
        rf"|\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+{cn_ahead})"
        r"(?:(?P<pct1>%)?\s*(?P<dash>[-—–~～])\s*(?P<num2>\d+(?:\.\d+)?))?"
        rf"(?P<in1>{inside})?"
        rf"(?P<mag>{mags})?"
        rf"(?P<in2>{inside})?"
        rf"(?P<unit>{units})?"
        r"(?P<alt>[（(][\u4e00-\u9fff]{1,2}[）)])?"
        rf"(?P<after>{after})?"
    )


def _joined(table: str, role: str) -> str:
    """The words as bare alternatives, for a pattern used whole (``a|b|c``)."""
    return "|".join(words(table, role))


def _candidates() -> dict[str, re.Pattern]:
    lex = lexicon()
    return {
        "exclude_before": re.compile("(?:" + "|".join(lex.exclude_before) + ")$"),
        "exclude_after": re.compile("(?:" + "|".join(lex.exclude_after) + ")"),
        "count_verb": re.compile(either("value_verbs.tsv", "count") + "$"),
        "facility_tail": re.compile(either("project_words.tsv", "tail") + "$"),
        # 蠡县10万千瓦风电项目并网发电, 年产6万吨莱赛尔等项目: the project's name goes on after the capacity
        "facility_ahead": re.compile(r"[\u4e00-\u9fff]{1,8}?等?" + either("project_words.tsv", "ahead")),
        "people": re.compile(r"[\u4e00-\u9fff]{0,4}?(?:" + alternation(lex.people) + ")"),
        "not_people": re.compile(_joined("not_nouns.tsv", "people")),
        "list_verb": re.compile(either("coordination.tsv", "list_verb") + "$"),
    }


def _qualifiers() -> dict[str, re.Pattern]:
    lex = lexicon()
    before = alternation(lex.qualifiers["before"])
    action_end = either("value_verbs.tsv", "action") + "$"
    return {
        "qual_before": re.compile("(?:" + before + ")$"),
        "share_of": re.compile("(" + before + ")" + either("comparisons.tsv", "whole") + "$"),
        "qual_action": re.compile("(" + before + ")" + action_end),
        "action_end": re.compile(action_end),
        "verb_before": re.compile("(?:" + alternation(lex.verbs) + ")$"),
        "not_a_noun": re.compile(_joined("not_nouns.tsv", "threshold")),
        "duration_name": re.compile(
            either("measure_names.tsv", "duration") + r"(?:分别|均)?(?:压缩|缩短|减少)?(?:[\d.]+[、和])*$"
        ),
        "ratio_name": re.compile(either("measure_names.tsv", "ratio") + "$"),
        "ratio_verb": re.compile(either("value_verbs.tsv", "ratio_level") + "$"),
        "ratio_moves_to": re.compile(either("value_verbs.tsv", "ratio_moves") + "(?:至|到)"),
        "index_name": re.compile(either("measure_names.tsv", "index") + "$"),
        "change_name": re.compile(_joined("measure_names.tsv", "change")),
        "decrease_name": re.compile(_joined("measure_names.tsv", "decrease")),
        "base_before": re.compile(either("comparisons.tsv", "base_verb") + "$"),
        "ranked": re.compile(_joined("measure_names.tsv", "rank")),
    }


def _names() -> dict[str, re.Pattern]:
    invest_until = _joined("project_words.tsv", "invest_until")
    return {
        "verb_full": re.compile("(?:" + alternation(lexicon().verbs) + ")"),
        "milestone": re.compile("(?:" + "|".join(r[0] for r in rows("milestones.tsv")) + ")(?:位|名)?"),
        "split_mark": re.compile(either("coordination.tsv", "split") + "$"),
        "list_before": re.compile(either("coordination.tsv", "list_before") + "$"),
        "compared_with": re.compile(either("comparisons.tsv", "compare") + either("comparisons.tsv", "base") + "?$"),
        "base_name": re.compile(either("comparisons.tsv", "base_verb") + r"20\d\d年(?:末|底)?的?$"),
        "gap": re.compile(either("comparisons.tsv", "gap") + "(?=" + _joined("comparisons.tsv", "benchmark") + ")"),
        "time_only": re.compile(
            r"^(?:[一二两三四五六七八九十\d]+年(?:来)?|" + _joined("partial_names.tsv", "time") + ")+$"
        ),
        "modifier_next": re.compile(
            r"[\u4e00-\u9fff“”]{2,20}?" + either("value_verbs.tsv", "modifier") + r"\d+(?:\.\d+)?%"
        ),
        "list_names": re.compile(_joined("measure_names.tsv", "list")),
        "names_after": re.compile(either("value_verbs.tsv", "names_after") + "$"),
        "list_action": re.compile(_joined("value_verbs.tsv", "list_action")),
        "list_lead": re.compile(r"^[\u4e00-\u9fff]{0,6}?" + either("value_verbs.tsv", "list_lead")),
        # what 总投资N亿元的 names: after a count (34个), the object up to its facility word (not one
        # that a phase continues: 工程二期项目), else up to its verb or the clause's end
        "invest_object": re.compile(
            r"(?:\d+个)?(.*?"
            + either("project_words.tsv", "invest")
            + r"(?![一二三四五六七八九十\d]期)|.*?(?="
            + invest_until
            + "|$))"
        ),
        "medal_verb": re.compile(either("value_verbs.tsv", "medal") + "$"),
    }


def _partial_names() -> dict[str, re.Pattern]:
    return {
        "alone": re.compile("^" + either("partial_names.tsv", "alone") + "$"),
        # 、年度产量突破120万吨: a period word before the head word is dropped (group 1 is the head)
        "alone_head": re.compile(
            "^" + either("partial_names.tsv", "period") + "?(" + either("partial_names.tsv", "head") + ")$"
        ),
        "alone_invest": re.compile("^" + either("partial_names.tsv", "invest") + "$"),
        "alone_firms": re.compile("^" + either("partial_names.tsv", "firms") + "$"),
        "verb_tail": re.compile(either("partial_names.tsv", "verb_tail") + "$"),
        "verb_lead": re.compile("^" + either("partial_names.tsv", "verb_lead")),
    }
