"""The figures of the first-weeks feedback, as plain frozen dataclasses (no pandas).

:mod:`bedside.analysis.week_one` fills them from a night frame; the services hand them on
unchanged inside their typed result (``services.insights_schemas.WeekOneFeedback``), so the
field list is written once. The class names and docstrings are the API's schema names and
descriptions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = ["AverageOut", "LoggingFeedback", "OutcomeFeedback"]


@dataclass(frozen=True)
class AverageOut:
    """A plain mean and the number of nights behind it (mean None: no night has a value)."""

    mean: float | None
    nights: int


@dataclass(frozen=True)
class OutcomeFeedback:
    """One outcome: this week against earlier weeks, nights with kratom against without."""

    outcome: str
    label: str
    unit: str
    this_week: AverageOut
    earlier_weeks: AverageOut
    with_kratom: AverageOut
    without_kratom: AverageOut


@dataclass(frozen=True)
class LoggingFeedback:
    """Logging so far: streak, completeness and nights left until the first analysis."""

    first_night: date
    last_night: date
    this_week_from: date
    nights_in_range: int
    logged_nights: int
    with_kratom: int
    without_kratom: int
    completeness_pct: float
    current_streak: int
    longest_streak: int
    nights_until_analysis: int
