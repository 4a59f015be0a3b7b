"""Local days and clock times for safety rules, DST-safe, from aware UTC datetimes.

A "use day" is the local calendar date of the evening a dose belongs to: the day starts at
:data:`DAY_START_HOUR` (04:00 local), so a dose at 00:30 counts towards the previous evening,
matching Bedside's rule that a night is keyed by the local date of the evening it starts.
Callers must key their observed days the same way.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAY_START_HOUR = 4
MINUTES_PER_DAY = 24 * 60


def require_aware(value: datetime, what: str) -> None:
    """Raise ValueError when ``value`` has no UTC offset."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be a timezone-aware datetime, got {value!r}")


def zone(name: str) -> ZoneInfo:
    """The IANA time zone ``name``; ValueError with a readable message if unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown IANA time zone {name!r} (e.g. 'America/Chicago')") from None


def use_day(at: datetime, tz: ZoneInfo) -> date:
    """The local evening date a moment belongs to (days run 04:00 to 04:00 local)."""
    local = at.astimezone(tz).replace(tzinfo=None)
    return (local - timedelta(hours=DAY_START_HOUR)).date()


def minutes_into_day(at: datetime, tz: ZoneInfo) -> float:
    """Minutes since the local day began at 04:00 (00:30 is late, not early)."""
    local = at.astimezone(tz)
    minutes = local.hour * 60 + local.minute + local.second / 60
    return (minutes - DAY_START_HOUR * 60) % MINUTES_PER_DAY


def clock_from_day_minutes(minutes: float) -> str:
    """Format minutes since 04:00 back to a local ``HH:MM`` clock time."""
    total = round(minutes + DAY_START_HOUR * 60) % MINUTES_PER_DAY
    return f"{total // 60:02d}:{total % 60:02d}"


def local_clock(at: datetime, tz: ZoneInfo) -> str:
    """``HH:MM`` local clock time of an aware datetime."""
    return at.astimezone(tz).strftime("%H:%M")


def describe_gap(delta: timedelta) -> str:
    """A gap as words, e.g. ``2 h 05 min`` or ``40 min``."""
    minutes = max(0, round(delta.total_seconds() / 60))
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min" if hours else f"{rest} min"
