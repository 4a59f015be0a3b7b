"""Evening planning: intake time from the target bedtime and lead, wind-down steps, regularity."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bedside.domain.errors import InputError
from bedside.domain.timekeeping import clock_on_night, localize, night_of, to_utc

DEFAULT_LEAD_MIN = 60
MIN_NIGHTS_FOR_REGULARITY = 3
REGULARITY_WINDOW_NIGHTS = 14

#: The default wind-down routine: (step, minutes before bedtime). The person edits it.
DEFAULT_WIND_DOWN: tuple[tuple[str, int], ...] = (
    ("Screens off, or night mode and low brightness", 60),
    ("Dim the lights", 45),
    ("Warm shower or bath", 40),
    ("Light stretching or slow breathing", 20),
    ("Read something calm in bed", 10),
)


@dataclass(frozen=True, slots=True)
class WindDownStep:
    """One step of the routine, ``minutes_before`` the target bedtime."""

    text: str
    minutes_before: int


@dataclass(frozen=True, slots=True)
class EveningPlan:
    """Tonight's plan: instants are aware datetimes in the person's zone."""

    night: date
    bedtime: datetime
    intake_time: datetime
    lead_min: int
    wind_down: tuple[tuple[WindDownStep, datetime], ...]
    bedtime_sd_min: float | None
    nights_for_sd: int


def default_wind_down() -> list[WindDownStep]:
    """A fresh copy of the default wind-down steps."""
    return [WindDownStep(text, minutes) for text, minutes in DEFAULT_WIND_DOWN]


def bedtime_on(night: date, target: time, tz: ZoneInfo) -> datetime:
    """The target bedtime of ``night`` as an aware local datetime.

    When the wall-clock bedtime does not exist or is ambiguous that night (a DST change at
    bedtime), the first valid interpretation is used rather than refusing: it is a plan.
    """
    naive = clock_on_night(target, night)
    try:
        return localize(naive, tz)
    except InputError:
        return to_utc(naive.replace(tzinfo=tz, fold=0)).astimezone(tz)


def plan_evening(
    night: date,
    target_bedtime: time,
    lead_min: int,
    steps: list[WindDownStep],
    tz: ZoneInfo,
    recent_bedtimes: list[datetime],
) -> EveningPlan:
    """Build the plan for ``night`` from the profile and the recent diary bedtimes."""
    bedtime = bedtime_on(night, target_bedtime, tz)
    bedtime_utc = to_utc(bedtime)
    timed = tuple(
        (step, (bedtime_utc - timedelta(minutes=step.minutes_before)).astimezone(tz))
        for step in sorted(steps, key=lambda s: -s.minutes_before)
    )
    sd, used = bedtime_regularity(recent_bedtimes, tz, night)
    return EveningPlan(
        night=night,
        bedtime=bedtime,
        intake_time=(bedtime_utc - timedelta(minutes=lead_min)).astimezone(tz),
        lead_min=lead_min,
        wind_down=timed,
        bedtime_sd_min=sd,
        nights_for_sd=used,
    )


def bedtime_regularity(
    bedtimes: list[datetime], tz: ZoneInfo, tonight: date
) -> tuple[float | None, int]:
    """Standard deviation (minutes) of local bedtimes over the 14 nights before ``tonight``.

    Bedtimes are measured as minutes after noon of their night, so 23:30 and 00:30 are an hour
    apart, not 23 hours. Returns ``(None, n)`` when fewer than three nights are logged.
    """
    first = tonight - timedelta(days=REGULARITY_WINDOW_NIGHTS)
    minutes: list[float] = []
    for instant in bedtimes:
        night = night_of(instant, tz)
        if not first <= night < tonight:
            continue
        local = to_utc(instant).astimezone(tz)
        noon = datetime.combine(night, time(12, 0))
        minutes.append((local.replace(tzinfo=None) - noon).total_seconds() / 60.0)
    if len(minutes) < MIN_NIGHTS_FOR_REGULARITY:
        return None, len(minutes)
    return statistics.stdev(minutes), len(minutes)
