"""Local days for safety rules: 04:00 day boundary, DST, clock formatting."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bedside.safety.local_time import (
    clock_from_day_minutes,
    describe_gap,
    local_clock,
    minutes_into_day,
    require_aware,
    use_day,
    zone,
)

NY = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("hour", "minute", "expected"),
    [
        (21, 0, date(2026, 3, 7)),
        (23, 59, date(2026, 3, 7)),
        (0, 30, date(2026, 3, 6)),
        (3, 59, date(2026, 3, 6)),
        (4, 0, date(2026, 3, 7)),
    ],
)
def test_use_day_boundary(hour: int, minute: int, expected: date) -> None:
    moment = datetime(2026, 3, 7, hour, minute, tzinfo=NY).astimezone(UTC)
    assert use_day(moment, NY) == expected


def test_use_day_on_dst_start_night() -> None:
    # Clocks go from 02:00 to 03:00 on 2026-03-08 in New York.
    before = datetime(2026, 3, 8, 1, 30, tzinfo=NY).astimezone(UTC)
    after = datetime(2026, 3, 8, 3, 30, tzinfo=NY).astimezone(UTC)
    assert after - before == timedelta(hours=1)
    assert use_day(before, NY) == use_day(after, NY) == date(2026, 3, 7)


def test_minutes_into_day() -> None:
    assert minutes_into_day(datetime(2026, 3, 7, 4, 0, tzinfo=NY), NY) == 0
    assert minutes_into_day(datetime(2026, 3, 7, 21, 0, tzinfo=NY), NY) == 17 * 60
    assert minutes_into_day(datetime(2026, 3, 8, 0, 30, tzinfo=NY), NY) == 20 * 60 + 30


@given(st.floats(min_value=0, max_value=1439))
def test_clock_round_trip(minutes: float) -> None:
    text = clock_from_day_minutes(minutes)
    hours, mins = map(int, text.split(":"))
    assert 0 <= hours < 24 and 0 <= mins < 60


def test_clock_and_gap_text() -> None:
    assert clock_from_day_minutes(17 * 60) == "21:00"
    assert local_clock(datetime(2026, 3, 7, 2, 0, tzinfo=UTC), NY) == "21:00"
    assert describe_gap(timedelta(hours=2, minutes=5)) == "2 h 05 min"
    assert describe_gap(timedelta(minutes=40)) == "40 min"


def test_errors() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        require_aware(datetime(2026, 3, 7), "x")
    with pytest.raises(ValueError, match="IANA"):
        zone("Not/AZone")
