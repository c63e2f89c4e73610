"""The traffic light of a tracked item.

* **red**: overdue (today is after the deadline and the item is neither done nor dropped), or
  its status is ``behind``;
* **yellow**: the deadline is within ``WARN_DAYS`` days (today included, the deadline day
  counts as 0 days left), or the progress reported lags the time elapsed — the percent done
  is below the share of the time from ``start`` to the deadline that has passed;
* **green**: otherwise, and always once ``done``;
* **grey**: ``dropped`` — no longer followed.

>>> from datetime import date
>>> light("on_track", date(2025, 12, 31), date(2025, 6, 1), percent=60, start=date(2025, 1, 1))
'green'
>>> light("on_track", date(2025, 12, 31), date(2025, 12, 20))
'yellow'
>>> light("on_track", date(2025, 12, 31), date(2026, 1, 1))
'red'
"""

from __future__ import annotations

from datetime import date

from ..model import Light, TrackingStatus

# The statuses and lights themselves are defined once, in luoshi.model (TRACKING_STATUSES, LIGHTS).
NEEDS_REASON: tuple[TrackingStatus, ...] = ("behind", "dropped")  # a status that must say why
WARN_DAYS = 14


def elapsed_share(start: date, deadline: date, today: date) -> float:
    """The share of the time from ``start`` to ``deadline`` that has passed by ``today`` (0–1)."""
    total = (deadline - start).days
    if total <= 0:
        return 1.0
    return min(1.0, max(0.0, (today - start).days / total))


def light(
    status: str, deadline: date | None, today: date, percent: float | None = None, start: date | None = None
) -> Light:
    """``red``, ``yellow``, ``green`` or ``grey`` (see the module docstring)."""
    if status == "dropped":
        return "grey"
    if status == "done":
        return "green"
    if status == "behind":
        return "red"
    if deadline is None:
        return "green"
    if today > deadline:
        return "red"
    if (deadline - today).days <= WARN_DAYS:
        return "yellow"
    if start is not None:
        done = (percent or 0.0) / 100.0
        if done < elapsed_share(start, deadline, today):
            return "yellow"
    return "green"


def why(
    status: str, deadline: date | None, today: date, percent: float | None = None, start: date | None = None
) -> str:
    """The reason for the light, in words.

    >>> from datetime import date
    >>> why("on_track", date(2025, 12, 31), date(2025, 7, 2), percent=20, start=date(2025, 1, 1))
    '20% done, 50% of the time gone'
    """
    colour = light(status, deadline, today, percent, start)
    if colour == "grey":
        return "dropped"
    if status == "done":
        return "done"
    if status == "behind":
        return "reported behind"
    if colour == "red":
        return f"overdue by {(today - deadline).days} days"
    if colour == "yellow":
        days = (deadline - today).days
        if days <= WARN_DAYS:
            return "due today" if days == 0 else f"due in {days} days"
        share = elapsed_share(start, deadline, today)
        return f"{percent or 0:g}% done, {share * 100:.0f}% of the time gone"
    return "no deadline" if deadline is None else f"{(deadline - today).days} days left"
