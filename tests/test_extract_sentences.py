"""The executable spec: real report sentences and the records shared/spec/records.md wants.

Every case in ``sentence_cases.py`` is a sentence copied verbatim from ../shared/corpus, the
part of the report it is read in ("review" or "plan"), and the records it must give.  The
sentence is wrapped in a two-line report (see ``helpers.run``) so that kind and year are known:
by default a review sentence gives results of 2024 and a plan sentence targets of 2025.

Rules (the same for every case):

* every expected indicator is matched by a distinct produced indicator with the same value and
  unit, and the same value_max / measure / qualifier / kind / year / estimated / scope.  Unless
  the case says otherwise value_max is None, the qualifier is "exact" (``None``: not asserted),
  estimated is False, and kind/year are those of the part;
* an expected ``indicator`` name matches loosely: bigram Dice >= 0.5, as the scorer does;
* an expected task is matched by a distinct produced task with the same action and an object
  of Dice >= 0.5;
* no produced indicator is left over, unless the case allows extras;
* ``{"absent": N}``: no indicator has the value N; ``{"absent_task": X}``: no task is about X;
  ``{"no_tasks": True}``: the sentence gives no task at all;
* every record's span holds its evidence, and an indicator's span holds its value as written.

Cases where luoshi disagrees with the spec are kept, with the spec's answer, as strict xfails.
Test ids are "<group><n>-<first 20 characters>"; pytest escapes the Chinese unless run with
``-o disable_test_id_escaping_and_forfeit_all_rights_to_community_support=true``.
"""

from __future__ import annotations

import pytest

import sentence_cases
from helpers import (
    CN_NUMERAL,
    DEFAULT_YEAR,
    RANK_MARK,
    default_kind_year,
    describe,
    dice,
    run,
    same_amount,
    same_number,
    value_written,
)
from paths import DEV, corpus_and_eval_text, needs_shared


def _unpack(case):
    """A case tuple or pytest.param → (sentence, part, expected, opts, marks)."""
    marks = ()
    if hasattr(case, "values") and hasattr(case, "marks"):
        marks = case.marks
        case = case.values
    sentence, part, expected, *rest = case
    opts = rest[0] if rest else {}
    return sentence, part, expected, opts, marks


def _params():
    out = []
    for group, cases in sentence_cases.GROUPS.items():
        for n, case in enumerate(cases, 1):
            sentence, part, expected, opts, marks = _unpack(case)
            out.append(pytest.param(sentence, part, expected, opts, marks=marks, id=f"{group}{n:02d}-{sentence[:20]}"))
    return out


# ----------------------------------------------------------------------------- matching


def _indicator_ok(exp: dict, rec, part: str, opts: dict) -> bool:
    kind, year = default_kind_year(part, opts.get("year", DEFAULT_YEAR))
    if not same_amount(rec.value, rec.unit, exp["value"], exp.get("unit", ""), exp.get("loose_unit", False)):
        return False
    if not same_number(rec.value_max, exp.get("value_max")):
        return False
    if "measure" in exp and rec.measure != exp["measure"]:
        return False
    want_q = exp.get("qualifier", "exact")
    if want_q is not None and rec.qualifier != want_q:  # None: not asserted
        return False
    if rec.kind != exp.get("kind", kind):
        return False
    if "year" in exp or not opts.get("any_year"):
        if rec.year != exp.get("year", year):
            return False
    if bool(rec.estimated) != exp.get("estimated", False):
        return False
    if "scope" in exp and rec.scope != exp["scope"]:
        return False
    if exp.get("indicator") is not None and dice(exp["indicator"], rec.indicator) < 0.5:
        return False
    return True


def _task_ok(exp: dict, rec, part: str, opts: dict) -> bool:
    kind, _ = default_kind_year(part, opts.get("year", DEFAULT_YEAR))
    return rec.action == exp["action"] and dice(exp["object"], rec.object) >= 0.5 and rec.kind == exp.get("kind", kind)


def _match(expected: list[dict], produced: list, ok) -> tuple[dict[int, int], list[int]]:
    """A maximum one-to-one matching (expected index → produced index) by augmenting paths."""
    cands = [[j for j, rec in enumerate(produced) if ok(exp, rec)] for exp in expected]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in cands[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    unmatched = [i for i in range(len(expected)) if not augment(i, set())]
    return {i: j for j, i in owner.items()}, unmatched


def _show(exp: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in exp.items() if k != "type")


# ----------------------------------------------------------------------------- the spec


@pytest.mark.parametrize("sentence, part, expected, opts", _params())
def test_sentence(sentence, part, expected, opts):
    doc = run(sentence, part, opts.get("year", DEFAULT_YEAR))
    inds = [r for r in doc.records if r.type == "indicator"]
    tasks = [r for r in doc.records if r.type == "task"]
    produced = "\n  ".join(describe(r) for r in doc.records) or "(none)"
    problems: list[str] = []

    exp_inds = [e for e in expected if "value" in e]
    exp_tasks = [e for e in expected if e.get("type") == "task"]

    pairs, missing = _match(exp_inds, inds, lambda e, r: _indicator_ok(e, r, part, opts))
    problems += [f"no indicator matches {_show(exp_inds[i])}" for i in missing]
    if not opts.get("extras"):
        used = set(pairs.values())
        problems += [f"extra indicator: {describe(r)}" for j, r in enumerate(inds) if j not in used]

    _, missing_t = _match(exp_tasks, tasks, lambda e, r: _task_ok(e, r, part, opts))
    problems += [f"no task matches {_show(exp_tasks[i])}" for i in missing_t]

    for e in expected:
        if "absent" in e:
            hits = [r for r in inds if abs(abs(r.value) - abs(e["absent"])) <= 1e-9]
            problems += [f"{e['absent']:g} is not an indicator here, got: {describe(r)}" for r in hits]
        if "absent_task" in e:
            hits = [r for r in tasks if dice(e["absent_task"], r.object) >= 0.5]
            problems += [f"{e['absent_task']} is not a task, got: {describe(r)}" for r in hits]
        if e.get("no_tasks"):
            problems += [f"no task expected, got: {describe(r)}" for r in tasks]

    # Provenance: the span holds the evidence, and an indicator's span holds its value.
    for r in doc.records:
        span = doc.text[r.start : r.end]
        if not (0 <= r.start < r.end <= len(doc.text)) or r.evidence not in span:
            problems.append(f"span {r.start}:{r.end} {span!r} does not hold evidence {r.evidence!r}")
        if r.type == "indicator":
            if not (
                value_written(r.value) in span
                or CN_NUMERAL.search(span)
                or (r.measure == "rank" and RANK_MARK.search(span))
            ):
                problems.append(f"span {span!r} does not hold the value {r.value:g}")

    assert not problems, "\n".join(problems) + f"\nproduced:\n  {produced}"


# ----------------------------------------------------------------------------- the cases


def _all_cases():
    for group, cases in sentence_cases.GROUPS.items():
        for case in cases:
            yield group, _unpack(case)


def test_every_group_has_at_least_ten_cases():
    small = {g: len(c) for g, c in sentence_cases.GROUPS.items() if len(c) < 10}
    assert not small, small


def test_sentences_are_distinct():
    seen: dict[str, str] = {}
    dup = []
    for group, (sentence, *_rest) in _all_cases():
        if sentence in seen:
            dup.append((seen[sentence], group, sentence))
        seen[sentence] = group
    assert not dup, dup


@needs_shared
def test_sentences_are_verbatim_from_the_corpus_not_the_eval_set():
    corpus, evalset = corpus_and_eval_text()
    assert DEV.exists()
    not_found = [s for _, (s, *_r) in _all_cases() if s not in corpus]
    from_eval = [s for _, (s, *_r) in _all_cases() if s in evalset]
    assert not not_found, f"not in ../shared/corpus: {not_found}"
    assert not from_eval, f"taken from ../shared/eval: {from_eval}"
