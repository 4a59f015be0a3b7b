"""The clinician report's plain figures: spreads, streaks, weekly efficiency, regularity."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bedside.reports import figures as fig

D0 = date(2025, 3, 1)


def nights(*offsets: int) -> set[date]:
    return {D0 + timedelta(days=k) for k in offsets}


def test_spread_skips_unknown_values_instead_of_counting_zero() -> None:
    value = fig.spread([3.0, None, 1.0, 2.0])
    assert (value.n, value.median, value.low, value.high) == (3, 2.0, 1.0, 3.0)
    assert fig.spread([None]).median is None


def test_longest_streak_prefers_the_latest_and_says_when_it_may_be_longer() -> None:
    used = nights(0, 1, 2, 5, 6, 7)
    logged = nights(*range(0, 8)) - nights(8)
    streak = fig.longest_streak(used, logged | nights(-1))
    assert streak is not None
    assert (streak.start, streak.end, streak.nights) == (
        D0 + timedelta(days=5),
        D0 + timedelta(days=7),
        3,
    )
    assert streak.may_be_longer  # the night after it has nothing logged
    closed = fig.longest_streak(nights(2, 3), nights(1, 2, 3, 4))
    assert closed is not None and not closed.may_be_longer
    assert fig.longest_streak(set(), nights(1)) is None


def test_weekly_efficiency_is_total_sleep_over_total_time_in_bed() -> None:
    # A short night and a long one: the mean of nightly SE (75%) is not ΣTST/ΣTIB (about 83%).
    rows = [(D0, 60.0, 120.0), (D0 + timedelta(days=1), 540.0, 600.0)]
    (week,) = fig.weekly_efficiency(rows, D0, "diary")
    assert week.efficiency_pct == pytest.approx(100 * 600 / 720)
    assert week.nights == 2
    later = fig.weekly_efficiency([(D0 + timedelta(days=7), 400.0, 480.0)], D0, "diary")
    assert later[0].week_start == D0 + timedelta(days=7)


def test_bedtime_regularity_across_midnight() -> None:
    tz = ZoneInfo("America/New_York")
    times = [
        datetime(2025, 3, 1, 23, 30, tzinfo=tz),
        datetime(2025, 3, 3, 0, 30, tzinfo=tz),
    ]
    clock, sd = fig.regularity(times)
    assert clock == "00:00"
    assert sd == pytest.approx(42.43, abs=0.01)  # 60 minutes apart, not 23 hours
    assert fig.regularity(times[:1]) == ("23:30", None)


def test_halves_and_rates() -> None:
    assert fig.halves(D0, D0 + timedelta(days=12)) is None
    first, second = fig.halves(D0, D0 + timedelta(days=55)) or ((D0, D0), (D0, D0))
    assert first == (D0, D0 + timedelta(days=27)) and second[0] == D0 + timedelta(days=28)
    assert fig.per_week(3, 0) is None and fig.per_week(4, 14) == 2.0
