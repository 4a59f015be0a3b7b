"""Fixtures for the analysis integration tests: apps with a fixed clock and simulated nights.

Nights are logged through the services with explicit times, so they land on the same
database the ``cli`` fixture runs on (SQLite or PostgreSQL).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bedside.services import diary, doses, profiles
from bedside.services.experiments.assignment import assignment
from bedside.services.experiments.plan import get_experiment, plan_experiment
from bedside.services.runtime import Bedside
from bedside.services.scope import Scope
from bedside.settings import load_settings
from bedside.storage.experiments import Experiment

ZONE = ZoneInfo("America/New_York")
#: The simulated experiments start on this night (a Monday).
START = date(2025, 1, 6)


def at_local(day: date, hour: int, minute: int = 0) -> datetime:
    """A local New York time as an aware UTC instant."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE).astimezone(UTC)


@dataclass
class Clock:
    """A settable clock for ``Bedside(settings, clock=...)``."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Sim:
    """An application on the test database with a clock the test moves."""

    app: Bedside
    clock: Clock


@pytest.fixture
def sim(database: str) -> Iterator[Sim]:
    """The test database with a profile (New York, bedtime 23:00) and a fixed clock."""
    clock = Clock(at_local(START - timedelta(days=1), 18))
    app = Bedside(load_settings(db=database, environ={}), clock=clock).start()
    with app.scope() as scope:
        profiles.set_profile(scope, {"timezone": "America/New_York", "bedtime": "23:00"})
    yield Sim(app, clock)
    app.close()


def log_night(scope: Scope, night: date, took: bool, quality: int) -> None:
    """A dose at 22:00 when ``took`` and a morning diary with ``quality``."""
    if took:
        doses.add_dose(scope, {"amount": 3, "time": "22:00", "night": night})
    diary.add_entry(
        scope,
        {
            "night": night,
            "bedtime": "23:00",
            "tried": "23:10",
            "sol_min": 20 if took else 30,
            "awakenings": 1,
            "waso_min": 15,
            "final_wake": "06:40",
            "out_of_bed": "07:00",
            "quality": quality,
            "rested": quality,
        },
    )


Quality = Callable[[str | None, random.Random], int]


#: The coin of the simulated experiments (see :func:`simulate_experiment`).
SIM_SEED = 20261201


def simulate_experiment(
    sim: Sim,
    pairs: int = 6,
    run_through: int | None = None,
    quality: Quality | None = None,
) -> int:
    """Plan a kratom / no-kratom experiment (5-night periods, 1 washout) and live it.

    Each evening at 20:00 the assignment is asked for (drawing the block when it starts),
    the condition is followed and the next morning's diary logged. ``run_through`` limits
    the simulation to that many blocks. Returns the experiment id.
    """
    rng = random.Random(7)
    score = quality or (
        lambda c, r: min(5, max(1, (4 if c == "kratom" else 3) + r.choice([-1, 0, 0, 1])))
    )
    with sim.app.scope() as scope:
        sim.clock.now = at_local(START - timedelta(days=1), 18)
        planned = plan_experiment(
            scope,
            {
                "question": "Does kratom help me sleep?",
                "outcome": "quality",
                "threshold": 0.5,
                "pairs": pairs,
                "nights": 5,
                "washout": 1,
            },
        )
        # The app draws a fresh secret seed; a fixed one makes every run live the same
        # nights, so the figures the tests read do not change from run to run.
        scope.session.get(Experiment, planned.id).seed = SIM_SEED
    blocks = run_through if run_through is not None else pairs
    for offset in range(blocks * 10):
        night = START + timedelta(days=offset)
        sim.clock.now = at_local(night, 20)
        with sim.app.scope() as scope:
            exp = get_experiment(scope, planned.id)
            condition = assignment(scope, exp).condition
        sim.clock.now = at_local(night + timedelta(days=1), 9)  # the diary is kept next morning
        with sim.app.scope() as scope:
            log_night(scope, night, condition == "kratom", score(condition, rng))
    return planned.id


def log_history(sim: Sim, first: date, pattern: list[bool | None], seed: int = 3) -> None:
    """Log one night per entry of ``pattern`` from ``first``: True dose, False no dose, None
    nothing at all. Quality is one point higher, on average, on dosed nights."""
    rng = random.Random(seed)
    sim.clock.now = at_local(first + timedelta(days=len(pattern)), 9)
    with sim.app.scope() as scope:
        for offset, took in enumerate(pattern):
            if took is None:
                continue
            base = 4 if took else 3
            log_night(scope, first + timedelta(days=offset), took, base + rng.choice([-1, 0, 1]))
