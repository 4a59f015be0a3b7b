"""Evening plan: intake time, wind-down times, bedtime regularity."""

from __future__ import annotations

import statistics
from datetime import date, time
from zoneinfo import ZoneInfo

from bedside.domain.planning import bedtime_regularity, default_wind_down, plan_evening
from bedside.domain.timekeeping import parse_instant

NY = ZoneInfo("America/New_York")


def test_intake_is_bedtime_minus_lead_even_over_dst() -> None:
    plan = plan_evening(date(2025, 3, 8), time(1, 0), 90, default_wind_down(), NY, [])
    # Bedtime 01:00 on 2025-03-09 (before the 02:00 jump); intake 23:30 the evening before.
    assert plan.bedtime.isoformat() == "2025-03-09T01:00:00-05:00"
    assert plan.intake_time.isoformat() == "2025-03-08T23:30:00-05:00"


def test_wind_down_steps_are_timed_before_bedtime_in_order() -> None:
    plan = plan_evening(date(2025, 6, 1), time(23, 0), 60, default_wind_down(), NY, [])
    times = [at for _, at in plan.wind_down]
    assert times == sorted(times)
    assert times[0].strftime("%H:%M") == "22:00"


def test_regularity_needs_three_nights_and_wraps_midnight() -> None:
    tonight = date(2025, 6, 15)
    beds = [parse_instant(t, NY, date(2025, 6, d)) for d, t in [(12, "23:30"), (13, "00:30")]]
    assert bedtime_regularity(beds, NY, tonight) == (None, 2)
    beds.append(parse_instant("23:00", NY, date(2025, 6, 14)))
    sd, used = bedtime_regularity(beds, NY, tonight)
    assert used == 3
    assert sd == statistics.stdev([690, 750, 660])


def test_regularity_ignores_nights_outside_the_last_fourteen() -> None:
    tonight = date(2025, 6, 30)
    beds = [parse_instant("23:00", NY, date(2025, 6, d)) for d in (1, 2, 3, 4)]
    assert bedtime_regularity(beds, NY, tonight) == (None, 0)
