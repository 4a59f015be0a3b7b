"""Dependence and tolerance signals from the person's own history."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bedside.domain.timekeeping import night_of
from bedside.safety.signals import DoseEvent, SignalsReport, compute_signals
from bedside.services.checkins import ratings_since
from bedside.services.safety_schemas import SignalsOut
from bedside.services.scope import Scope
from bedside.storage.models import DiaryEntry, Dose, Intake, PainEntry, SorenessEntry, Workout

HISTORY_DAYS = 26 * 7
TIMED_TABLES: tuple[tuple[Any, Any], ...] = (
    (PainEntry, PainEntry.at),
    (SorenessEntry, SorenessEntry.at),
    (Intake, Intake.at),
    (Workout, Workout.start_at),
)


def signals_report(scope: Scope) -> SignalsReport:
    """Frequency, streaks, dose creep, timing drift and check-ins over the last 26 weeks."""
    profile = scope.require_profile()
    since = scope.now - timedelta(days=HISTORY_DAYS)
    doses = [
        DoseEvent(at, grams)
        for at, grams in scope.session.execute(
            select(Dose.taken_at, Dose.grams).where(
                Dose.user_id == scope.user.id, Dose.taken_at >= since
            )
        )
    ]
    return compute_signals(
        doses,
        observed_days(scope, since),
        timezone=profile.timezone,
        today=scope.tonight(),
        ratings=ratings_since(scope, since),
        region=profile.region,
        weekly_cap=profile.cap_days_week,
    )


def signals_view(scope: Scope) -> SignalsOut:
    """:func:`signals_report` as a typed result (what the API and the Signals page render)."""
    return SignalsOut.model_validate(signals_report(scope), from_attributes=True)


def observed_days(scope: Scope, since: datetime) -> set[date]:
    """Nights (keyed by their evening, 12:00 to 12:00) on which the person logged anything."""
    tz = scope.tz
    days: set[date] = set()
    for model, column in TIMED_TABLES:
        query = select(column).where(model.user_id == scope.user.id, column >= since)
        days.update(night_of(at, tz) for at in scope.session.scalars(query))
    diary_nights = select(DiaryEntry.night).where(
        DiaryEntry.user_id == scope.user.id, DiaryEntry.night >= since.date()
    )
    days.update(scope.session.scalars(diary_nights))
    return days
