"""First-weeks figures over a small night frame: plain averages, counts and streaks."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from bedside.analysis.week_one import week_one_figures
from bedside.analysis.week_one_figures import AverageOut


def _frame(took: list[float | None], efficiency: list[float | None]) -> pd.DataFrame:
    first = date(2025, 3, 1)
    nights = [first + timedelta(days=i) for i in range(len(took))]
    return pd.DataFrame({"night": nights, "took": took, "sleep_efficiency_pct": efficiency})


def test_levels_carry_the_unit_of_a_level_not_of_a_difference() -> None:
    figures = week_one_figures(_frame([1.0, 0.0, 1.0], [80.0, 90.0, 84.0]))
    assert figures is not None
    efficiency = next(o for o in figures.outcomes if o.outcome == "sleep_efficiency_pct")
    assert efficiency.unit == "%"
    assert efficiency.with_kratom == AverageOut(mean=82.0, nights=2)
    assert efficiency.without_kratom == AverageOut(mean=90.0, nights=1)
    minutes = next(o for o in figures.outcomes if o.outcome == "total_sleep_time_min")
    assert minutes.unit == "minutes" and minutes.this_week == AverageOut(mean=None, nights=0)


def test_an_unlogged_night_breaks_the_streak_and_counts_as_unknown() -> None:
    figures = week_one_figures(_frame([1.0, None, 0.0, 1.0], [80.0, None, 90.0, 84.0]))
    assert figures is not None
    logging = figures.logging
    assert (logging.logged_nights, logging.nights_in_range) == (3, 4)
    assert (logging.current_streak, logging.longest_streak) == (2, 2)
    assert (logging.with_kratom, logging.without_kratom) == (2, 1)
    assert logging.nights_until_analysis == 25
