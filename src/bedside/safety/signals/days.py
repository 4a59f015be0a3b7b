"""Use days, known days and unknown days; rolling frequency windows and streaks.

Every local day up to ``today`` is in one of three states:

* ``use``: at least one dose was logged for that day;
* ``non_use``: the person logged something that day (it is *observed*) but no dose;
* ``unknown``: nothing was logged. Unknown days never count as use or as non-use.

Streaks are runs of consecutive ``use`` days (date arithmetic, so they cross month and year
ends naturally). An unknown day ends a streak, because we can't tell whether kratom was taken
on it; a streak that touches an unknown day (or the start of the history) is marked
``may_be_longer``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

__all__ = [
    "WINDOW_DAYS",
    "DayCalendar",
    "DayState",
    "FrequencyWindow",
    "Streak",
    "current_streak",
    "frequency_windows",
    "longest_streak",
]

WINDOW_DAYS = 28
DAYS_PER_WEEK = 7


class DayState(StrEnum):
    """What is known about one local day."""

    USE = "use"
    NON_USE = "non_use"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class DayCalendar:
    """Which local days had use and which were observed, up to ``today``."""

    use_days: frozenset[date]
    observed: frozenset[date]
    today: date

    @classmethod
    def build(cls, use_days: Iterable[date], observed: Iterable[date], today: date) -> DayCalendar:
        """Combine use days with observed days (a use day is always observed)."""
        uses = frozenset(d for d in use_days if d <= today)
        seen = frozenset(d for d in observed if d <= today) | uses
        return cls(use_days=uses, observed=seen, today=today)

    @property
    def first_day(self) -> date | None:
        """The earliest observed day, or None when nothing has been logged."""
        return min(self.observed) if self.observed else None

    def state(self, day: date) -> DayState:
        """The state of one day."""
        if day in self.use_days:
            return DayState.USE
        if day in self.observed:
            return DayState.NON_USE
        return DayState.UNKNOWN


@dataclass(frozen=True)
class FrequencyWindow:
    """Use in one 28-day window. Rates are days per week.

    ``days_per_week`` is the rate among known days (None when no day is known);
    ``days_per_week_low``/``_high`` are the bounds if every unknown day were non-use/use.
    """

    start: date
    end: date
    used_days: int
    non_use_days: int
    unknown_days: int

    @property
    def known_days(self) -> int:
        """Days that are use or non-use."""
        return self.used_days + self.non_use_days

    @property
    def days_per_week(self) -> float | None:
        """Use days per week among known days."""
        if self.known_days == 0:
            return None
        return self.used_days / self.known_days * DAYS_PER_WEEK

    @property
    def days_per_week_low(self) -> float:
        """Rate if every unknown day had no use."""
        return self.used_days / WINDOW_DAYS * DAYS_PER_WEEK

    @property
    def days_per_week_high(self) -> float:
        """Rate if every unknown day had use."""
        return (self.used_days + self.unknown_days) / WINDOW_DAYS * DAYS_PER_WEEK


def _window(calendar: DayCalendar, end: date) -> FrequencyWindow:
    days = [end - timedelta(days=i) for i in range(WINDOW_DAYS)]
    states = [calendar.state(d) for d in days]
    return FrequencyWindow(
        start=days[-1],
        end=end,
        used_days=states.count(DayState.USE),
        non_use_days=states.count(DayState.NON_USE),
        unknown_days=states.count(DayState.UNKNOWN),
    )


def frequency_windows(calendar: DayCalendar, count: int = 3) -> tuple[FrequencyWindow, ...]:
    """Consecutive 28-day windows ending today, most recent first."""
    return tuple(
        _window(calendar, calendar.today - timedelta(days=WINDOW_DAYS * i)) for i in range(count)
    )


@dataclass(frozen=True)
class Streak:
    """A run of consecutive use days; ``may_be_longer`` when it touches an unknown day."""

    start: date
    end: date
    may_be_longer: bool

    @property
    def days(self) -> int:
        """Length in days."""
        return (self.end - self.start).days + 1


def _run_back(calendar: DayCalendar, end: date) -> Streak:
    start = end
    while calendar.state(start - timedelta(days=1)) is DayState.USE:
        start -= timedelta(days=1)
    before = calendar.state(start - timedelta(days=1)) is DayState.UNKNOWN
    after_day = end + timedelta(days=1)
    # Today with nothing logged is "not logged yet", so it doesn't make a run uncertain.
    after = after_day < calendar.today and calendar.state(after_day) is DayState.UNKNOWN
    return Streak(start=start, end=end, may_be_longer=before or after)


def longest_streak(calendar: DayCalendar) -> Streak | None:
    """The longest run of use days (the most recent one on ties)."""
    ends = [d for d in calendar.use_days if d + timedelta(days=1) not in calendar.use_days]
    runs = [_run_back(calendar, end) for end in ends]
    return max(runs, key=lambda s: (s.days, s.end), default=None)


def current_streak(calendar: DayCalendar) -> Streak | None:
    """The run of use days ending today (or yesterday, if today has nothing logged yet)."""
    end = calendar.today
    if calendar.state(end) is DayState.UNKNOWN:
        end -= timedelta(days=1)
    if calendar.state(end) is not DayState.USE:
        return None
    return _run_back(calendar, end)
