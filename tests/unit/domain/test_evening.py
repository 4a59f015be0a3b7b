"""Where the evening stands: the line after a dose and when the morning diary is due."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bedside.domain.evening import (
    LoggedDose,
    amount_text,
    logged_line,
    morning_diary_due,
    next_step,
    usual_wake,
)

NY = ZoneInfo("America/New_York")
NIGHT = date(2025, 6, 14)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 6, day, hour, minute, tzinfo=NY)


BEDTIME = at(14, 23)
WIND_DOWN = [at(14, 22), at(14, 22, 15)]


def test_nothing_logged_means_no_logged_line() -> None:
    assert logged_line([], "wind-down next") is None


def test_one_dose_names_amount_time_and_what_comes_next() -> None:
    doses = [LoggedDose(3.0, "g", at(14, 21, 40))]
    assert logged_line(doses, "wind-down next") == "Logged 3 g at 21:40 · wind-down next"


def test_several_doses_are_all_named_and_no_next_step_after_bedtime() -> None:
    doses = [LoggedDose(2.5, "g", at(14, 21, 40)), LoggedDose(2, "capsules", at(14, 23, 5))]
    assert logged_line(doses, None) == "Logged 2.5 g at 21:40 and 2 capsules at 23:05"


def test_amounts_carry_no_float_noise() -> None:
    assert amount_text(0.1 + 0.2, "g") == "0.3 g"
    assert amount_text(750.0, "mg") == "750 mg"


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(14, 21, 40), "wind-down next"),
        (at(14, 22, 15), "wind-down next"),  # the last step is now
        (at(14, 22, 30), "bed at 23:00"),
        (at(14, 23, 30), None),
    ],
)
def test_next_step_follows_the_clock(now: datetime, expected: str | None) -> None:
    assert next_step(now, WIND_DOWN, BEDTIME) == expected


def test_without_wind_down_steps_bed_comes_next() -> None:
    assert next_step(at(14, 21), [], BEDTIME) == "bed at 23:00"


def test_usual_wake_is_the_diaries_else_an_assumed_night_after_bedtime() -> None:
    assert usual_wake(time(6, 40), time(23, 0)) == time(6, 40)
    assert usual_wake(None, time(23, 0)) == time(6, 0)
    assert usual_wake(None, time(1, 30)) == time(8, 30)


@pytest.mark.parametrize(
    ("now", "due"),
    [
        (at(15, 0, 30), False),  # the night has not ended at 00:30
        (at(15, 6, 59), False),  # before the usual final awakening
        (at(15, 7, 0), True),
        (at(15, 11, 59), True),
        (at(14, 20, 30), False),  # the evening itself
    ],
)
def test_morning_diary_is_due_after_the_usual_awakening_until_noon(
    now: datetime, due: bool
) -> None:
    assert morning_diary_due(now, NIGHT, False, time(7, 0)) is due


def test_morning_diary_is_not_due_once_filled_in() -> None:
    assert morning_diary_due(at(15, 8), NIGHT, True, time(7, 0)) is False
