"""A realistic history for the export tests, logged through the services.

Eight weeks of evenings in New York from 2025-02-24, so the nights cross the spring DST
change (2025-03-09); a product with a lab batch; doses, diaries, pain, soreness, workouts
and intakes; an Oura import (wearable nights, heart rate); and a self-experiment that ran
for its first blocks.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bedside.services import activity, diary, doses, products, profiles, symptoms
from bedside.services.experiments.assignment import assignment
from bedside.services.experiments.plan import get_experiment, plan_experiment
from bedside.services.imports import import_file
from bedside.services.runtime import Bedside
from bedside.settings import load_settings
from bedside.storage.experiments import Experiment

ZONE = ZoneInfo("America/New_York")
FIRST = date(2025, 2, 24)
WEEKS = 8
SAMPLES = Path(__file__).parents[2] / "data" / "samples"


def at_local(day: date, hour: int, minute: int = 0) -> datetime:
    """A New York wall-clock time as an aware UTC instant."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE).astimezone(UTC)


@dataclass
class Clock:
    """A settable clock."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Lived:
    """An application whose database holds the history, and its clock."""

    app: Bedside
    clock: Clock
    database: str


def open_app(database: str, clock: Clock) -> Bedside:
    """The application on ``database`` with ``clock``."""
    return Bedside(load_settings(db=database, environ={}), clock=clock).start()


def live_history(app: Bedside, clock: Clock) -> None:
    """Log the eight weeks (see the module docstring)."""
    rng = random.Random(13)
    clock.now = at_local(FIRST - timedelta(days=1), 18)
    with app.scope() as scope:
        profiles.set_profile(
            scope,
            {"timezone": "America/New_York", "bedtime": "23:00", "medications": ["ibuprofen"]},
        )
        product = products.add_product(scope, {"name": "Red Bali", "colour": "red"})
        products.add_batch(
            scope, product.id, {"lot": "RB-7", "mitragynine_pct": 1.2, "seven_oh_pct": 0.02}
        )
        import_file(scope, "oura", SAMPLES / "oura" / "oura-sleep-v2.json")
    for offset in range(WEEKS * 7 - 14):
        night = FIRST + timedelta(days=offset)
        clock.now = at_local(night + timedelta(days=1), 9)
        with app.scope() as scope:
            _log_night(scope, night, rng, product.id)
    _run_experiment(app, clock, FIRST + timedelta(days=WEEKS * 7 - 14))


def _log_night(scope: object, night: date, rng: random.Random, product_id: int) -> None:
    from bedside.services.scope import Scope

    assert isinstance(scope, Scope)
    took = rng.random() < 0.7
    if took:
        doses.add_dose(
            scope,
            {
                "amount": rng.choice([2, 2.5, 3]),
                "time": "22:00",
                "night": night,
                "product_id": product_id,
                "reason": "pain",
                "pain_before": rng.randint(3, 7),
            },
        )
    symptoms.add_pain(scope, {"score": rng.randint(2, 8), "time": "21:30", "night": night})
    if night.weekday() in (0, 3):
        activity.add_workout(
            scope,
            {
                "kind": "strength",
                "duration_min": 50,
                "rpe": 7,
                "time": "18:00",
                "night": night,
                "muscle_groups": ["quads"],
            },
        )
        symptoms.add_soreness(
            scope, {"ratings": {"quads": rng.randint(2, 6)}, "time": "21:00", "night": night}
        )
    if night.weekday() == 5:
        activity.add_intake(
            scope, {"kind": "alcohol", "amount": 1, "time": "20:00", "night": night}
        )
    diary.add_entry(
        scope,
        {
            "night": night,
            "bedtime": "23:00",
            "tried": "23:10",
            "sol_min": rng.choice([10, 20, 30]),
            "awakenings": rng.randint(1, 3),
            "waso_min": rng.choice([5, 15, 25]),
            "final_wake": "06:40",
            "out_of_bed": "07:00",
            "quality": rng.randint(2, 5),
            "rested": rng.randint(2, 5),
            "comment": "slept, mostly" if rng.random() < 0.2 else None,
        },
    )


def _run_experiment(app: Bedside, clock: Clock, start: date) -> None:
    """Plan an experiment starting at ``start`` and live its first two weeks."""
    clock.now = at_local(start - timedelta(days=1), 18)
    with app.scope() as scope:
        planned = plan_experiment(
            scope,
            {
                "question": "Does kratom help me sleep?",
                "outcome": "quality",
                "threshold": 0.5,
                "pairs": 3,
                "nights": 5,
                "washout": 1,
            },
        )
        scope.session.get(Experiment, planned.id).seed = 20261205
    for offset in range(14):
        night = start + timedelta(days=offset)
        clock.now = at_local(night, 20)
        with app.scope() as scope:
            exp = get_experiment(scope, planned.id)
            assignment(scope, exp)
    clock.now = at_local(start + timedelta(days=13), 20)


@pytest.fixture
def lived(database: str) -> Iterator[Lived]:
    """The test database (SQLite or PostgreSQL) holding the eight-week history."""
    clock = Clock(at_local(FIRST, 12))
    app = open_app(database, clock)
    live_history(app, clock)
    yield Lived(app, clock, database)
    app.close()
