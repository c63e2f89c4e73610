"""Tracking items: what a supervision office follows, who leads it, by when, and how it goes.

An item follows an extracted record (a target or a task, by its document and stable key, so
it survives re-extraction) or stands alone.  Every write is one transaction that also appends
one audit entry (:mod:`..audit`).  Changes carry the ``version`` the editor saw: a change
against an older version raises :class:`..errors.Conflict` with the item as it is now and what
changed, so no update is lost silently.  Progress updates are appended (never edited) and set
the item's status, percent and value reached.

* :mod:`.fields` — the editable fields, checked (``EDITABLE``, :func:`split_units`);
* :mod:`.items` — :func:`create_item`, :func:`update_item`, :func:`list_items`, :func:`by_unit`,
  :func:`items_by_record`;
* :mod:`.progress` — :func:`add_progress`, :func:`get_item` (an item with its updates),
  :func:`attach_progress`;
* :mod:`.breakdown` — :func:`import_breakdown`: a task-breakdown sheet as items.
"""

from __future__ import annotations

from .breakdown import import_breakdown
from .fields import EDITABLE, split_units
from .items import ITEM_COLUMNS, by_unit, create_item, items_by_record, list_items, update_item
from .progress import add_progress, attach_progress, get_item

__all__ = [
    "EDITABLE",
    "ITEM_COLUMNS",
    "add_progress",
    "attach_progress",
    "by_unit",
    "create_item",
    "get_item",
    "import_breakdown",
    "items_by_record",
    "list_items",
    "split_units",
    "update_item",
]
