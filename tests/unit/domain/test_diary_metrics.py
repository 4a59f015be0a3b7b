"""Consensus Sleep Diary metrics and checks, including DST nights and properties."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bedside.domain.diary import DiaryAnswers, derive, validate
from bedside.domain.errors import InputError
from bedside.domain.timekeeping import parse_instant

NY = ZoneInfo("America/New_York")


def answers(night: date, bed: str, tried: str, final: str, out: str, **kw: int) -> DiaryAnswers:
    def at(text: str) -> datetime:
        return parse_instant(text, NY, night)

    values = {"sol_min": 20, "awakenings": 2, "waso_min": 30, "quality": 4} | kw
    return DiaryAnswers(
        night=night,
        bedtime=at(bed),
        tried=at(tried),
        final_wake=at(final),
        out_of_bed=at(out),
        **values,
    )


def test_ordinary_night_across_midnight() -> None:
    a = answers(date(2025, 6, 1), "22:45", "23:00", "06:30", "07:00")
    validate(a)
    m = derive(a)
    assert m.time_in_bed_min == 495
    assert m.total_sleep_time_min == 450 - 20 - 30
    assert m.terminal_wake_min == 30
    assert m.sleep_efficiency_pct == pytest.approx(100 * 400 / 495)


def test_spring_forward_night_is_an_hour_shorter() -> None:
    m = derive(
        answers(
            date(2025, 3, 8),
            "23:00",
            "23:00",
            "07:00",
            "07:00",
            sol_min=0,
            waso_min=0,
            awakenings=0,
        )
    )
    assert m.time_in_bed_min == 420
    assert m.total_sleep_time_min == 420


def test_fall_back_night_is_an_hour_longer() -> None:
    m = derive(
        answers(
            date(2025, 11, 1),
            "23:00",
            "23:00",
            "07:00",
            "07:00",
            sol_min=0,
            waso_min=0,
            awakenings=0,
        )
    )
    assert m.time_in_bed_min == 540
    assert m.sleep_efficiency_pct == 100


@pytest.mark.parametrize(
    ("times", "kw", "field"),
    [
        (("23:00", "22:50", "06:00", "07:00"), {}, "tried"),
        (("23:00", "23:10", "06:00", "05:50"), {}, "out_of_bed"),
        (("23:00", "23:10", "23:05", "23:30"), {}, "final_wake"),
        (("23:00", "23:10", "06:00", "07:00"), {"sol_min": 500}, "sol_min"),
        (("23:00", "23:10", "01:00", "07:00"), {"sol_min": 60, "waso_min": 60}, "waso_min"),
        (("23:00", "23:10", "06:00", "07:00"), {"quality": 6}, "quality"),
        (("23:00", "23:10", "06:00", "07:00"), {"sol_min": -5}, "sol_min"),
        (("23:00", "23:10", "06:00", "07:00"), {"awakenings": 0, "waso_min": 10}, "awakenings"),
    ],
)
def test_inconsistent_answers_name_the_field(
    times: tuple[str, str, str, str], kw: dict[str, int], field: str
) -> None:
    with pytest.raises(InputError) as err:
        validate(answers(date(2025, 6, 1), *times, **kw))
    assert err.value.field == field


@st.composite
def valid_answers(draw: st.DrawFn) -> DiaryAnswers:
    bed = draw(st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1)))
    bed = bed.replace(tzinfo=UTC)
    to_try = draw(st.integers(0, 120))
    window = draw(st.integers(1, 900))
    sol = draw(st.integers(0, min(window, 720)))
    waso = draw(st.integers(0, min(window - sol, 720)))
    awake = draw(st.integers(1 if waso else 0, 20))
    linger = draw(st.integers(0, 180))
    tried = bed + timedelta(minutes=to_try)
    final = tried + timedelta(minutes=window)
    return DiaryAnswers(
        night=bed.date(),
        bedtime=bed,
        tried=tried,
        sol_min=sol,
        awakenings=awake,
        waso_min=waso,
        final_wake=final,
        out_of_bed=final + timedelta(minutes=linger),
        quality=draw(st.integers(1, 5)),
    )


@given(valid_answers())
def test_metrics_are_never_negative_and_sleep_fits_in_bed(a: DiaryAnswers) -> None:
    validate(a)
    m = derive(a)
    assert m.total_sleep_time_min >= 0
    assert m.total_sleep_time_min <= m.time_in_bed_min
    assert 0 <= m.sleep_efficiency_pct <= 100
    assert m.terminal_wake_min >= 0


@given(valid_answers(), st.sampled_from(["America/New_York", "Asia/Tokyo", "Europe/Berlin"]))
def test_metrics_do_not_depend_on_the_zone_the_instants_are_shown_in(
    a: DiaryAnswers, name: str
) -> None:
    tz = ZoneInfo(name)
    shifted = DiaryAnswers(
        night=a.night,
        bedtime=a.bedtime.astimezone(tz),
        tried=a.tried.astimezone(tz),
        sol_min=a.sol_min,
        awakenings=a.awakenings,
        waso_min=a.waso_min,
        final_wake=a.final_wake.astimezone(tz),
        out_of_bed=a.out_of_bed.astimezone(tz),
        quality=a.quality,
    )
    assert derive(shifted) == derive(a)
