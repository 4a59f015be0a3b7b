"""An iCalendar (.ics) file of an experiment's schedule: one evening event per night.

Each event starts at the person's intake time that night (target bedtime minus the lead,
DST-safe) and lasts until bedtime, so a calendar reminds them of the night's condition.
Blocks not drawn yet say so instead of a condition: their order is drawn and recorded when
the block starts, so export the file again later for the full picture.
"""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar, Event

from bedside.domain import experiments as xp
from bedside.domain.planning import bedtime_on
from bedside.domain.timekeeping import parse_clock, to_utc
from bedside.exporters.ics import alarm
from bedside.services.experiments.assignment import draw_due_blocks
from bedside.services.experiments.plan import get_experiment
from bedside.services.experiments.views import orders_of, spec_of
from bedside.services.scope import Scope
from bedside.storage.experiments import Experiment

PRODID = "-//Bedside//Self-experiment schedule//EN"
MIN_EVENT = timedelta(minutes=15)


def experiment_ics(scope: Scope, experiment_id: int | None = None) -> bytes:
    """The schedule of an experiment as iCalendar bytes (one event per night)."""
    exp = get_experiment(scope, experiment_id)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Bedside experiment {exp.id}")
    for event in experiment_events(scope, exp):
        calendar.add_component(event)
    return bytes(calendar.to_ical())


def experiment_events(scope: Scope, exp: Experiment) -> list[Event]:
    """One event per night of ``exp``, each with an alarm at its start (the intake time)."""
    draw_due_blocks(scope, exp, min(scope.tonight(), spec_of(exp).end))
    profile = scope.require_profile()
    tz, target = scope.tz, parse_clock(profile.bedtime)
    spec = spec_of(exp)
    events = []
    for slot in xp.all_slots(spec, orders_of(exp)):
        bedtime = to_utc(bedtime_on(slot.night, target, tz))
        event = Event()
        event.add("uid", f"bedside-experiment-{exp.id}-{slot.night.isoformat()}@bedside.local")
        event.add("dtstamp", to_utc(scope.now))
        start = bedtime - timedelta(minutes=profile.lead_min)
        event.add("dtstart", start)
        event.add("dtend", max(bedtime, start + MIN_EVENT))
        event.add("summary", _summary(slot))
        event.add("description", f"{exp.question}\n\n{xp.instruction(slot, spec)}")
        event.add_component(alarm(_summary(slot)))
        events.append(event)
    return events


def _summary(slot: xp.Slot) -> str:
    if slot.run_in:
        return "Bedside run-in: log tonight as usual"
    if slot.condition is None:
        return f"Bedside experiment, block {slot.block}: condition drawn when the block starts"
    washout = " (washout)" if slot.washout else ""
    return f"Bedside experiment: {slot.condition}{washout}"
