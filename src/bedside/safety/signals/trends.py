"""Dose creep, doses per day and first-dose timing, from dose events.

All windows are counted in nights (night keys, see :func:`bedside.domain.timekeeping.night_of`)
back from ``today`` (``today`` is day 0):

* dose creep: mean daily grams on use days with complete amounts, days 0-6, compared with the
  same 7-day window 4 weeks earlier (days 28-34) and 8 weeks earlier (days 56-62). A window
  needs at least :data:`MIN_DAYS_FOR_MEAN` such days, else its mean is None. A day with any
  dose missing its amount has an unknown total and is left out (not counted as zero).
* trend slopes: over days 0-55 (8 weeks), in units per week, needing at least
  :data:`MIN_POINTS` points spanning :data:`MIN_SPAN_DAYS` days. Daily amounts use ordinary
  least squares; first-dose times use the Theil-Sen slope (the median of the slopes between
  every pair of days), so that one unusually early or late dose cannot make a drift alone.
* first-dose timing: local clock time of each night's first dose, measured from 12:00 (the
  night rule: before 12:00 belongs to the previous evening), so a 00:30 dose counts as late,
  not early. A negative slope means earlier each week.
* doses per use day: days 0-27 compared with days 28-55.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from bedside.domain.timekeeping import clock_from_night_minutes, minutes_into_night, night_of
from bedside.safety.signals.inputs import DoseEvent

__all__ = [
    "DoseCreep",
    "DosesPerDay",
    "TimingDrift",
    "daily_totals",
    "dose_creep",
    "doses_per_day",
    "least_squares_slope",
    "theil_sen_slope",
    "timing_drift",
]

MIN_DAYS_FOR_MEAN = 3
MIN_POINTS = 6
MIN_SPAN_DAYS = 14
TREND_DAYS = 56


def _days_ago(today: date, start: int, end: int) -> tuple[date, date]:
    """The window from ``end`` days ago to ``start`` days ago, as (first, last) dates."""
    return today - timedelta(days=end), today - timedelta(days=start)


def least_squares_slope(points: Sequence[tuple[float, float]]) -> float | None:
    """Slope of the least-squares line through (x, y) points; None if x doesn't vary."""
    if len(points) < 2:
        return None
    mean_x = statistics.fmean(x for x, _ in points)
    mean_y = statistics.fmean(y for _, y in points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    if spread == 0:
        return None
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread


def theil_sen_slope(points: Sequence[tuple[float, float]]) -> float | None:
    """Median of the slopes between every pair of points with different x (None if none)."""
    slopes = [
        (y2 - y1) / (x2 - x1)
        for i, (x1, y1) in enumerate(points)
        for x2, y2 in points[i + 1 :]
        if x2 != x1
    ]
    return statistics.median(slopes) if slopes else None


def _trend(
    points: dict[date, float],
    today: date,
    slope: Callable[[Sequence[tuple[float, float]]], float | None] = least_squares_slope,
) -> float | None:
    """Per-week slope over the last 8 weeks, or None when there is too little data."""
    first, _ = _days_ago(today, 0, TREND_DAYS - 1)
    recent = {d: v for d, v in points.items() if first <= d <= today}
    if len(recent) < MIN_POINTS or (max(recent) - min(recent)).days < MIN_SPAN_DAYS:
        return None
    return slope([((d - first).days / 7, v) for d, v in sorted(recent.items())])


def daily_totals(doses: Sequence[DoseEvent], tz: ZoneInfo) -> dict[date, float | None]:
    """Grams per use day; None when any dose that day has no amount."""
    totals: dict[date, float | None] = {}
    for dose in doses:
        day = night_of(dose.at, tz)
        current = totals.get(day, 0.0)
        totals[day] = None if current is None or dose.grams is None else current + dose.grams
    return totals


def _mean(totals: dict[date, float], first: date, last: date) -> float | None:
    values = [v for d, v in totals.items() if first <= d <= last]
    return statistics.fmean(values) if len(values) >= MIN_DAYS_FOR_MEAN else None


def _change(now: float | None, then: float | None) -> float | None:
    if now is None or then is None or then <= 0:
        return None
    return (now - then) / then


@dataclass(frozen=True)
class DoseCreep:
    """Mean grams per use day now and 4 and 8 weeks ago, with changes and an 8-week slope."""

    recent_mean_g: float | None
    four_weeks_ago_mean_g: float | None
    eight_weeks_ago_mean_g: float | None
    change_vs_4_weeks: float | None
    change_vs_8_weeks: float | None
    slope_g_per_week: float | None


def dose_creep(doses: Sequence[DoseEvent], tz: ZoneInfo, today: date) -> DoseCreep:
    """Compare recent daily totals with the same 7-day windows 4 and 8 weeks earlier."""
    known = {d: v for d, v in daily_totals(doses, tz).items() if v is not None and d <= today}
    recent = _mean(known, *_days_ago(today, 0, 6))
    four = _mean(known, *_days_ago(today, 28, 34))
    eight = _mean(known, *_days_ago(today, 56, 62))
    return DoseCreep(
        recent_mean_g=recent,
        four_weeks_ago_mean_g=four,
        eight_weeks_ago_mean_g=eight,
        change_vs_4_weeks=_change(recent, four),
        change_vs_8_weeks=_change(recent, eight),
        slope_g_per_week=_trend(known, today),
    )


@dataclass(frozen=True)
class TimingDrift:
    """How the local time of the day's first dose is moving (negative: earlier)."""

    slope_minutes_per_week: float | None
    recent_median_first_dose: str | None
    earlier_median_first_dose: str | None
    days_with_doses: int


def _first_dose_minutes(doses: Sequence[DoseEvent], tz: ZoneInfo) -> dict[date, float]:
    firsts: dict[date, float] = {}
    for dose in doses:
        day, minutes = night_of(dose.at, tz), minutes_into_night(dose.at, tz)
        firsts[day] = min(minutes, firsts.get(day, minutes))
    return firsts


def _median_clock(values: dict[date, float], first: date, last: date) -> str | None:
    chosen = [v for d, v in values.items() if first <= d <= last]
    return clock_from_night_minutes(statistics.median(chosen)) if chosen else None


def timing_drift(doses: Sequence[DoseEvent], tz: ZoneInfo, today: date) -> TimingDrift:
    """Trend of the first dose's local time over 8 weeks, with recent and earlier medians."""
    firsts = {d: v for d, v in _first_dose_minutes(doses, tz).items() if d <= today}
    first, _ = _days_ago(today, 0, TREND_DAYS - 1)
    return TimingDrift(
        slope_minutes_per_week=_trend(firsts, today, theil_sen_slope),
        recent_median_first_dose=_median_clock(firsts, *_days_ago(today, 0, 13)),
        earlier_median_first_dose=_median_clock(firsts, *_days_ago(today, 28, 55)),
        days_with_doses=sum(1 for d in firsts if first <= d),
    )


@dataclass(frozen=True)
class DosesPerDay:
    """Mean doses per use day in the last 4 weeks and the 4 weeks before."""

    recent: float | None
    previous: float | None


def doses_per_day(doses: Sequence[DoseEvent], tz: ZoneInfo, today: date) -> DosesPerDay:
    """Average number of doses on each use day, now versus the previous 4 weeks."""
    counts: dict[date, float] = {}
    for dose in doses:
        day = night_of(dose.at, tz)
        counts[day] = counts.get(day, 0) + 1
    return DosesPerDay(
        recent=_mean(counts, *_days_ago(today, 0, 27)),
        previous=_mean(counts, *_days_ago(today, 28, 55)),
    )
