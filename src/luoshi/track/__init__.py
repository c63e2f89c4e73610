"""Follow-up tracking: the rules a supervision office (督查室) applies to the items it follows.

``light`` (the traffic light), ``dates`` (deadlines as offices write them), ``breakdown``
(a task-breakdown sheet matched to extracted records), ``report`` (the tracking sheet as XLSX).
The items themselves are stored by :mod:`luoshi.store.tracking`.
"""
