"""Time done right: UTC instants, IANA zones, nights keyed by the evening's local date.

Rules (see the README, "Time"):

* Every instant is stored in UTC together with the IANA zone the person was in.
* A *night* is keyed by the local calendar date of its evening: anything from 12:00 local
  belongs to that date's night, anything before 12:00 to the previous date's night.
* A bare clock time ``HH:MM`` given for a night falls on the night's date when it is 12:00 or
  later, and on the next morning when it is earlier.
* A local time that does not exist (clocks spring forward) or happens twice (clocks fall back)
  is refused: the person must give an ISO 8601 time with its UTC offset.

Only the standard library is used here.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bedside.domain.errors import InputError

NIGHT_SPLIT_HOUR = 12
MINUTES_PER_DAY = 24 * 60
#: The dates accepted for nights and times: far inside datetime's range, so every conversion
#: (UTC offsets, the next morning of a night) stays valid.
FIRST_DATE = date(1900, 1, 1)
LAST_DATE = date(2199, 12, 31)
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")


#: Names the zone database answers to that are not places: the machine's own clock, the
#: placeholder zone and the legacy copies (``posix/…``, ``right/…`` with leap seconds).
_NOT_PLACES = frozenset({"localtime", "Factory", "posixrules"})
_NOT_PLACE_PREFIXES = ("posix/", "right/")
#: Longest zone name shown back in a message (a 300-character name would flood the line).
_SHOWN_NAME = 40


@cache
def _known_zones() -> frozenset[str]:
    """The IANA zone names a profile may use (read once from the zone database)."""
    return frozenset(
        name
        for name in available_timezones()
        if name not in _NOT_PLACES and not name.startswith(_NOT_PLACE_PREFIXES)
    )


def zone(name: str, field: str = "timezone") -> ZoneInfo:
    """Return the IANA zone called ``name`` or raise an :class:`InputError` saying so.

    Used for zones already stored with an entry; a zone the person gives goes through
    :func:`place_zone` first.
    """
    try:
        if not name or name != name.strip() or len(name) > 255:
            raise ZoneInfoNotFoundError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: e.g. a name too long
        raise InputError(field, f"unknown time zone {shown_name(name)}{_zone_hint(name)}") from None


def place_zone(name: str, field: str = "timezone") -> ZoneInfo:
    """The zone of a place the person named: only IANA names such as ``Europe/London``.

    ``localtime`` (whatever this machine's clock says today), the ``posix/…`` and
    ``right/…`` copies, ``Factory`` and names too long to be a zone are refused.
    """
    if name not in _known_zones():
        raise InputError(field, f"unknown time zone {shown_name(name)}{_zone_hint(name)}")
    return zone(name, field)


def shown_name(name: str) -> str:
    """``name`` quoted for a message, cut short when it is too long to be a real name."""
    if len(name) <= _SHOWN_NAME:
        return repr(name)
    return repr(name[:_SHOWN_NAME]) + f"… ({len(name)} characters)"


def _zone_hint(name: str) -> str:
    """Suggest IANA names that contain what the person typed (e.g. 'york' → America/New_York)."""
    for prefix in _NOT_PLACE_PREFIXES:
        if name.startswith(prefix) and name.removeprefix(prefix) in _known_zones():
            return f"; use {name.removeprefix(prefix)!r}"
    needle = name.strip().lower().replace(" ", "_")
    if len(needle) < 3 or len(needle) > 64:
        return "; use an IANA name such as Europe/London or America/New_York"
    found = sorted(z for z in _known_zones() if needle in z.lower())[:3]
    if found:
        return "; did you mean " + " or ".join(found) + "?"
    return "; use an IANA name such as Europe/London or America/New_York"


def parse_clock(text: str, field: str = "time") -> time:
    """Parse ``HH:MM`` (24-hour) into a :class:`time`."""
    match = _CLOCK.match(text.strip())
    if not match:
        raise InputError(field, f"{text!r} is not a clock time; write HH:MM, e.g. 22:30")
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise InputError(field, f"{text!r} is not a valid time of day (00:00 to 23:59)")
    return time(hour, minute)


def night_of(instant: datetime, tz: tzinfo) -> date:
    """Return the night key of ``instant``: the local date of the evening it belongs to."""
    local = to_utc(instant).astimezone(tz)
    if local.hour < NIGHT_SPLIT_HOUR:
        return local.date() - timedelta(days=1)
    return local.date()


def minutes_into_night(instant: datetime, tz: tzinfo) -> float:
    """Minutes since the night began at 12:00 local (00:30 is late in the night, not early)."""
    local = to_utc(instant).astimezone(tz)
    minutes = local.hour * 60 + local.minute + local.second / 60
    return (minutes - NIGHT_SPLIT_HOUR * 60) % MINUTES_PER_DAY


def clock_from_night_minutes(minutes: float) -> str:
    """Format minutes since 12:00 (see :func:`minutes_into_night`) as a local ``HH:MM``."""
    total = round(minutes + NIGHT_SPLIT_HOUR * 60) % MINUTES_PER_DAY
    return f"{total // 60:02d}:{total % 60:02d}"


def clock_on_night(clock: time, night: date) -> datetime:
    """Place a clock time on a night: from 12:00 on the night's date, before 12:00 the next day."""
    day = night if clock.hour >= NIGHT_SPLIT_HOUR else night + timedelta(days=1)
    return datetime.combine(day, clock)


def localize(naive: datetime, tz: ZoneInfo, field: str = "time") -> datetime:
    """Attach ``tz`` to a naive local time, refusing times that do not exist or are ambiguous."""
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    shown = naive.strftime("%Y-%m-%d %H:%M")
    if first.utcoffset() != second.utcoffset():
        round_trip = first.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
        if round_trip != naive:
            # the wall times on either side of the gap, each with the offset it really has
            later = first.astimezone(UTC).astimezone(tz)
            earlier = second.astimezone(UTC).astimezone(tz)
            raise InputError(
                field,
                f"{shown} does not exist in {tz.key} (the clocks spring forward then); give a "
                f"time that exists with its UTC offset, e.g. {_iso_minutes(later)} or "
                f"{_iso_minutes(earlier)}",
            )
        raise InputError(
            field,
            f"{shown} happens twice in {tz.key} (the clocks fall back then); give the time "
            f"with its UTC offset: {_offset_example(naive, first)} for the first or "
            f"{_offset_example(naive, second)} for the second",
        )
    return first


def _iso_minutes(aware: datetime) -> str:
    """``2025-03-09T03:30-04:00``: an aware time to the minute, with its offset."""
    return _offset_example(aware.replace(tzinfo=None), aware)


def _offset_example(naive: datetime, aware: datetime) -> str:
    offset = aware.utcoffset() or timedelta(0)
    total = int(offset.total_seconds() // 60)
    sign = "+" if total >= 0 else "-"
    hours, minutes = divmod(abs(total), 60)
    return f"{naive.strftime('%Y-%m-%dT%H:%M')}{sign}{hours:02d}:{minutes:02d}"


def require_aware(value: datetime, what: str) -> None:
    """Raise ValueError when ``value`` has no UTC offset (a programming error, not the user's)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be a timezone-aware datetime, got {value!r}")


def known_zone(name: str) -> ZoneInfo:
    """The IANA zone ``name`` for pure rules; ValueError if unknown (callers check input first)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"unknown IANA time zone {name!r} (e.g. 'America/Chicago')") from None


def local_clock(instant: datetime, tz: tzinfo) -> str:
    """``HH:MM`` local clock time of an aware datetime."""
    return to_utc(instant).astimezone(tz).strftime("%H:%M")


def describe_gap(delta: timedelta) -> str:
    """A gap as words, e.g. ``2 h 05 min`` or ``40 min`` (negative gaps read as 0 min)."""
    minutes = max(0, round(delta.total_seconds() / 60))
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min" if hours else f"{rest} min"


def to_utc(instant: datetime) -> datetime:
    """Convert an aware datetime to UTC; naive datetimes are a programming error."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("naive datetime where an aware one was required")
    return instant.astimezone(UTC)


def check_date(day: date, field: str) -> None:
    """Refuse dates outside ``FIRST_DATE`` to ``LAST_DATE`` (a typo, not a night of sleep)."""
    if not FIRST_DATE <= day <= LAST_DATE:
        raise InputError(
            field, f"{day.isoformat()} is outside the dates accepted ({FIRST_DATE} to {LAST_DATE})"
        )


def parse_instant(text: str, tz: ZoneInfo, night: date | None, field: str = "time") -> datetime:
    """Parse a time the person typed and return the UTC instant.

    ``text`` is ``HH:MM`` (placed on ``night``), a local ISO 8601 date-time (local to ``tz``)
    or an ISO 8601 date-time with an offset or ``Z``.
    """
    raw = text.strip()
    if _CLOCK.match(raw):
        if night is None:
            raise InputError(field, f"{raw!r} needs a night; give a full date-time instead")
        check_date(night, "night")
        return to_utc(localize(clock_on_night(parse_clock(raw, field), night), tz, field))
    try:
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise InputError(
            field,
            f"{raw!r} is not a time; write HH:MM or an ISO date-time such as 2025-03-08T22:30",
        ) from None
    check_date(parsed.date(), field)
    if parsed.tzinfo is None:
        return to_utc(localize(parsed, tz, field))
    return to_utc(parsed)


def parse_night(text: str, field: str = "night") -> date:
    """Parse a night key written as an ISO date (YYYY-MM-DD)."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(field, f"{text!r} is not a date; write YYYY-MM-DD") from None


def minutes_between(start: datetime, end: datetime) -> float:
    """Minutes from ``start`` to ``end``, computed on UTC instants (DST-safe)."""
    return (to_utc(end) - to_utc(start)).total_seconds() / 60.0


def local_iso(instant: datetime, tz: tzinfo) -> str:
    """ISO 8601 text of ``instant`` in ``tz`` with its offset, to the second."""
    return to_utc(instant).astimezone(tz).isoformat(timespec="seconds")


def as_utc(value: datetime) -> datetime:
    """Treat a naive datetime read back from a database as UTC (aware values pass through)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
