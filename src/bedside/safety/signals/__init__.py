"""Dependence and tolerance signals over a person's dose history.

:func:`compute_signals` is pure: it takes dose events, the local days the person logged
anything (*observed* days), optional check-in ratings, an IANA time zone and ``today``.
Days with no logs are unknown, never counted as use or as abstinence. See :mod:`.days`,
:mod:`.trends`, :mod:`.ratings` and :mod:`.findings` for the definitions and thresholds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from bedside.domain.timekeeping import known_zone, night_of
from bedside.safety.findings import Finding, sort_findings
from bedside.safety.signals.days import (
    DayCalendar,
    DayState,
    FrequencyWindow,
    Streak,
    current_streak,
    frequency_windows,
    longest_streak,
)
from bedside.safety.signals.findings import SignalParts, signal_findings
from bedside.safety.signals.inputs import RATING_ITEMS, DoseEvent, RatingItem, SelfRating
from bedside.safety.signals.ratings import RatingSummary, summarise_ratings
from bedside.safety.signals.trends import (
    DoseCreep,
    DosesPerDay,
    TimingDrift,
    dose_creep,
    doses_per_day,
    timing_drift,
)

__all__ = [
    "RATING_ITEMS",
    "DayState",
    "DoseCreep",
    "DoseEvent",
    "DosesPerDay",
    "FrequencyWindow",
    "RatingItem",
    "RatingSummary",
    "SelfRating",
    "SignalsReport",
    "Streak",
    "TimingDrift",
    "compute_signals",
]


@dataclass(frozen=True)
class SignalsReport:
    """Every signal, plus the findings drawn from them (most severe first)."""

    today: date
    timezone: str
    weekly_cap: int | None
    first_logged_day: date | None
    windows: tuple[FrequencyWindow, ...]
    longest_streak: Streak | None
    current_streak: Streak | None
    dose_creep: DoseCreep
    doses_per_day: DosesPerDay
    timing: TimingDrift
    ratings: tuple[RatingSummary, ...]
    findings: tuple[Finding, ...]


def compute_signals(
    doses: Sequence[DoseEvent],
    observed_days: Iterable[date],
    *,
    timezone: str,
    today: date,
    ratings: Sequence[SelfRating] = (),
    region: str | None = None,
    weekly_cap: int | None = None,
) -> SignalsReport:
    """Compute frequency, streaks, dose creep, timing drift, check-ins and their findings.

    ``observed_days`` are night keys (:func:`bedside.domain.timekeeping.night_of`: before
    12:00 local belongs to the previous evening) on which the person logged anything; days
    with a dose are observed automatically.
    ``region`` (e.g. ``"US-TX"``) only decides whether US helpline details are offered.
    ``weekly_cap`` is the person's own days-per-week cap; use above it is a finding.
    """
    tz = known_zone(timezone)
    past = [d for d in doses if night_of(d.at, tz) <= today]
    calendar = DayCalendar.build((night_of(d.at, tz) for d in past), observed_days, today)
    windows = frequency_windows(calendar)
    parts = SignalParts(
        windows=windows,
        current=current_streak(calendar),
        creep=dose_creep(past, tz, today),
        timing=timing_drift(past, tz, today),
        doses=doses_per_day(past, tz, today),
        ratings=summarise_ratings(ratings, today),
        region=region,
        today=today,
        weekly_cap=weekly_cap,
    )
    return SignalsReport(
        today=today,
        timezone=timezone,
        weekly_cap=weekly_cap,
        first_logged_day=calendar.first_day,
        windows=windows,
        longest_streak=longest_streak(calendar),
        current_streak=parts.current,
        dose_creep=parts.creep,
        doses_per_day=parts.doses,
        timing=parts.timing,
        ratings=parts.ratings,
        findings=sort_findings(signal_findings(parts)),
    )
