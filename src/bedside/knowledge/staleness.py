"""When a record counts as stale, and the text shown for stale records.

A record is stale when its ``checked_on`` date (the day its statements were last verified) lies
more than :data:`STALE_AFTER_MONTHS` calendar months before ``today``. The age of the law or
study it describes (``as_of``) does not matter: a 2004 ban checked last month is current.
``today`` is always passed in by the caller; nothing here reads the clock.
"""

from __future__ import annotations

import calendar
from datetime import date

STALE_AFTER_MONTHS = 6
STALE_NOTE = "may be out of date — check before relying on it"


def months_before(day: date, months: int) -> date:
    """Return the same day-of-month ``months`` earlier, clamped to the month's last day."""
    index = day.year * 12 + (day.month - 1) - months
    year, month_index = divmod(index, 12)
    last_day = calendar.monthrange(year, month_index + 1)[1]
    return date(year, month_index + 1, min(day.day, last_day))


def stale_cutoff(today: date) -> date:
    """The oldest ``checked_on`` date that still counts as current on ``today``."""
    return months_before(today, STALE_AFTER_MONTHS)


def is_stale(checked_on: date, today: date) -> bool:
    """True when ``checked_on`` is more than six calendar months before ``today``."""
    return checked_on < stale_cutoff(today)


def stale_sentence(stale: bool) -> str:
    """The sentence appended to user-facing text for stale records ("" when current)."""
    return f"This information {STALE_NOTE}." if stale else ""
