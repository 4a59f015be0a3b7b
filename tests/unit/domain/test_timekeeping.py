"""Time rules: nights keyed by the evening, HH:MM placement, DST gaps and folds, UTC durations."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bedside.domain.errors import InputError
from bedside.domain.timekeeping import (
    clock_from_night_minutes,
    clock_on_night,
    describe_gap,
    known_zone,
    local_clock,
    local_iso,
    localize,
    minutes_between,
    minutes_into_night,
    night_of,
    parse_clock,
    parse_instant,
    require_aware,
    zone,
)

NY = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("local", "night"),
    [
        (datetime(2025, 3, 8, 23, 0), date(2025, 3, 8)),
        (datetime(2025, 3, 9, 6, 30), date(2025, 3, 8)),
        (datetime(2025, 3, 9, 11, 59), date(2025, 3, 8)),
        (datetime(2025, 3, 9, 12, 0), date(2025, 3, 9)),
        (datetime(2025, 3, 9, 0, 0), date(2025, 3, 8)),
    ],
)
def test_night_is_the_evening_date(local: datetime, night: date) -> None:
    assert night_of(localize(local, NY), NY) == night


def test_clock_times_fall_on_the_night_or_next_morning() -> None:
    assert clock_on_night(time(22, 30), date(2025, 3, 8)) == datetime(2025, 3, 8, 22, 30)
    assert clock_on_night(time(12, 0), date(2025, 3, 8)) == datetime(2025, 3, 8, 12, 0)
    assert clock_on_night(time(11, 59), date(2025, 3, 8)) == datetime(2025, 3, 9, 11, 59)
    assert clock_on_night(time(0, 15), date(2025, 12, 31)) == datetime(2026, 1, 1, 0, 15)


def test_spring_forward_gap_is_refused_with_an_offset_example() -> None:
    with pytest.raises(InputError) as err:
        parse_instant("02:30", NY, date(2025, 3, 8), "final_wake")
    assert err.value.field == "final_wake"
    assert "does not exist" in err.value.message
    # the examples are real wall times with their own offsets, so they parse as written
    assert "2025-03-09T03:30-04:00 or 2025-03-09T01:30-05:00" in err.value.message
    for example in ("2025-03-09T03:30-04:00", "2025-03-09T01:30-05:00"):
        assert local_iso(parse_instant(example, NY, None), NY)[:16] == example[:16]


def test_fall_back_fold_is_refused_naming_both_offsets() -> None:
    with pytest.raises(InputError) as err:
        parse_instant("01:30", NY, date(2025, 11, 1))
    assert "happens twice" in err.value.message
    assert "2025-11-02T01:30-04:00" in err.value.message
    assert "2025-11-02T01:30-05:00" in err.value.message


def test_explicit_offsets_resolve_the_fold() -> None:
    first = parse_instant("2025-11-02T01:30-04:00", NY, None)
    second = parse_instant("2025-11-02T01:30-05:00", NY, None)
    assert minutes_between(first, second) == 60


@pytest.mark.parametrize(
    ("night", "expected"),
    [(date(2025, 3, 8), 420.0), (date(2025, 11, 1), 540.0), (date(2025, 6, 1), 480.0)],
)
def test_night_durations_are_computed_in_utc(night: date, expected: float) -> None:
    start = parse_instant("23:00", NY, night)
    end = parse_instant("07:00", NY, night)
    assert minutes_between(start, end) == expected


def test_iso_inputs_local_and_with_offset() -> None:
    assert parse_instant("2025-03-08T22:30", NY, None) == datetime(2025, 3, 9, 3, 30, tzinfo=UTC)
    assert parse_instant("2025-03-09T03:30Z", NY, None) == datetime(2025, 3, 9, 3, 30, tzinfo=UTC)


@pytest.mark.parametrize("text", ["25:00", "7pm", "12:60", "", "tomorrow"])
def test_bad_times_are_refused(text: str) -> None:
    with pytest.raises(InputError):
        parse_instant(text, NY, date(2025, 1, 1))


def test_clock_parse_rejects_out_of_range() -> None:
    with pytest.raises(InputError, match="valid time"):
        parse_clock("24:00")


def test_unknown_zone_suggests_names() -> None:
    with pytest.raises(InputError, match="America/New_York"):
        zone("New York")
    with pytest.raises(InputError, match="unknown time zone"):
        zone("Mars/Base")


@given(
    st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1), timezones=st.just(UTC)
    ),
    st.sampled_from(["America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata"]),
)
def test_night_key_is_local_date_or_the_day_before(instant: datetime, name: str) -> None:
    tz = ZoneInfo(name)
    local = instant.astimezone(tz)
    night = night_of(instant, tz)
    assert night in (local.date(), local.date() - timedelta(days=1))
    assert (night == local.date()) == (local.hour >= 12)


# --- the one day boundary, as the safety rules use it ------------------------------------------


def test_night_of_on_dst_start_night() -> None:
    # Clocks go from 02:00 to 03:00 on 2026-03-08 in New York: both belong to the 7th's night.
    before = datetime(2026, 3, 8, 1, 30, tzinfo=NY).astimezone(UTC)
    after = datetime(2026, 3, 8, 3, 30, tzinfo=NY).astimezone(UTC)
    assert after - before == timedelta(hours=1)
    assert night_of(before, NY) == night_of(after, NY) == date(2026, 3, 7)


def test_minutes_into_night_count_from_noon() -> None:
    assert minutes_into_night(datetime(2026, 3, 7, 12, 0, tzinfo=NY), NY) == 0
    assert minutes_into_night(datetime(2026, 3, 7, 21, 0, tzinfo=NY), NY) == 9 * 60
    assert minutes_into_night(datetime(2026, 3, 8, 0, 30, tzinfo=NY), NY) == 12 * 60 + 30
    assert minutes_into_night(datetime(2026, 3, 8, 9, 0, tzinfo=NY), NY) == 21 * 60


@given(st.floats(min_value=0, max_value=1439))
def test_night_minutes_format_as_a_clock(minutes: float) -> None:
    text = clock_from_night_minutes(minutes)
    hours, mins = map(int, text.split(":"))
    assert 0 <= hours < 24 and 0 <= mins < 60


def test_clock_and_gap_text() -> None:
    assert clock_from_night_minutes(9 * 60) == "21:00"
    assert clock_from_night_minutes(12 * 60 + 30) == "00:30"
    assert local_clock(datetime(2026, 3, 7, 2, 0, tzinfo=UTC), NY) == "21:00"
    assert describe_gap(timedelta(hours=2, minutes=5)) == "2 h 05 min"
    assert describe_gap(timedelta(minutes=40)) == "40 min"


def test_programming_errors_are_value_errors() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        require_aware(datetime(2026, 3, 7), "x")
    with pytest.raises(ValueError, match="IANA"):
        known_zone("Not/AZone")
