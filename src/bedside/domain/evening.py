"""Where the evening stands: the line after a dose, and when the morning diary is due.

Pure rules over aware local datetimes; the services gather the inputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

#: Without diaries there is no usual final awakening yet: assume a night of this length
#: after the target bedtime before saying "Good morning".
ASSUMED_NIGHT = timedelta(hours=7)
#: The morning diary is offered until noon, where the next evening's night begins.
MORNING_ENDS = time(12, 0)


@dataclass(frozen=True, slots=True)
class LoggedDose:
    """A dose already logged tonight, as the person entered it."""

    amount: float
    unit: str
    at: datetime


def amount_text(amount: float, unit: str) -> str:
    """``3.0, "g"`` → ``3 g``; ``2.5, "capsules"`` → ``2.5 capsules`` (no float noise)."""
    return f"{amount:.6g} {unit}"


def next_step(now: datetime, wind_down: Sequence[datetime], bedtime: datetime) -> str | None:
    """What comes next tonight: the wind-down, then bed; None once bedtime has passed."""
    if any(at >= now for at in wind_down):
        return "wind-down next"
    if bedtime >= now:
        return f"bed at {bedtime:%H:%M}"
    return None


def logged_line(doses: Sequence[LoggedDose], following: str | None) -> str | None:
    """``Logged 3 g at 21:40 · wind-down next``, or None while nothing is logged tonight."""
    if not doses:
        return None
    parts = [f"{amount_text(d.amount, d.unit)} at {d.at:%H:%M}" for d in doses]
    text = "Logged " + (", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0])
    return f"{text} · {following}" if following else text


def usual_wake(final_wake: time | None, target_bedtime: time) -> time:
    """The person's usual final awakening, else the target bedtime plus an assumed night."""
    if final_wake is not None:
        return final_wake
    assumed = datetime.combine(date(2000, 1, 1), target_bedtime) + ASSUMED_NIGHT
    return assumed.time()


def morning_diary_due(now: datetime, night: date, has_diary: bool, wake: time) -> bool:
    """True in the morning after ``night`` once the usual final awakening has passed.

    ``now`` is local. At 00:30 the night has not ended yet; after noon the next night begins.
    """
    if has_diary or now.date() != night + timedelta(days=1):
        return False
    return wake <= now.time() < MORNING_ENDS
