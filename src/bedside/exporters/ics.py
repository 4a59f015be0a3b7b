"""iCalendar (RFC 5545) reminders: tonight's intake time and the morning diary, every day.

Both reminders are daily recurring events in the person's own zone (``TZID`` plus a
``VTIMEZONE``), so a calendar keeps them at the same local clock time across a DST change;
each carries a ``VALARM`` that rings at its start.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

PRODID = "-//Bedside//Reminders//EN"
REMINDER_MINUTES = 15


@dataclass(frozen=True, slots=True)
class Reminder:
    """A daily reminder at a local clock time, from ``first_day`` on."""

    uid: str
    summary: str
    description: str
    clock: time
    first_day: date


def alarm(text: str) -> Alarm:
    """A display alarm that rings when its event starts."""
    component = Alarm()
    component.add("action", "DISPLAY")
    component.add("description", text)
    component.add("trigger", timedelta(0))
    return component


def daily_event(reminder: Reminder, zone: ZoneInfo, stamp: datetime) -> Event:
    """A daily recurring event at the reminder's local time in ``zone``, with an alarm."""
    start = datetime.combine(reminder.first_day, reminder.clock, tzinfo=zone)
    event = Event()
    event.add("uid", reminder.uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=REMINDER_MINUTES))
    event.add("rrule", {"freq": "daily"})
    event.add("summary", reminder.summary)
    event.add("description", reminder.description)
    event.add_component(alarm(reminder.summary))
    return event


def reminders_calendar(
    reminders: Iterable[Reminder],
    zone: ZoneInfo,
    stamp: datetime,
    extra_events: Iterable[Event] = (),
) -> bytes:
    """A calendar of daily reminders (plus any other events) with the zone's VTIMEZONE."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Bedside reminders")
    calendar.add("x-wr-timezone", zone.key)
    for reminder in reminders:
        calendar.add_component(daily_event(reminder, zone, stamp))
    for event in extra_events:
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def clock_minus(clock: time, minutes: int) -> time:
    """A clock time ``minutes`` earlier (wrapping past midnight)."""
    total = (clock.hour * 60 + clock.minute - minutes) % (24 * 60)
    return time(total // 60, total % 60)
