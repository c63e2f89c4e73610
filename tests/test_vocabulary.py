"""The vocabulary (kinds, measures, qualifiers, actions, verdicts, statuses, lights) is defined once,
in luoshi.model, as Literal types with their tuples derived from them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

import pytest

from luoshi import model
from luoshi.track.report import FILLS, LIGHT_ZH, STATUS_ZH

SRC = Path(__file__).resolve().parents[1] / "src" / "luoshi"
VOCABULARY = {
    "RECORD_TYPES": model.RecordType,
    "KINDS": model.Kind,
    "MEASURES": model.Measure,
    "QUALIFIERS": model.Qualifier,
    "TASK_ACTIONS": model.Action,
    "VERDICTS": model.Verdict,
    "TRACKING_STATUSES": model.TrackingStatus,
    "LIGHTS": model.Light,
    "FOLLOW_STATUSES": model.FollowStatus,
    "PROGRESS_VALUES": model.Progress,
}
# A run of two or more quoted words separated by commas: a tuple, list or Literal of names.
_RUN = re.compile(r"""(?:["'][a-z_]+["']\s*,\s*)+["'][a-z_]+["']""")


@pytest.mark.parametrize("name", sorted(VOCABULARY))
def test_tuples_come_from_the_literals(name):
    assert getattr(model, name) == get_args(VOCABULARY[name])


def test_no_module_repeats_a_set():
    """Python code names a set through luoshi.model; templates and scripts may list values."""
    sets = {frozenset(get_args(t)): name for name, t in VOCABULARY.items()}
    copies = []
    for path in SRC.rglob("*.py"):
        if path.name == "model.py":
            continue
        for m in _RUN.finditer(path.read_text(encoding="utf-8")):
            found = frozenset(w.strip("\"' ") for w in m.group(0).split(","))
            if found in sets:
                copies.append(f"{path.relative_to(SRC)}: {sets[found]} {m.group(0)}")
    assert copies == []


def test_the_tracking_sheet_names_every_status_and_light():
    assert set(STATUS_ZH) == set(model.TRACKING_STATUSES)
    assert set(LIGHT_ZH) == set(FILLS) == set(model.LIGHTS)
