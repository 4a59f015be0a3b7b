"""Feedback from the first weeks: plain descriptive figures, before any analysis can run.

Until a person has logged the 28 nights the association analysis needs
(:data:`~bedside.analysis.eligibility.MIN_LOGGED_NIGHTS`), the insights screens still give
something back: this week's averages against the person's own earlier weeks, nights with
and without kratom side by side, the logging streak and how complete the log is, and how
many nights remain until the first real analysis.

Only averages and counts: no model, no p-values, no verdicts and no causal words. The
side-by-side averages always come with :data:`NOT_YET`.

Works on a night frame (see :mod:`bedside.analysis.nights`): one row per calendar night,
``took`` 1.0 / 0.0 / NaN (nothing logged).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta
from typing import Final

import pandas as pd

from bedside.analysis.eligibility import MIN_LOGGED_NIGHTS
from bedside.analysis.nights import NightColumns
from bedside.analysis.outcomes import OUTCOMES
from bedside.analysis.week_one_figures import AverageOut, LoggingFeedback, OutcomeFeedback

#: The outcomes the first-weeks feedback describes, in display order.
FEEDBACK_OUTCOMES: Final = (
    "sleep_efficiency_pct",
    "total_sleep_time_min",
    "quality",
    "pain_next_morning",
    "soreness_next_morning",
)
WEEK: Final = 7
NOT_YET: Final = "Not yet enough nights to say whether the difference is more than chance."


@dataclass(frozen=True)
class WeekOneFigures:
    """Everything the first-weeks feedback shows."""

    logging: LoggingFeedback
    outcomes: tuple[OutcomeFeedback, ...]


def week_one_figures(frame: pd.DataFrame) -> WeekOneFigures | None:
    """The first-weeks figures of a night frame; None when nothing is logged in it."""
    c = NightColumns
    if frame.empty or c.TOOK not in frame or not frame[c.TOOK].notna().any():
        return None
    nights = pd.to_datetime(frame[c.NIGHT]).dt.date
    took = frame[c.TOOK]
    logged = took.notna()
    last = max(n for n, seen in zip(nights, logged, strict=True) if seen)
    week_from = last - timedelta(days=WEEK - 1)
    this_week = (nights >= week_from) & (nights <= last)
    earlier = nights < week_from
    logging = LoggingFeedback(
        first_night=nights.iloc[0],
        last_night=last,
        this_week_from=week_from,
        nights_in_range=len(frame),
        logged_nights=int(logged.sum()),
        with_kratom=int((took == 1).sum()),
        without_kratom=int((took == 0).sum()),
        completeness_pct=round(100.0 * float(logged.sum()) / len(frame), 1),
        current_streak=_current_streak(list(logged[nights <= last])),
        longest_streak=_longest_streak(list(logged)),
        nights_until_analysis=max(0, MIN_LOGGED_NIGHTS - int(logged.sum())),
    )
    figures = tuple(
        OutcomeFeedback(
            outcome=name,
            label=OUTCOMES[name].label,
            unit=_level_unit(OUTCOMES[name].unit),
            this_week=_average(frame, name, this_week),
            earlier_weeks=_average(frame, name, earlier),
            with_kratom=_average(frame, name, took == 1),
            without_kratom=_average(frame, name, took == 0),
        )
        for name in FEEDBACK_OUTCOMES
    )
    return WeekOneFigures(logging, figures)


def _level_unit(unit: str) -> str:
    """The unit of a level: an outcome's unit describes differences (a plain "%" here)."""
    return "%" if unit == "percentage points" else unit


def _average(frame: pd.DataFrame, column: str, rows: pd.Series) -> AverageOut:
    if column not in frame:
        return AverageOut(None, 0)
    values = pd.to_numeric(frame.loc[rows.to_numpy(), column], errors="coerce").dropna()
    if values.empty:
        return AverageOut(None, 0)
    mean = float(values.mean())
    return AverageOut(round(mean, 1) if math.isfinite(mean) else None, len(values))


def _current_streak(logged: list[bool]) -> int:
    """Logged nights in a row, ending at the last night."""
    streak = 0
    for seen in reversed(logged):
        if not seen:
            break
        streak += 1
    return streak


def _longest_streak(logged: list[bool]) -> int:
    best = run = 0
    for seen in logged:
        run = run + 1 if seen else 0
        best = max(best, run)
    return best
