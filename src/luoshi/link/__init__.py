"""Linking: was each target of one report met, by the results of the next?

``link_documents(old, new)`` pairs every numeric target of OLD for its plan year with the
result NEW reports for that year and gives a verdict (shared/spec/linking.md);
``diff_documents(old, new)`` says what changed between the two reports' targets and projects.

Modules: ``period`` (five-year passages), ``match`` (which result answers a target),
``verdict`` (the rules), ``linker`` (links), ``diff`` (changes).
"""

from __future__ import annotations

from .diff import Diff, TargetChange, TaskMove, diff_documents
from .linker import Link, link_documents

__all__ = ["Diff", "Link", "TargetChange", "TaskMove", "diff_documents", "link_documents"]
